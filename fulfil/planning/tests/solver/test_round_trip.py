"""A run can be stored as JSON and reproduced exactly."""

import json
from dataclasses import replace

from fulfil.planning.solver.instances import generate_term
from fulfil.planning.solver.schema import TermInstance, TermPlan
from fulfil.planning.solver.solve import solve
from fulfil.planning.solver.validate import validate


def small_term(**config) -> TermInstance:
    instance = generate_term(children=90, therapists=6, settings=4, seed=3)
    return instance.with_config(**{"time_limit_seconds": 10.0, **config})


def without_timings(plan: TermPlan) -> dict:
    data = plan.to_dict()
    for key in ("seconds", "bound_seconds", "greedy_seconds"):
        data["stats"].pop(key)
    return data


def test_an_instance_survives_json_unchanged():
    instance = small_term()
    again = TermInstance.from_dict(json.loads(json.dumps(instance.to_dict())))
    assert again == instance
    assert again.usable_weeks(instance.therapists[0].id, 1) == instance.usable_weeks(instance.therapists[0].id, 1)


def test_a_plan_survives_json_unchanged_and_still_validates():
    instance = small_term()
    plan = solve(instance)
    again = TermPlan.from_dict(json.loads(json.dumps(plan.to_dict())))
    assert again == plan
    assert validate(TermInstance.from_dict(json.loads(json.dumps(instance.to_dict()))), again) == []


def test_a_stored_instance_solved_again_in_deterministic_mode_gives_the_same_plan():
    instance = small_term(deterministic=True, time_limit_seconds=2.0)
    first = solve(instance)
    second = solve(TermInstance.from_dict(json.loads(json.dumps(instance.to_dict()))))
    assert without_timings(first) == without_timings(second)


def test_unknown_fields_are_refused_rather_than_dropped():
    data = small_term().to_dict()
    data["therapists"][0]["favourite_colour"] = "green"
    try:
        TermInstance.from_dict(data)
    except ValueError as error:
        assert "favourite_colour" in str(error)
    else:
        raise AssertionError("an unknown field was accepted")


def test_changing_the_config_keeps_everything_else():
    instance = small_term()
    faster = instance.with_config(time_limit_seconds=1.0)
    assert faster.config.time_limit_seconds == 1.0
    assert replace(faster, config=instance.config) == instance
