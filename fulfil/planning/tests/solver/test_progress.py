"""A background job can follow a run: progress goes from 0 to 1 with something to say."""

from fulfil.planning.solver.instances import generate_term
from fulfil.planning.solver.solve import solve


def test_progress_is_reported_from_start_to_finish_in_order():
    seen: list[tuple[float, str]] = []
    instance = generate_term(children=80, therapists=6, settings=4, seed=7).with_config(time_limit_seconds=4.0)
    plan = solve(instance, on_progress=lambda fraction, message: seen.append((fraction, message)))
    fractions = [f for f, _m in seen]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert fractions == sorted(fractions)
    assert all(message for _f, message in seen)
    assert f"{plan.stats.planned_contacts:,}" in seen[-1][1]


def test_it_keeps_to_its_time_limit():
    instance = generate_term(children=300, therapists=10, settings=8, seed=8).with_config(time_limit_seconds=3.0)
    plan = solve(instance)
    assert plan.stats.seconds < 3.0 + 2.0
