"""The fair bound: the most contacts of any plan that sees at least as many lines as the plan
made (`LpRelaxation.maximise_seeing`, `solve.FairBound`), so the price of the fairness rule is
not counted against the planner."""

import pytest
from ortools.sat.python import cp_model

from fulfil.planning.solver.bound import LpRelaxation, whole_contacts
from fulfil.planning.solver.diary import Diary
from fulfil.planning.solver.instances import scaled
from fulfil.planning.solver.model import build_model
from fulfil.planning.solver.schema import PlannerConfig
from fulfil.planning.solver.solve import FairBound, solve
from fulfil.planning.tests.solver.builders import need, setting, term, therapist


def costly_fairness_term():
    """One therapist, Mondays, 100 minutes, two weeks. Three 30-minute children at S1 fill a
    week (journey 10 + 3 x 30): 6 contacts. The 60-minute child at S2 takes a week on their own
    (journey 10 + 60 leaves 30, too little for the S1 journey and a session): seeing them costs
    two contacts."""
    return term([therapist("T1", minutes=100, settings=("S1", "S2"))], [setting("S1", journey=10), setting("S2", journey=10)],
                [need(f"a{i}", at="S1", minutes=30, due=2) for i in range(3)] + [need("b", at="S2", minutes=60, due=1)],
                weeks=2)


def mixed_term():
    """Two therapists sharing two settings, mixed lengths, some groups: small enough for CP-SAT
    to prove its answers."""
    return term([therapist("T1", minutes=150, days=(0, 1), settings=("S1", "S2")), therapist("T2", minutes=120, settings=("S1", "S2"))],
                [setting("S1", journey=20), setting("S2", journey=50)],
                [need(f"a{i}", at="S1", minutes=(30, 45, 60)[i % 3], due=3, group=i % 2 == 0) for i in range(6)]
                + [need(f"b{i}", at="S2", minutes=60, due=2) for i in range(3)], weeks=3)


def relaxed(instance):
    built = build_model(instance)
    firsts = [built.variables.segments[n.id][0].index for n in built.variables.needs]
    return built, LpRelaxation(built.model), firsts


def test_the_fair_bound_takes_the_price_of_seeing_every_child_out_of_the_bound():
    plan = solve(costly_fairness_term())
    stats = plan.stats
    assert stats.upper_bound_contacts == 6  # every week full of 30-minute sessions, b never seen
    assert stats.children_at_zero == 0 and plan.planned_sessions["b"] == 1
    assert stats.fair_upper_bound_contacts == 4 < stats.upper_bound_contacts
    assert stats.planned_contacts <= stats.fair_upper_bound_contacts
    assert stats.pct_of_fair_bound == round(100 * stats.planned_contacts / stats.fair_upper_bound_contacts, 2)
    assert stats.pct_of_bound < stats.pct_of_fair_bound



def test_a_plan_that_cannot_see_every_line_the_lp_sees_is_held_to_the_bound_for_the_lines_it_does_see():
    # 110 minutes a week after the journey, three weeks: at most two 40-minute children a week
    # (three would take 120), so a plan sees 6 of the 7 and b's three 30-minute sessions: 9
    # contacts, 7 lines. The LP can see all 8 lines (at 8 2/3 contacts), so the fairness LP's
    # count is 8, and the bound for plans seeing 8 lines is below what this plan delivers.
    instance = term([therapist(minutes=120)], [setting(journey=10)],
                    [need(f"a{i}", minutes=40, due=1) for i in range(7)] + [need("b", minutes=30, due=3)], weeks=3)
    built, relaxation, firsts = relaxed(instance)
    assert whole_contacts(relaxation.maximise_seeing(built.contacts(), firsts, len(firsts)).value) == 8
    stats = solve(instance).stats
    assert stats.planned_contacts == 9 and stats.children_at_zero == 1
    assert stats.planned_contacts <= stats.fair_upper_bound_contacts <= stats.upper_bound_contacts
    assert stats.fair_upper_bound_contacts == whole_contacts(relaxation.maximise_seeing(built.contacts(), firsts, 7).value)

@pytest.mark.parametrize(("children", "seed"), [(40, 1), (60, 2), (80, 3)])
def test_a_generated_plan_is_within_the_fair_bound_and_the_fair_bound_within_the_bound(children, seed):
    instance = scaled(children, seed=seed, config=PlannerConfig(time_limit_seconds=1.5))
    stats = solve(instance).stats
    assert stats.fair_upper_bound_contacts >= 0  # worked out, not left at -1
    assert stats.planned_contacts <= stats.fair_upper_bound_contacts <= stats.upper_bound_contacts
    assert stats.pct_of_fair_bound == round(100 * stats.planned_contacts / stats.fair_upper_bound_contacts, 2)


@pytest.mark.parametrize("instance", [costly_fairness_term(), mixed_term()], ids=["costly_fairness", "mixed"])
def test_the_fair_bound_is_at_least_the_proven_most_contacts_of_plans_seeing_that_many_lines(instance):
    built, relaxation, firsts = relaxed(instance)
    for at_least in range(len(firsts) + 1):
        lp = relaxation.maximise_seeing(built.contacts(), firsts, at_least).value
        exact = build_model(instance)
        exact.model.add(sum(exact.variables.segments[n.id][0] for n in exact.variables.needs) >= at_least)
        exact.model.maximize(sum(exact.variables.planned.values()))
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 2
        assert solver.solve(exact.model) == cp_model.OPTIMAL
        assert round(solver.objective_value) <= whole_contacts(lp), f"seeing at least {at_least} lines"


def test_seeing_every_line_is_proven_to_cost_contacts_and_the_fair_bound_says_exactly_how_many():
    instance = costly_fairness_term()
    built, relaxation, firsts = relaxed(instance)
    built.model.add(sum(built.variables.segments[n.id][0] for n in built.variables.needs) == len(firsts))
    built.model.maximize(sum(built.variables.planned.values()))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    assert solver.solve(built.model) == cp_model.OPTIMAL
    assert round(solver.objective_value) == 4
    assert whole_contacts(relaxation.maximise_seeing(built.contacts(), firsts, len(firsts)).value) == 4
    assert whole_contacts(relaxation.maximise(built.contacts()).value) == 6


def test_maximise_seeing_leaves_the_model_as_it_was():
    built, relaxation, firsts = relaxed(costly_fairness_term())
    rows = relaxation.highs.getNumRow()
    plain = relaxation.maximise(built.contacts()).value
    fair = relaxation.maximise_seeing(built.contacts(), firsts, len(firsts)).value
    assert fair < plain
    assert relaxation.highs.getNumRow() == rows
    assert relaxation.maximise(built.contacts()).value == pytest.approx(plain)


def test_maximise_seeing_leaves_the_model_as_it_was_when_no_solution_sees_that_many_lines():
    built, relaxation, firsts = relaxed(costly_fairness_term())
    rows = relaxation.highs.getNumRow()
    plain = relaxation.maximise(built.contacts()).value
    with pytest.raises(RuntimeError, match="Infeasible"):
        relaxation.maximise_seeing(built.contacts(), firsts, len(firsts) + 1)
    assert relaxation.highs.getNumRow() == rows
    assert relaxation.maximise(built.contacts()).value == pytest.approx(plain)


def test_the_fair_bound_is_solved_again_for_a_plan_that_sees_fewer_lines_and_is_then_no_lower():
    instance = costly_fairness_term()
    built, relaxation, firsts = relaxed(instance)
    fair = FairBound(relaxation, built, firsts, len(firsts))
    assert whole_contacts(fair.value) == 4

    everyone = Diary(instance)
    t1 = instance.therapist_by_id["T1"]
    for name, week in (("a0", 0), ("a1", 0), ("a2", 0), ("b", 1)):
        assert everyone.book(instance.need_by_id[name], t1, 0, week, grouped=False)
    assert fair.contacts(everyone) == 4 and fair.seen == len(firsts)  # the class it was built for

    without_b = Diary(instance)
    for name in ("a0", "a1", "a2"):
        for week in (0, 1):
            assert without_b.book(instance.need_by_id[name], t1, 0, week, grouped=False)
    assert fair.contacts(without_b) == 6 > 4  # b unseen: the bound for plans seeing 3 lines
    assert fair.seen == 3
    assert fair.contacts(without_b) == whole_contacts(relaxation.maximise_seeing(built.contacts(), firsts, 3).value)

