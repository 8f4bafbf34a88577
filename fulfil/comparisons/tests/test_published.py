"""Loading the DfE's files as published gives back the published figures."""

import json
import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from fulfil.comparisons.models import PublishedFigure
from fulfil.comparisons.published import read_published_folder
from fulfil.factories import UserFactory

REPO = Path(__file__).resolve().parents[3]


def published_folder() -> Path:
    for candidate in [os.environ.get("FULFIL_SHARED_DIR"), REPO.parent / "shared", Path("/work/shared")]:
        if candidate and (Path(candidate) / "data/dfe-ehcp-2025/requests.csv").exists():
            return Path(candidate) / "data/dfe-ehcp-2025"
    pytest.skip("DfE statistics files not found beside the repository")


@pytest.fixture(scope="module")
def reading():
    return read_published_folder(published_folder())


def figure(reading, measure, period, code):
    return next(f for f in reading.figures if f.measure == measure and f.time_period == period and f.code == code)


def test_sutton_2024_and_england_2024_25_match_the_published_report(reading):
    assert figure(reading, "requests", "2024", "319").value == 607
    assert figure(reading, "pct_decided_within_6_weeks", "2024", "319").value == Decimal("95.8")
    assert figure(reading, "pct_not_assessed", "2024", "319").value == Decimal("36.4")
    assert figure(reading, "plans_issued", "2024", "319").value == 366
    assert figure(reading, "pct_issued_within_20_weeks", "2024", "319").value == Decimal("76.5")
    assert figure(reading, "ehc_plans", "202425", "319").value == 2582
    assert figure(reading, "ehc_plans", "202425", "E92000001").value == 638745
    assert reading.problems == []


def test_suppressed_values_are_none_with_their_marker(reading):
    suppressed = [f for f in reading.figures if f.value is None]
    assert suppressed and {f.marker for f in suppressed} <= {"x", "c", "z", "low", "u", ":", ""}
    knowsley_2019 = figure(reading, "pct_decided_within_6_weeks", "2019", "340")
    assert knowsley_2019.value is None and knowsley_2019.marker == "x"


def test_a_renamed_column_is_reported_by_name(tmp_path):
    source = published_folder()
    shutil.copy(source / "requests.csv", tmp_path / "requests.csv")
    text = (tmp_path / "requests.csv").read_text(encoding="utf-8-sig").replace("request_outcome_six_weeks_pc", "pct_in_six_weeks", 1)
    (tmp_path / "requests.csv").write_text(text, encoding="utf-8-sig")
    reading = read_published_folder(tmp_path)
    assert any("requests.csv: no column for 'Requests decided within 6 weeks (%)'" in p for p in reading.problems)
    assert any("timeliness_20_week.csv: not in" in p for p in reading.problems)
    assert figure(reading, "requests", "2024", "319").value == 607  # the rest still loads


@pytest.mark.django_db
def test_load_then_show_json_gives_area_region_england_and_rank(capsys):
    call_command("benchmarks", "load", str(published_folder()))
    count = PublishedFigure.objects.count()
    call_command("benchmarks", "load", str(published_folder()))  # loading again changes nothing
    assert PublishedFigure.objects.count() == count
    capsys.readouterr()
    call_command("benchmarks", "show", "--la", "319", "--year", "2024", "--json")
    data = json.loads(capsys.readouterr().out)
    assert (data["requests"], data["pct_decided_within_6_weeks"], data["plans_issued"]) == (607, 95.8, 366)
    assert data["pct_issued_within_20_weeks"] == 76.5 and data["ehc_plans"] == 2582
    assert data["annual_review_pct_decision_within_4_weeks"] == 82.3
    assert data["region"] == "London" and data["figures"]["ehc_plans"]["england"] == 638745
    assert 1 <= data["figures"]["pct_decided_within_6_weeks"]["rank"] <= 153
    call_command("benchmarks", "show", "--la", "E09000029", "--year", "2024", "--json")
    assert json.loads(capsys.readouterr().out)["requests"] == 607
    with pytest.raises(CommandError, match="No loaded figures for LA 999"):
        call_command("benchmarks", "show", "--la", "999", "--year", "2024")


@pytest.mark.django_db
def test_the_page_shows_the_area_beside_london_and_england(client, area):
    call_command("benchmarks", "load", str(published_folder()), verbosity=0)
    client.force_login(UserFactory(role="commissioner", local_area=area))
    html = client.get(reverse("comparisons:area"), {"year": 2024}).content.decode()
    assert "95.8%" in html and "84.8%" in html and "London" in html and "<svg" in html


HEADER = ("time_period,geographic_level,country_code,country_name,region_code,region_name,new_la_code,old_la_code,la_name,"
          "breakdown_topic,breakdown,requests_received_in_year,request_assess_pc,request_outcome_six_weeks_pc\n")


def _row(la_name: str, received: str, six_weeks: str = "60") -> str:
    return f"2024,Local authority,E92000001,England,E12000007,London,E09000029,319,{la_name},All,All,{received},70,{six_weeks}\n"


@pytest.mark.django_db
def test_a_file_not_in_utf8_or_with_nan_is_one_line_each_and_loads_nothing_wrong(tmp_path, capsys):
    # `benchmarks load` on a latin-1 file or NaN was a traceback (issue 18).
    (tmp_path / "requests.csv").write_bytes((HEADER + _row("Sutton Côte", "607")).encode("latin-1"))
    (tmp_path / "timeliness_20_week.csv").write_text(HEADER, encoding="utf-8")
    with pytest.raises(CommandError, match="No DfE figures found"):
        call_command("benchmarks", "load", str(tmp_path))
    assert "requests.csv: not UTF-8 text" in capsys.readouterr().err
    (tmp_path / "requests.csv").write_text(HEADER + _row("Sutton", "NaN", "Infinity") + _row("Sutton", "607") + _row("Sut\x00ton", "1"),
                                           encoding="utf-8")
    (tmp_path / "stat_neighbours.csv").write_bytes("Sutton,Kingston\nMerton,Bromley Côte\n".encode("latin-1"))
    call_command("benchmarks", "load", str(tmp_path))
    problems = capsys.readouterr().err
    assert "stat_neighbours.csv: cannot be read as UTF-8 CSV" in problems and "row 4: holds a NUL character" in problems
    # The repeated row stands in for the first; NaN and infinity were never numbers.
    assert PublishedFigure.objects.get(measure="requests").value == 607
    reading = read_published_folder(tmp_path)
    (tmp_path / "requests.csv").write_text(HEADER + _row("Sutton", "NaN", "Infinity"), encoding="utf-8")
    reading = read_published_folder(tmp_path)
    assert {(f.measure, f.value) for f in reading.figures} >= {("requests", None), ("pct_decided_within_6_weeks", None)}
