import csv
import datetime as dt
import filecmp
import os
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from fulfil.core import identifiers
from fulfil.core.calendar import AcademicCalendar
from fulfil.demo.need_mix import SUTTON_PLANS_BY_NEED, SUTTON_TOTAL_PLANS, NeedMixError, need_mix_from_dfe_csv
from fulfil.demo.records import AreaSpec
from fulfil.demo.services import demo_areas_generate
from fulfil.ledger.bulk import area_figures, arrays_from_duckdb, open_csv_dataset

TODAY = dt.date(2026, 11, 25)
REPO = Path(__file__).resolve().parents[3]


def small_area(**overrides) -> AreaSpec:
    spec = AreaSpec("Testshire (demo)", 888, "E99000888", "Test", children_with_plans=260, sen_support_children=60)
    for key, value in overrides.items():
        setattr(spec, key, value)
    return spec


def read(directory: Path, table: str) -> list[dict]:
    with open(directory / f"{table}.csv", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("area")
    result = demo_areas_generate(specs=[small_area()], seed=7, today=TODAY, output=out)
    return out, result.stats[0]


def test_the_same_seed_and_date_give_identical_files(generated, tmp_path):
    first, _ = generated
    demo_areas_generate(specs=[small_area()], seed=7, today=TODAY, output=tmp_path)
    for table in ["children_child", "plans_provisionitem", "delivery_session", "delivery_attendance"]:
        assert filecmp.cmp(first / f"{table}.csv", tmp_path / f"{table}.csv", shallow=False), table


def test_identifiers_are_valid_and_nhs_numbers_are_in_the_test_range(generated):
    out, _ = generated
    children = read(out, "children_child")
    assert len(children) == 320
    assert all(c["nhs_number"].startswith("999") and identifiers.is_valid_nhs_number(c["nhs_number"]) for c in children)
    assert len({c["nhs_number"] for c in children}) == len(children)
    upns = [c["upn"] for c in children if c["upn"]]
    assert upns and all(identifiers.is_valid_upn(u) for u in upns)
    history = read(out, "children_upnrecord")
    assert all(identifiers.is_valid_upn(r["upn"]) for r in history)
    assert any(r["kind"] == "temporary" and identifiers.is_temporary_upn(r["upn"]) for r in history)


def test_sessions_fall_on_teaching_days_in_the_settings_day(generated):
    out, _ = generated
    calendar = AcademicCalendar()
    sessions = read(out, "delivery_session")
    assert len(sessions) > 1000
    for session in sessions:
        assert calendar.is_teaching_day(dt.date.fromisoformat(session["date"])), session
        assert "08:45" <= session["starts_at"] <= "15:15"
    statuses = Counter(s["status"] for s in sessions)
    assert statuses["delivered"] > statuses["cancelled_setting"] > 0
    assert statuses["planned"] > 0  # the rest of this term is planned
    assert all(s["date"] >= TODAY.isoformat() for s in sessions if s["status"] == "planned")


def test_group_sessions_count_for_each_child_in_them(generated):
    out, _ = generated
    sessions = {s["id"]: s for s in read(out, "delivery_session")}
    per_session = Counter(a["session_id"] for a in read(out, "delivery_attendance"))
    groups = [sid for sid, s in sessions.items() if s["kind"] == "group"]
    assert groups and max(per_session[sid] for sid in groups) > 1
    assert all(per_session[sid] == 1 for sid, s in sessions.items() if s["kind"] == "direct")


def test_provision_is_written_as_plans_write_it_with_some_vague_lines(generated):
    out, _ = generated
    items = read(out, "plans_provisionitem")
    assert {i["discipline"] for i in items} == {"salt", "ot", "physio"}
    assert {i["period"] for i in items} >= {"week", "term", "half_term", "year"}
    assert {i["kind"] for i in items} >= {"direct", "group", "indirect"}
    vague = [i for i in items if not i["sessions"]]
    assert vague and any("as appropriate" in i["wording"] or "as and when" in i["wording"] for i in vague)


def test_ot_falls_behind_last_year_while_salt_stays_mostly_on_track(generated):
    # Counted by the ledger from the files written (the shortfall report's rule), not by the generator.
    out, _ = generated
    start, end = dt.date(2025, 9, 1), dt.date(2026, 8, 31)
    figures = {f.discipline: f for arrays in arrays_from_duckdb(open_csv_dataset(out), start=start, end=end)
               for f in area_figures(arrays, start=start, end=end, today=TODAY)}
    ot_share = figures["ot"].short / figures["ot"].children_with_provision
    salt_share = figures["salt"].short / figures["salt"].children_with_provision
    assert ot_share > 0.4
    assert salt_share < 0.35
    assert ot_share > 1.5 * salt_share


def test_the_ot_recovery_books_make_up_sessions_with_the_independent_provider(generated):
    out, _ = generated
    providers = {p["id"]: p for p in read(out, "workforce_provider")}
    therapists = {t["id"]: t for t in read(out, "workforce_therapist")}
    make_ups = [s for s in read(out, "delivery_session")
                if s["is_make_up"] == "True" and s["date"] >= "2026-09-01"]
    assert make_ups
    assert all(providers[therapists[s["therapist_id"]]["provider_id"]]["kind"] == "independent" for s in make_ups
               if therapists[s["therapist_id"]]["discipline"] == "ot")


def test_the_need_mix_follows_the_areas_published_figures(generated):
    out, _ = generated
    needs = Counter(c["primary_need"] for c in read(out, "children_child") if c["sen_status"] == "ehcp")
    # Autism is the largest group in Sutton (1,130 of 2,582 plans, 44%).
    assert needs.most_common(1)[0][0] == "ASD"
    assert 0.30 < needs["ASD"] / sum(needs.values()) < 0.58


def _shared_data() -> Path | None:
    for candidate in [os.environ.get("FULFIL_SHARED_DIR"), REPO.parent / "shared", Path("/work/shared")]:
        if candidate and (Path(candidate) / "data/dfe-ehcp-2025/sen_needs_all_plans.csv").exists():
            return Path(candidate) / "data/dfe-ehcp-2025"
    return None


def test_the_built_in_sutton_mix_matches_the_published_dfe_file():
    data = _shared_data()
    if data is None:
        pytest.skip("DfE statistics files not found beside the repository")
    total, mix = need_mix_from_dfe_csv(data / "sen_needs_all_plans.csv", la="319")
    assert total == SUTTON_TOTAL_PLANS == 2582
    assert mix == SUTTON_PLANS_BY_NEED
    by_ons = need_mix_from_dfe_csv(data / "sen_needs_all_plans.csv", la="E09000029")
    assert by_ons == (total, mix)


def test_reading_a_file_that_is_not_the_dfe_format_says_what_is_wrong(tmp_path):
    bad = tmp_path / "needs.csv"
    bad.write_text("la,plans\n319,10\n", encoding="utf-8")
    with pytest.raises(NeedMixError, match="missing columns"):
        need_mix_from_dfe_csv(bad, la="319")


@pytest.mark.django_db(transaction=True)
def test_generate_command_writes_the_area_once_and_refuses_a_second_time(capsys):
    from fulfil.accounts.models import User
    from fulfil.children.models import Child
    from fulfil.delivery.models import Session

    call_command("generate", "--seed", "3", "--today", "2026-11-25", "--children", "90", verbosity=0)
    out = capsys.readouterr().out
    assert "Generated 1 area(s)" in out and "children ended behind their statutory OT" in out
    children, sessions = Child.objects.count(), Session.objects.count()
    assert children == 120 and sessions > 300
    assert set(User.objects.values_list("role", flat=True)) == {
        "council_officer", "commissioner", "service_manager", "therapist", "senco", "parent", "admin"}
    with pytest.raises(CommandError, match="already has an area with LA number 319"):
        call_command("generate", "--seed", "3", "--children", "90", verbosity=0)
    assert (Child.objects.count(), Session.objects.count()) == (children, sessions)
    # Ids were handed out by the generator; the database must still give new rows fresh ids.
    from fulfil.factories import ChildFactory

    ChildFactory(local_area=Child.objects.first().local_area)
    assert Child.objects.count() == children + 1


def test_generate_rejects_a_badly_written_date():
    with pytest.raises(CommandError, match="--today must be a date like 2026-11-25"):
        call_command("generate", "--today", "25/11/2026", verbosity=0)
