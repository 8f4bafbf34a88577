"""Greedy <= solver <= bound: the baseline, the plan and the honest upper bound line up."""

import pytest
from ortools.sat.python import cp_model

from fulfil.planning.solver.bound import lp_bound, whole_contacts
from fulfil.planning.solver.greedy import greedy_diary
from fulfil.planning.solver.instances import generate_term
from fulfil.planning.solver.model import build_model
from fulfil.planning.solver.solve import greedy_plan, solve
from fulfil.planning.tests.solver.builders import need, setting, term, therapist


@pytest.fixture(scope="module")
def borough_slice():
    instance = generate_term(children=160, therapists=8, settings=6, seed=5).with_config(time_limit_seconds=6.0)
    return instance, solve(instance)


def test_greedy_is_at_most_the_plan_and_the_plan_at_most_the_bound(borough_slice):
    _instance, plan = borough_slice
    stats = plan.stats
    assert stats.greedy_planned_contacts <= stats.planned_contacts <= stats.upper_bound_contacts <= stats.required_contacts
    assert stats.pct_of_bound == round(100 * stats.planned_contacts / stats.upper_bound_contacts, 2)


def test_the_greedy_baseline_is_a_valid_plan_in_its_own_right(borough_slice):
    instance, plan = borough_slice
    baseline = greedy_plan(instance)
    assert baseline.stats.planned_contacts == plan.stats.greedy_planned_contacts
    assert sum(greedy_diary(instance).count.values()) == baseline.stats.planned_contacts


def test_the_bound_is_at_least_the_proven_best_number_of_contacts():
    # Small enough for CP-SAT to prove the most contacts any plan can have.
    instance = term([therapist("T1", minutes=150, days=(0, 1)), therapist("T2", minutes=120, settings=("S1", "S2"))],
                    [setting("S1", journey=20), setting("S2", journey=35)],
                    [need(f"a{i}", at="S1", minutes=(30, 45, 60)[i % 3], due=3, group=i % 2 == 0) for i in range(6)]
                    + [need(f"b{i}", at="S2", minutes=45, due=2) for i in range(3)], weeks=3)
    built = build_model(instance)
    contacts = sum(built.variables.planned.values())
    bound = whole_contacts(lp_bound(built.model, built.contacts()).value)
    built.model.maximize(contacts)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    assert solver.solve(built.model) == cp_model.OPTIMAL
    best = round(solver.objective_value)
    assert best <= bound < sum(n.required for n in instance.needs)
    assert solve(instance).stats.planned_contacts <= best


def test_the_bound_counts_no_one_nobody_can_serve():
    instance = term([therapist()], [setting("S1"), setting("S2")], [need("n1", at="S1", due=2), need("n2", at="S2", due=5)], weeks=2)
    plan = solve(instance)
    assert plan.stats.upper_bound_contacts == 2 == plan.stats.planned_contacts
