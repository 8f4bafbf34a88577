"""Statistical neighbours are matched by LA number, and their average says what it uses."""

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from fulfil.comparisons.la_names import SUPERSEDED, la_code
from fulfil.comparisons.published import MARKER_MEANINGS, round_half_up
from fulfil.comparisons.selectors import area_comparison
from fulfil.comparisons.services import published_figures_load
from fulfil.comparisons.tests.test_published import published_folder
from fulfil.factories import LocalAreaFactory, UserFactory


def test_every_name_in_the_published_files_is_matched_to_its_la_number():
    folder = published_folder()
    with open(folder / "stat_neighbours.csv", newline="", encoding="utf-8-sig") as handle:
        names = {cell.strip() for row in csv.reader(handle) for cell in row if cell.strip()}
    assert len(names) >= 150
    assert sorted(name for name in names if la_code(name) is None) == []
    # The four the neighbours file spells its own way.
    assert [la_code(n) for n in ("Bedford Borough", "Durham", "Herefordshire", "Kingston Upon Hull, City of")] == ["822", "840", "884", "810"]
    # And every area of every statistics file, in every year, by the name beside its number.
    for path in folder.glob("*.csv"):
        if path.name == "stat_neighbours.csv":
            continue
        with open(path, newline="", encoding="utf-8-sig") as handle:
            pairs = {(r["la_name"], r["old_la_code"]) for r in csv.DictReader(handle) if r["geographic_level"] == "Local authority"}
        assert [(name, code) for name, code in pairs if la_code(name) != SUPERSEDED.get(code, code)] == [], path.name


@pytest.mark.django_db
def test_sutton_2024_is_set_beside_the_mean_of_its_ten_neighbours_bedford_included(capsys):
    # Bedford is "Bedford Borough" in the neighbours file: matched by name it was left out,
    # and the averages were the mean of nine (1,579.6 requests, 6,317.1 plans, 47.4%).
    published_figures_load(folder=published_folder())
    sutton = area_comparison(la="319", year=2024)
    assert sutton is not None and sutton.region_name == "London"
    by_name = {c.measure.name: c for c in sutton.measures}
    assert [n.name for n in by_name["requests"].neighbours][6] == "Bedford"
    assert by_name["requests"].neighbours_average == Decimal("1468.9")
    assert by_name["ehc_plans"].neighbours_average == Decimal("5902.4")
    assert by_name["pct_issued_within_20_weeks"].neighbours_average == Decimal("49.9")
    assert by_name["requests"].neighbours_note == "mean of 10 neighbours"
    # One neighbour's annual-review figure is "x" in the file: the average says so.
    reviews = by_name["annual_review_pct_decision_within_4_weeks"]
    assert reviews.neighbours_note == "mean of 9 of 10 neighbours; 1 suppressed"
    assert [n.status for n in reviews.neighbours if n.value is None] == [MARKER_MEANINGS["x"]]
    assert MARKER_MEANINGS["x"].startswith("not available")

    call_command("benchmarks", "show", "--la", "319", "--year", "2024", "--json")
    figures = json.loads(capsys.readouterr().out)["figures"]
    assert figures["requests"]["statistical_neighbours_average"] == 1468.9
    assert (figures["requests"]["statistical_neighbours_used"], figures["requests"]["statistical_neighbours"]) == (10, 10)


@pytest.mark.django_db
def test_every_area_in_the_neighbours_file_has_its_neighbours(capsys):
    published_figures_load(folder=published_folder())
    for la in ("822", "840", "884", "810"):  # the four spelt differently: they had no average at all
        comparison = area_comparison(la=la, year=2024)
        assert comparison is not None
        assert len(comparison.measures[0].neighbours) == 10, comparison.name


HEADER = ("time_period,geographic_level,country_code,country_name,region_code,region_name,new_la_code,old_la_code,la_name,"
          "breakdown_topic,breakdown,requests_received_in_year,request_outcome_six_weeks_pc\n")


def _row(code: str, name: str, received: str, six_weeks: str = "60", level: str = "Local authority", region: str = "E12000003") -> str:
    return f"2024,{level},E92000001,England,{region},Yorkshire and The Humber,E0{code},{code},{name},All,All,{received},{six_weeks}\n"


def _folder(tmp_path: Path, rows: str, neighbours: str) -> Path:
    (tmp_path / "requests.csv").write_text(HEADER + rows, encoding="utf-8")
    (tmp_path / "stat_neighbours.csv").write_text(neighbours, encoding="utf-8")
    return tmp_path


@pytest.mark.django_db
def test_an_average_says_how_many_neighbours_it_uses_and_why_the_rest_are_left_out(tmp_path):
    # Leeds's neighbours: Bradford published 100, Kirklees suppressed (c), Wakefield has no
    # row; Sheffield's 6-weeks figure is a symbol the DfE uses for "low".
    rows = (_row("383", "Leeds", "900") + _row("380", "Bradford", "100", "70.2") + _row("382", "Kirklees", "c", "c")
            + _row("373", "Sheffield", "200", "low") + _row("", "Yorkshire and The Humber", "5000", "61.0", level="Regional"))
    folder = _folder(tmp_path, rows, "Leeds\nBradford\nKirklees\nWakefield\nSheffield\n")
    reading, _ = published_figures_load(folder=folder)
    leeds = area_comparison(la="383", year=2024)
    assert leeds is not None
    requests, six_weeks = leeds.measures
    assert requests.neighbours_average == Decimal("150.0")
    assert requests.neighbours_note == "mean of 2 of 4 neighbours; 1 suppressed, 1 not published"
    assert six_weeks.neighbours_note == "mean of 1 of 4 neighbours; 2 suppressed, 1 not published"
    kirklees, wakefield = requests.neighbours[1], requests.neighbours[2]
    assert kirklees.status == MARKER_MEANINGS["c"] and kirklees.status.startswith("confidential")
    assert wakefield.status.startswith("not published")


@pytest.mark.django_db
def test_averages_round_half_up_as_the_dfe_does(tmp_path):
    # 10.2 and 10.3: the mean 10.25 is 10.3 to the DfE; Python's round() would say 10.2.
    rows = _row("383", "Leeds", "1", "50.0") + _row("380", "Bradford", "1", "10.2") + _row("382", "Kirklees", "1", "10.3")
    published_figures_load(folder=_folder(tmp_path, rows, "Leeds\nBradford\nKirklees\n"))
    leeds = area_comparison(la="383", year=2024)
    assert leeds is not None and leeds.measures[1].neighbours_average == Decimal("10.3")
    assert round(10.25, 1) == 10.2 and round_half_up(Decimal("10.25")) == Decimal("10.3")
    assert round_half_up(Decimal("1468.85")) == Decimal("1468.9")


@pytest.mark.django_db
def test_a_name_no_table_knows_is_reported_at_load_not_dropped_silently(tmp_path):
    rows = _row("383", "Leeds", "1") + _row("380", "Bradford", "1")
    reading, links = published_figures_load(folder=_folder(tmp_path, rows, "Leeds,Atlantis\nBradford,Leeds\nNowhere Borough,Leeds\n"))
    assert links == 1  # Leeds -> Bradford; Atlantis's column and Leeds -> Nowhere Borough are not loaded
    assert any("'Atlantis' is not a local authority Fulfil knows" in p for p in reading.problems)
    assert any("neighbour 'Nowhere Borough' of Leeds is not a local authority Fulfil knows" in p for p in reading.problems)


@pytest.mark.django_db
def test_an_area_with_no_row_says_not_published_not_suppressed(tmp_path, capsys):
    # Leeds has a 2024 row for requests only; the timeliness file has none for it.
    (tmp_path / "timeliness_20_week.csv").write_text(
        "time_period,geographic_level,country_code,country_name,region_code,region_name,new_la_code,old_la_code,la_name,"
        "breakdown_topic,breakdown,plans_issued_den,pc_plans_issued_within_20_weeks\n"
        + "2024,Local authority,E92000001,England,E12000003,Yorkshire and The Humber,E0380,380,Bradford,All,All,50,60.0\n",
        encoding="utf-8")
    published_figures_load(folder=_folder(tmp_path, _row("383", "Leeds", "x"), "Leeds\nBradford\n"))
    leeds = area_comparison(la="383", year=2024)
    assert leeds is not None
    by_name = {c.measure.name: c for c in leeds.measures}
    assert by_name["requests"].area_status == MARKER_MEANINGS["x"]
    assert by_name["plans_issued"].area_status.startswith("not published")
    call_command("benchmarks", "show", "--la", "383", "--year", "2024")
    out = capsys.readouterr().out
    assert "suppressed ()" not in out and "not published" in out and "not available" in out


@pytest.mark.django_db
def test_the_page_names_the_areas_own_region(client, tmp_path):
    rows = (_row("383", "Leeds", "900") + _row("380", "Bradford", "100") + _row("", "Yorkshire and The Humber", "5000", level="Regional"))
    published_figures_load(folder=_folder(tmp_path, rows, "Leeds\nBradford\n"))
    leeds = LocalAreaFactory(la_number=383, name="Leeds", ons_code="E08000035", region="Yorkshire and The Humber")
    client.force_login(UserFactory(role="commissioner", local_area=leeds))
    html = client.get(reverse("comparisons:area"), {"year": 2024}).content.decode()
    assert "Leeds against Yorkshire and The Humber and England" in html
    assert "London" not in html
    assert "Mean of 1 neighbour<" in html
