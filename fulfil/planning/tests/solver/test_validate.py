"""The validator catches every kind of hand-broken plan (and accepts the solver's own)."""

from dataclasses import replace

import pytest

from fulfil.planning.solver.schema import GROUP, ONE_TO_ONE, PlannedSession, TermPlan, Unmet, Visit
from fulfil.planning.solver.solve import solve
from fulfil.planning.solver.validate import validate
from fulfil.planning.tests.solver.builders import need, setting, term, therapist


@pytest.fixture(scope="module")
def case():
    instance = term(
        [therapist("T1", minutes=120, days=(0,), settings=("S1",), away=(2,)), therapist("T2", settings=("S2",))],
        [setting("S1"), setting("S2"), setting("S3", open_days=(2, 3, 4))],
        [need("a", at="S1", due=2, group=True), need("b", at="S1", due=2, group=True), need("c", at="S1", due=3),
         need("d", at="S2", due=2), need("e", at="S1", due=2, minutes=45)],
        weeks=3, max_group_size=2,
    )
    plan = solve(instance)
    assert validate(instance, plan) == []
    assert plan.unmet and any(s.kind == GROUP for v in plan.timetable for s in v.sessions)
    return instance, plan


def first_visit(plan: TermPlan, therapist_id: str = "T1") -> Visit:
    return next(v for v in plan.timetable if v.therapist_id == therapist_id)


def with_visit(plan: TermPlan, old: Visit, new: Visit) -> TermPlan:
    return replace(plan, timetable=tuple(new if v is old else v for v in plan.timetable))


def with_session(visit: Visit, old: PlannedSession, new: PlannedSession) -> Visit:
    return replace(visit, sessions=tuple(new if s is old else s for s in visit.sessions))


def problems_after(case, change) -> list[str]:
    instance, plan = case
    return validate(instance, change(plan))


def test_it_accepts_the_solvers_plan(case):
    instance, plan = case
    assert plan.stats.planned_contacts > 0 and validate(instance, plan) == []


def test_it_catches_a_therapist_over_their_minutes(case):
    def change(plan):
        visit = first_visit(plan)
        extra = PlannedSession(99, ONE_TO_ONE, 180, ("c",), (0,))
        return with_visit(plan, visit, replace(visit, sessions=(*visit.sessions, extra)))
    assert any("over capacity" in p for p in problems_after(case, change))


def test_it_catches_a_visit_to_a_setting_the_therapist_does_not_cover(case):
    def change(plan):
        visit = first_visit(plan, "T2")
        return with_visit(plan, visit, replace(visit, therapist_id="T1", weekday=0 if visit.weekday else 1))
    assert any("does not cover S2" in p for p in problems_after(case, change))


def test_it_catches_a_visit_on_a_day_the_therapist_does_not_work(case):
    def change(plan):
        visit = first_visit(plan)
        return with_visit(plan, visit, replace(visit, weekday=3))
    assert any("does not work on Thursday" in p for p in problems_after(case, change))


def test_it_catches_a_session_in_a_week_the_therapist_is_away(case):
    def change(plan):
        visit = first_visit(plan)
        session = visit.sessions[0]
        return with_visit(plan, visit, with_session(visit, session, replace(session, weeks=(2,))))
    assert any("unavailable in week 2" in p for p in problems_after(case, change))


def test_it_catches_a_session_in_a_week_that_is_not_in_the_term(case):
    def change(plan):
        visit = first_visit(plan)
        session = visit.sessions[0]
        return with_visit(plan, visit, with_session(visit, session, replace(session, weeks=(7,))))
    assert any("week 7 is not a teaching week" in p for p in problems_after(case, change))


def test_it_catches_a_group_above_the_maximum_size(case):
    def change(plan):
        visit = first_visit(plan)
        extra = PlannedSession(98, GROUP, 30, ("a", "b", "c"), (1,))
        return with_visit(plan, visit, replace(visit, sessions=(*visit.sessions, extra)))
    assert any("above the maximum group size of 2" in p for p in problems_after(case, change))


def test_it_catches_a_group_with_a_child_whose_plan_does_not_allow_groups(case):
    def change(plan):
        visit = first_visit(plan)
        extra = PlannedSession(98, GROUP, 30, ("c",), (1,))
        return with_visit(plan, visit, replace(visit, sessions=(*visit.sessions, extra)))
    assert any("c is planned in a group" in p for p in problems_after(case, change))


def test_it_catches_a_child_planned_at_another_setting(case):
    def change(plan):
        visit = first_visit(plan, "T2")
        return with_visit(plan, visit, replace(visit, setting_id="S1"))
    assert any("d attends S2 but is planned at S1" in p for p in problems_after(case, change))


def test_it_catches_a_session_of_the_wrong_length(case):
    def change(plan):
        visit = first_visit(plan)
        session = next(s for s in visit.sessions if s.need_ids == ("e",))
        return with_visit(plan, visit, with_session(visit, session, replace(session, minutes=30)))
    assert any("needs 45-minute sessions" in p for p in problems_after(case, change))


def test_it_catches_two_sessions_for_a_child_on_one_day(case):
    def change(plan):
        visit = next(v for v in plan.timetable if any(s.need_ids == ("c",) for s in v.sessions))
        session = next(s for s in visit.sessions if s.need_ids == ("c",))
        twin = replace(session, lane=97)
        return with_visit(plan, visit, replace(visit, sessions=(*visit.sessions, twin)))
    assert any("c has two sessions on" in p for p in problems_after(case, change))


def test_it_catches_two_sessions_in_one_lane_in_one_week(case):
    def change(plan):
        visit = first_visit(plan)
        session = visit.sessions[0]
        other = PlannedSession(session.lane, ONE_TO_ONE, 30, ("c",), session.weeks[:1])
        return with_visit(plan, visit, replace(visit, sessions=(*visit.sessions, other)))
    assert any(f"lane {first_visit(case[1]).sessions[0].lane} of T1" in p for p in problems_after(case, change))


def test_it_catches_more_settings_in_a_day_than_allowed(case):
    instance, plan = case
    visit = first_visit(plan)
    week = visit.weeks_held[0]
    extra = [Visit("T1", visit.weekday, s, (PlannedSession(0, ONE_TO_ONE, 30, ("c",), (week,)),)) for s in ("S2", "S3")]
    broken = replace(plan, timetable=(*plan.timetable, *extra))
    assert any("visits 3 settings" in p for p in validate(instance, broken))


def test_it_catches_a_child_seen_by_someone_other_than_their_assigned_therapist(case):
    def change(plan):
        return replace(plan, assignments={**plan.assignments, "c": "T2"})
    assert any("c is seen by T1 but assigned to T2" in p for p in problems_after(case, change))


def test_it_catches_planned_sessions_that_do_not_match_the_timetable(case):
    def change(plan):
        return replace(plan, planned_sessions={**plan.planned_sessions, "c": plan.planned_sessions["c"] + 1})
    assert any("c: planned_sessions says" in p for p in problems_after(case, change))


def test_it_catches_more_sessions_than_due_and_owed(case):
    def change(plan):
        visit = next(v for v in plan.timetable if any("d" in s.need_ids for s in v.sessions))
        session = next(s for s in visit.sessions if "d" in s.need_ids)
        return with_visit(plan, visit, with_session(visit, session, replace(session, weeks=(0, 1, 2))))
    found = problems_after(case, change)
    assert any("d is planned 3 sessions, more than the 2 due and owed" in p for p in found)


def test_it_catches_a_shortfall_missing_from_the_unmet_list(case):
    instance, plan = case
    short = [u for u in plan.unmet]
    assert short, "the case should leave someone short"
    broken = replace(plan, unmet=tuple(short[1:]))
    assert any(f"{short[0].need_id} is {short[0].sessions_short} session(s) short" in p for p in validate(instance, broken))


def test_it_catches_a_full_line_listed_as_unmet(case):
    instance, plan = case
    full = next(n.id for n in instance.needs if plan.planned_sessions[n.id] == n.required)
    broken = replace(plan, unmet=(*plan.unmet, Unmet(full, 1, "made up")))
    assert any(f"{full} is listed as unmet" in p for p in validate(instance, broken))


def test_it_catches_a_line_delivered_both_one_to_one_and_in_groups(case):
    def change(plan):
        visit = next(v for v in plan.timetable if any("a" in s.need_ids and s.kind == GROUP for s in v.sessions))
        session = next(s for s in visit.sessions if "a" in s.need_ids)
        solo = PlannedSession(96, ONE_TO_ONE, 30, ("a",), session.weeks[:1])
        return with_visit(plan, visit, replace(visit, sessions=(*visit.sessions, solo)))
    assert any("a is planned both one-to-one and in groups" in p for p in problems_after(case, change))


def test_it_catches_stats_that_do_not_add_up(case):
    def change(plan):
        return replace(plan, stats=replace(plan.stats, planned_contacts=plan.stats.planned_contacts + 1))
    assert any("stats say" in p for p in problems_after(case, change))
