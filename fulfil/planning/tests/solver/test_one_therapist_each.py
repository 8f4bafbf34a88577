"""The LP's choice of one therapist per line (`start.one_therapist_each`), the LP steps it is
built from (`LpRelaxation.maximise_from`, `fix`, `release`), and how `solve` uses them: the
contacts LP and the fair bound from the fairness LP's basis, the tied pass started from the
LP's therapists, and the tied pass run again on large parts.

Fairness points used in the arithmetic below (`objectives.fair_contacts`, priority 100): a
line's first session earns 3,000, sessions 2 .. half its requirement 110 each, the rest 100
each; the guide LP (`solve.guide_weights`) takes 1 point per minute of journey for each visit
week (30-minute journeys here: 30 points) and gives 0.01 for the line's assign variable of its
current therapist. A child is seen at most once a week at a visit, so a therapist who works
one weekday can give a line at most one session per week of the term."""

import time

import highspy
import numpy as np
import pytest

from fulfil.planning.solver import patterns
from fulfil.planning.solver import solve as solve_module
from fulfil.planning.solver.bound import LpRelaxation, whole_contacts
from fulfil.planning.solver.decompose import split
from fulfil.planning.solver.diary import Diary
from fulfil.planning.solver.instances import scaled
from fulfil.planning.solver.model import build_model
from fulfil.planning.solver.schema import PlannerConfig
from fulfil.planning.solver.solve import FairBound, _template_plans, guide_weights, plan_from_diary, solve
from fulfil.planning.solver.start import lp_start, one_therapist_each
from fulfil.planning.tests.solver.builders import need, setting, term, therapist

SEEN = 1 - 1e-6  # a line with at least this many LP sessions is one the LP sees
NONE = 1e-6  # LP sessions up to this are none at all


def split_line_term(**config):
    """T1 and T2 both work Mondays and cover S1; two weeks. Line a has 4 sessions due, and each
    therapist can give it at most 2 (one a week), so the fairness LP gives it 2 with each: all 4
    sessions (3,000 + 110 + 2 x 100 = 3,310) for 4 visit weeks (120 points). Line b (1 session,
    current therapist T2) has its session with T2, for the token: 3,000 + 0.01. LP optimum
    6,190.01. With one therapist a has 2 sessions (3,110) in 2 visit weeks, b in one of them:
    6,050 (+ 0.01 if that therapist is T2), whichever therapist it is."""
    return term([therapist("T1", days=(0,)), therapist("T2", days=(0,))], [setting("S1", journey=30)],
                [need("a", due=4), need("b", due=1, current="T2")], weeks=2, **config)


def cheaper_with_the_other_term():
    """T1 works Mondays, T2 Mondays and Tuesdays, both cover S1; three weeks. Line a has 5
    sessions due (3,000 + 2 x 110 + 2 x 100 = 3,420) and T1 as its current therapist. T1 can
    give it at most 3 sessions, T2 up to 6. Every session costs its own 30-point visit week
    whoever gives it, so the LP's only preference is the 0.01 token on assign[a, T1], which can
    be at most 1 - assign[a, T2] and assign[a, T2] is at least T2's share of a's sessions: the
    LP gives T1 all 3 it can (token 0.006) and T2 the other 2, optimum 3,420 - 150 + 0.006 =
    3,270.006, and T1 is the LP's favourite. Held with T1, a loses its last 2 sessions (200
    points, less 2 journeys): 3,220 - 90 + 0.01 = 3,130.01. Held with T2, it keeps all 5 and
    loses only the token: 3,270.0. So the favourite costs 140 points, the other therapist
    0.006."""
    return term([therapist("T1", days=(0,)), therapist("T2", days=(0, 1))], [setting("S1", journey=30)],
                [need("a", due=5, current="T1")], weeks=3)


@pytest.fixture(scope="module")
def shared_part():
    """The occupational therapy part of a 500-child area: two therapists sharing its settings,
    175 lines, and seeing every line costs the contacts LP 13 sessions (its fair bound is 837.8
    against 851.0), so the fair bound moves when a plan sees fewer."""
    parts, _uncovered = split(scaled(500, seed=1))
    part = next(p for p in parts if p.needs[0].discipline == "ot")
    assert len(part.therapists) >= 2
    return part


def guided(instance):
    """The model, its LP relaxation just solved for the fairness objective, as `solve` does it."""
    built = build_model(instance)
    relaxation = LpRelaxation(built.model)
    objective = guide_weights(built)
    return built, relaxation, objective, relaxation.maximise(objective)


def sessions_with(v, values, need_id):
    return {t.id: sum(values[v.one_to_one[need_id, t.id, day].index]
                      + (values[v.group[need_id, t.id, day].index] if (need_id, t.id, day) in v.group else 0.0)
                      for day in v.days_for[need_id, t.id]) for t in v.therapists_for[need_id]}


def objective_value(objective, values):
    return sum(weight * values[index] for index, weight in objective.items())


def bounds_are_the_models(relaxation):
    lp = relaxation.highs.getLp()
    return np.array_equal(lp.col_lower_, relaxation.lower) and np.array_equal(lp.col_upper_, relaxation.upper)


def solves_the_model(built, values):
    """Whether `values` keeps every bound and row of the model's LP (read from a fresh copy)."""
    lp = LpRelaxation(built.model).highs.getLp()
    x = np.array(values)
    matrix = lp.a_matrix_
    start, index, value = np.array(matrix.start_), np.array(matrix.index_), np.array(matrix.value_)
    activity = np.zeros(lp.num_row_)
    if matrix.format_ == highspy.MatrixFormat.kColwise:
        np.add.at(activity, index, value * x[np.repeat(np.arange(lp.num_col_), np.diff(start))])
    else:
        np.add.at(activity, np.repeat(np.arange(lp.num_row_), np.diff(start)), value * x[index])
    slack = 1e-6 * np.maximum(1.0, np.abs(activity))
    return bool(np.all(x >= np.array(lp.col_lower_) - 1e-6) and np.all(x <= np.array(lp.col_upper_) + 1e-6)
                and np.all(activity >= np.array(lp.row_lower_) - slack) and np.all(activity <= np.array(lp.row_upper_) + slack))


def lines_split(v, values):
    """Lines the solution sees whose sessions are with more than one therapist, or whose assign
    variables are not 1 for exactly one therapist."""
    found = []
    for n in v.needs:
        with_each = sessions_with(v, values, n.id)
        if sum(with_each.values()) < SEEN:
            continue
        assigned = [t.id for t in v.therapists_for[n.id] if values[v.assign[n.id, t.id].index] > 1 - NONE]
        if sum(1 for s in with_each.values() if s > NONE) != 1 or len(assigned) != 1 or with_each[assigned[0]] < SEEN:
            found.append(n.id)
    return found


# -- LpRelaxation: maximise_from, fix, release -------------------------------------------------

def test_the_contacts_lp_from_the_fairness_basis_has_the_optimum_of_a_cold_solve_on_a_small_term():
    built, relaxation, _objective, guide = guided(split_line_term())
    warm = relaxation.maximise_from(built.contacts(), relaxation.basis())
    assert warm.value == pytest.approx(LpRelaxation(built.model).maximise(built.contacts()).value)
    assert warm.value == pytest.approx(5.0)  # a's 4 sessions split between T1 and T2, and b's 1
    assert warm.value < guide.value  # a different objective really was solved


def test_the_contacts_lp_from_the_fairness_basis_has_the_optimum_of_a_cold_solve_on_a_shared_part(shared_part):
    built, relaxation, _objective, _guide = guided(shared_part)
    warm = relaxation.maximise_from(built.contacts(), relaxation.basis())
    assert relaxation.highs.getInfo().simplex_iteration_count > 0  # the fairness optimum is not the contacts one here
    assert warm.value == pytest.approx(LpRelaxation(built.model).maximise(built.contacts()).value, rel=1e-9)
    assert sum(warm.values[var.index] for var in built.variables.planned.values()) == pytest.approx(warm.value)


def test_the_fairness_lp_from_its_own_basis_is_back_at_its_solution_without_an_iteration(shared_part):
    built, relaxation, objective, guide = guided(shared_part)
    basis = relaxation.basis()
    relaxation.maximise_from(built.contacts(), basis)
    again = relaxation.maximise_from(objective, basis)
    assert relaxation.highs.getInfo().simplex_iteration_count == 0
    assert again.value == pytest.approx(guide.value, rel=1e-12)
    assert np.allclose(again.values, guide.values)


def test_fix_holds_a_line_with_one_therapist_and_release_gives_the_model_back():
    built, relaxation, objective, guide = guided(split_line_term())
    v = built.variables
    assert guide.value == pytest.approx(6190.01)
    held = {v.assign["a", "T1"].index: 1.0, v.assign["a", "T2"].index: 0.0}
    assert relaxation.fix(held) == pytest.approx(6050.0)  # a's 2 sessions with T1; b joins T1's visit
    solution = relaxation.solution()
    assert solution[v.assign["a", "T1"].index] == 1.0 and solution[v.assign["a", "T2"].index] == 0.0
    assert sessions_with(v, solution, "a") == pytest.approx({"T1": 2.0, "T2": 0.0}, abs=NONE)
    assert not bounds_are_the_models(relaxation)
    relaxation.release(list(held))
    assert bounds_are_the_models(relaxation)
    assert relaxation.fix({}) == pytest.approx(6190.01)  # the dual simplex re-solve finds the split again
    assert relaxation.maximise(objective).value == pytest.approx(6190.01)


def test_fix_says_none_when_a_line_is_held_with_two_therapists_and_keeps_the_hold_until_release():
    built, relaxation, objective, _guide = guided(split_line_term())
    v = built.variables
    both = {v.assign["a", "T1"].index: 1.0, v.assign["a", "T2"].index: 1.0}  # at most one therapist per line
    assert relaxation.fix(both) is None
    assert relaxation.fix({}) is None  # still held
    relaxation.release(list(both))
    assert bounds_are_the_models(relaxation)
    assert relaxation.fix({}) == pytest.approx(6190.01)
    assert relaxation.maximise(objective).value == pytest.approx(6190.01)


def test_release_gives_back_both_bounds_of_a_variable_held_inside_them():
    built, relaxation, objective, guide = guided(split_line_term())
    planned = built.variables.planned["a"].index  # 0 .. 4 in the model
    # a's first session only (310 points less) in one of b's visit weeks (3 journeys, 90 points, saved)
    assert relaxation.fix({planned: 1.0}) == pytest.approx(guide.value - 310 + 90)
    relaxation.release([planned, planned])
    assert (relaxation.lower[planned], relaxation.upper[planned]) == (0.0, 4.0)
    assert bounds_are_the_models(relaxation)
    assert relaxation.maximise(objective).value == pytest.approx(guide.value)


# -- one_therapist_each ------------------------------------------------------------------------

def test_a_line_the_lp_splits_between_two_therapists_gets_one_of_them_and_the_lp_is_given_back():
    built, relaxation, objective, guide = guided(split_line_term())
    v = built.variables
    assert sessions_with(v, guide.values, "a") == pytest.approx({"T1": 2.0, "T2": 2.0})
    values = one_therapist_each(relaxation, v, guide.values)
    assert lines_split(v, values) == []
    a = sessions_with(v, values, "a")
    assert sorted(a.values()) == pytest.approx([0.0, 2.0], abs=NONE)
    assert sessions_with(v, values, "b") == pytest.approx({"T1": 0.0, "T2": 1.0}, abs=NONE)  # decided: all of it with T2
    assert 6050.0 - 1e-6 <= objective_value(objective, values) <= guide.value + 1e-6
    assert solves_the_model(built, values)
    assert bounds_are_the_models(relaxation)
    assert relaxation.maximise(objective).value == pytest.approx(guide.value)


def test_a_line_goes_to_the_therapist_whose_hold_costs_least_not_to_the_lps_favourite():
    built, relaxation, objective, guide = guided(cheaper_with_the_other_term())
    v = built.variables
    assert sessions_with(v, guide.values, "a") == pytest.approx({"T1": 3.0, "T2": 2.0})  # T1 the favourite
    assert guide.value == pytest.approx(3270.006)
    values = one_therapist_each(relaxation, v, guide.values)
    assert sessions_with(v, values, "a") == pytest.approx({"T1": 0.0, "T2": 5.0}, abs=NONE)
    assert values[v.assign["a", "T2"].index] == pytest.approx(1.0)
    assert objective_value(objective, values) == pytest.approx(3270.0)
    assert bounds_are_the_models(relaxation)


def test_out_of_time_the_lines_left_go_to_the_lps_favourite_all_at_once():
    built, relaxation, objective, guide = guided(cheaper_with_the_other_term())
    v = built.variables
    values = one_therapist_each(relaxation, v, guide.values, deadline=time.perf_counter() - 1.0)
    assert sessions_with(v, values, "a") == pytest.approx({"T1": 3.0, "T2": 0.0}, abs=NONE)
    assert values[v.assign["a", "T1"].index] == pytest.approx(1.0)
    assert objective_value(objective, values) == pytest.approx(3130.01)
    assert bounds_are_the_models(relaxation)
    assert relaxation.maximise(objective).value == pytest.approx(guide.value)


@pytest.mark.parametrize("out_of_time", [False, True], ids=["in_time", "out_of_time"])
def test_every_line_of_a_shared_part_the_lp_sees_has_one_therapist_in_an_lp_solution(shared_part, out_of_time):
    built, relaxation, objective, guide = guided(shared_part)
    v = built.variables
    assert lines_split(v, guide.values)  # the fairness LP splits some lines
    values = one_therapist_each(relaxation, v, guide.values, deadline=time.perf_counter() - 1.0 if out_of_time else None)
    assert lines_split(v, values) == []
    held = [n.id for n in v.needs if len(v.therapists_for[n.id]) > 1 and sum(sessions_with(v, guide.values, n.id).values()) >= SEEN]
    assert held and all(sum(sessions_with(v, values, need_id).values()) >= SEEN for need_id in held)  # still seen, by one
    assert objective_value(objective, values) <= guide.value + 1e-6
    assert solves_the_model(built, values)
    assert bounds_are_the_models(relaxation)


# -- the start plans and solve -----------------------------------------------------------------

def test_the_start_from_the_lps_therapists_is_a_valid_plan_with_each_line_with_the_therapist_the_lp_chose():
    instance = split_line_term()
    built, relaxation, _objective, guide = guided(instance)
    v = built.variables
    values = one_therapist_each(relaxation, v, guide.values)
    chosen = max(sessions_with(v, values, "a").items(), key=lambda item: item[1])[0]
    diary = lp_start(v, values)
    assert diary.therapist["a"] == chosen and diary.count["a"] == 2
    assert diary.therapist["b"] == "T2" and diary.count["b"] == 1
    plan = plan_from_diary(instance, diary, status="START")  # raises PlanInvalid if it breaks a rule
    assert plan.assignments == {"a": chosen, "b": "T2"}


def test_the_start_from_the_lps_therapists_on_a_shared_part_is_a_valid_plan_with_one_therapist_per_line(shared_part):
    built, relaxation, _objective, guide = guided(shared_part)
    values = one_therapist_each(relaxation, built.variables, guide.values)
    diary = lp_start(built.variables, values)
    plan = plan_from_diary(shared_part, diary, status="START")
    by_line: dict[str, set[str]] = {}
    for visit in plan.timetable:
        for session in visit.sessions:
            for need_id in session.need_ids:
                by_line.setdefault(need_id, set()).add(visit.therapist_id)
    assert by_line and all(len(therapists) == 1 for therapists in by_line.values())
    assert all(plan.assignments[need_id] in therapists for need_id, therapists in by_line.items())


# Deterministic: `solve` then always has time for the fairness LP (and so for choosing therapists).
@pytest.mark.parametrize("instance", [split_line_term(deterministic=True),
                                      scaled(40, seed=1, config=PlannerConfig(time_limit_seconds=1.5, deterministic=True))],
                         ids=["split_line", "generated"])
def test_solve_chooses_therapists_by_the_lp_from_the_fairness_lp_and_still_plans_validly(instance, monkeypatch):
    """Every part (the size threshold set to 0) has its therapists chosen: with the LP back at
    the fairness optimum it is given, one therapist per line, the bounds given back, and the
    choice is the solution the tied pass's start is rounded from."""
    guide_objectives, checks, chosen, rounded = {}, [], [], []

    def remembered(part):
        guide_objectives[id(part.variables)] = objective = guide_weights(part)
        return objective

    def watched(relaxation, v, values, *, deadline=None):
        at_fairness_optimum = relaxation.highs.getInfo().objective_function_value == pytest.approx(
            objective_value(guide_objectives[id(v)], values), rel=1e-9)
        result = one_therapist_each(relaxation, v, values, deadline=deadline)
        checks.append((at_fairness_optimum, lines_split(v, result), bounds_are_the_models(relaxation)))
        chosen.append(result)
        return result

    def start_from(v, lp_values, *, thorough=True):
        rounded.append(lp_values)
        return lp_start(v, lp_values, thorough=thorough)

    monkeypatch.setattr(solve_module, "ONE_THERAPIST_SIZE", 0)  # every part, not just the large ones
    monkeypatch.setattr(solve_module, "guide_weights", remembered)
    monkeypatch.setattr(solve_module, "one_therapist_each", watched)
    monkeypatch.setattr(solve_module, "lp_start", start_from)
    plan = solve(instance)
    assert checks and all(check == (True, [], True) for check in checks)
    assert all(any(values is result for values in rounded) for result in chosen)
    stats = plan.stats
    assert 0 < stats.planned_contacts <= stats.fair_upper_bound_contacts <= stats.upper_bound_contacts


# -- the tied pass and the fair bound ----------------------------------------------------------

def test_a_part_with_a_start_from_the_lps_therapists_runs_the_tied_pass_twice_and_the_second_from_its_own_plan(monkeypatch):
    """Two one-line parts, planned by a stand-in for `patterns.generate` that records what it
    was asked: the first part has a start of its own for the tied pass, the second does not.
    The third pass (the tied pass again, from the part's best plan) is for the second only."""
    first = term([therapist("T1")], [setting("S1")], [need("a", due=1)])
    second = term([therapist("T2")], [setting("S2")], [need("b", at="S2", due=1)])
    built = [build_model(first), build_model(second)]
    starts = [Diary(first), Diary(second)]
    tied_starts = [Diary(first), starts[1]]
    better = Diary(first)
    assert better.book(first.need_by_id["a"], first.therapist_by_id["T1"], 0, 0, grouped=False)
    asked = []

    def generate(instance, start, *, seconds, tied=False, log=None):
        asked.append((instance.needs[0].id, start, tied))
        return better if start is tied_starts[0] else None

    monkeypatch.setattr(patterns, "generate", generate)
    config = PlannerConfig(deterministic=True, num_workers=1)
    best = _template_plans(built, starts, config, seconds=1.0, total_size=2, report=lambda _f, _m: None, tied_starts=tied_starts)
    assert [(line, tied) for line, _start, tied in asked] == [("a", True), ("b", True), ("a", True), ("b", False), ("b", True)]
    by_line = {}
    for line, start, _tied in asked:
        by_line.setdefault(line, []).append(start)
    assert by_line["a"][0] is tied_starts[0] and by_line["a"][1] is better  # the tied pass again, from its own plan
    assert by_line["b"][0] is starts[1] and by_line["b"][1] is starts[1]  # no LP start: free pass from the rounded LP
    assert by_line["b"][2] is starts[1]  # then tied again from its best plan, which nothing beat
    assert best[0] is better


def test_the_fair_bound_for_a_plan_seeing_fewer_lines_after_the_lp_chose_therapists_is_a_fresh_solve(shared_part):
    """The order of `solve.prepare`: fairness LP, fair bound, contacts LP from the fairness
    basis, fairness LP again, one therapist each. The re-solve for fewer lines must see the
    model as it was (every hold released), so it equals a new LP's."""
    built, relaxation, objective, guide = guided(shared_part)
    v = built.variables
    firsts = [v.segments[n.id][0].index for n in v.needs]
    basis = relaxation.basis()
    seen = int(sum(guide.values[i] for i in firsts) + 1e-6)
    fair = FairBound(relaxation, built, firsts, seen)
    assert list(fair.basis.col_status) == list(basis.col_status) and list(fair.basis.row_status) == list(basis.row_status)
    first_value = fair.value
    fresh = LpRelaxation(built.model)  # never held, never released
    assert first_value == pytest.approx(fresh.maximise_seeing(built.contacts(), firsts, seen).value, rel=1e-9)
    relaxation.maximise_from(built.contacts(), basis)
    relaxation.maximise_from(objective, basis)
    diary = lp_start(v, one_therapist_each(relaxation, v, guide.values))
    for n in [n for n in v.needs if diary.count.get(n.id, 0) > 0][:max(0, fair.seen_by(diary) - (seen - 10))]:
        diary.release(n)
    fewer = fair.seen_by(diary)
    assert fewer == seen - 10
    fresh_value = fresh.maximise_seeing(built.contacts(), firsts, fewer).value
    assert fair.contacts(diary) == whole_contacts(fresh_value)
    assert fair.seen == fewer
    assert fair.value == pytest.approx(fresh_value, rel=1e-9)
    assert fair.value > first_value + 1  # seeing fewer lines frees contacts here
