"""Plan a term: decompose, bound, solve each part in three lexicographic stages, lay the result
out week by week, explain every shortfall, and validate.

Time: `config.time_limit_seconds` covers the whole call. The greedy baseline and the LP bounds
come first (a few seconds at borough scale); what is left is shared between the parts in
proportion to their size, and time a part does not use (because CP-SAT proved it optimal) passes
to the parts after it. Within a part, stage 1 (fair contacts) gets 70%, stage 2 (continuity)
half of the rest and stage 3 (travel) the remainder. Each stage starts from the previous
solution (stage 1 from the greedy plan), and each later stage keeps the earlier objectives at
the values already reached, so the order is strictly lexicographic: continuity never costs a
contact's worth of reward, and travel never costs either.

Run it in a background job, never in a web request: it takes up to the time limit.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from ortools.sat.python import cp_model

from fulfil.planning.solver import objectives
from fulfil.planning.solver.allocation import Allocation
from fulfil.planning.solver.bound import lp_bound, whole_contacts
from fulfil.planning.solver.decompose import split
from fulfil.planning.solver.diagnose import UNUSED, unmet_lines
from fulfil.planning.solver.greedy import greedy_allocation
from fulfil.planning.solver.model import BuiltModel, build_model
from fulfil.planning.solver.schema import PlannerConfig, PlanStats, TermInstance, TermPlan, check_instance
from fulfil.planning.solver.timetable import realise
from fulfil.planning.solver.validate import PlanInvalid, validate

Progress = Callable[[float, str], None]
STAGE_ONE_SHARE, STAGE_TWO_SHARE = 0.7, 0.5
MIN_STAGE_SECONDS = 0.05


def solve(instance: TermInstance, *, on_progress: Progress | None = None) -> TermPlan:
    """The optimised plan for the term, with the greedy baseline and the bound in its stats.

    `on_progress(fraction, message)` is called as work advances (fraction from 0 to 1), so a
    background job can show a progress bar. Raises ValueError for bad input and PlanInvalid if
    the plan breaks a rule (a bug).
    """
    started = time.perf_counter()
    report = on_progress or (lambda _fraction, _message: None)
    problems = check_instance(instance)
    if problems:
        raise ValueError("; ".join(problems))
    config = instance.config
    deadline = started + config.time_limit_seconds

    report(0.0, "Building the first-come-first-served baseline")
    greedy_started = time.perf_counter()
    greedy = greedy_allocation(instance)
    greedy_plan = plan_from_allocation(instance, greedy, status="GREEDY")
    greedy_seconds = time.perf_counter() - greedy_started

    report(0.03, "Bounding what any plan could deliver (LP relaxation)")
    bound_started = time.perf_counter()
    parts, _uncovered = split(instance)
    built = [build_model(part) for part in parts]
    bound = sum(whole_contacts(lp_bound(b.model, b.contacts())) for b in built)
    bound_seconds = time.perf_counter() - bound_started

    allocation = Allocation()
    statuses: list[str] = []
    total_size = sum(b.size for b in built) or 1
    done = 0
    for number, part in enumerate(built, start=1):
        remaining_size = total_size - done
        share = (deadline - time.perf_counter()) * part.size / max(remaining_size, 1)
        report(0.1 + 0.85 * done / total_size,
               f"Planning {part.instance.needs[0].discipline} part {number} of {len(built)} ({len(part.instance.needs)} lines)")
        part_allocation, status = solve_part(part, greedy, seconds=share, config=config)
        allocation.update(part_allocation)
        statuses.append(status)
        done += part.size

    report(0.97, "Laying out the timetable and checking it")
    plan = plan_from_allocation(
        instance, allocation, status=_overall(statuses), bound=bound, greedy=greedy_plan, components=len(built),
        started=started, bound_seconds=bound_seconds, greedy_seconds=greedy_seconds,
    )
    report(1.0, f"Planned {plan.stats.planned_contacts:,} of {plan.stats.required_contacts:,} sessions")
    return plan


def solve_part(part: BuiltModel, start: Allocation, *, seconds: float, config: PlannerConfig) -> tuple[Allocation, str]:
    """Three lexicographic stages on one part. Returns its allocation and stage-1 status
    ("OPTIMAL", "FEASIBLE", or "GREEDY" if no better plan was found in time)."""
    v, model = part.variables, part.model
    if not v.needs:
        return Allocation(), "OPTIMAL"
    part_started = time.perf_counter()
    reward = objectives.fair_contacts.expression(v)
    kept = objectives.continuity.expression(v)
    travel = objectives.travel.expression(v)
    hint = v.hint_values(start)
    variables = v.all_variables()

    def run(objective: cp_model.LinearExprT, maximise: bool, budget: float) -> tuple[str, list[int] | None, int]:
        model.clear_hints()
        for var in variables:
            model.add_hint(var, hint[var.index])
        if maximise:
            model.maximize(objective)
        else:
            model.minimize(objective)
        solver = _solver(config, max(budget, MIN_STAGE_SECONDS))
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return "UNKNOWN", None, 0
        return solver.status_name(status), list(solver.response_proto.solution), round(solver.objective_value)

    status, values, best = run(reward, True, seconds * STAGE_ONE_SHARE)
    if values is None:
        return start_for(part, start), "GREEDY"
    hint = dict(enumerate(values))
    model.add(reward >= best)
    left = seconds - (time.perf_counter() - part_started)
    _status2, values2, best_kept = run(kept, True, left * STAGE_TWO_SHARE)
    if values2 is not None:
        hint = dict(enumerate(values2))
        model.add(kept >= best_kept)
    left = seconds - (time.perf_counter() - part_started)
    _status3, values3, _visits = run(travel, False, left)
    if values3 is not None:
        hint = dict(enumerate(values3))
    return v.allocation(hint), status


def start_for(part: BuiltModel, allocation: Allocation) -> Allocation:
    """The part of a whole-area allocation that belongs to one part."""
    ids = {need.id for need in part.variables.needs}
    result = Allocation()
    result.therapist = {k: t for k, t in allocation.therapist.items() if k in ids}
    result.in_group = {k: g for k, g in allocation.in_group.items() if k in ids}
    result.sessions = {k: c for k, c in allocation.sessions.items() if k[0] in ids}
    return result


def plan_from_allocation(instance: TermInstance, allocation: Allocation, *, status: str, bound: int | None = None,
                         greedy: TermPlan | None = None, components: int = 0, started: float | None = None,
                         bound_seconds: float = 0.0, greedy_seconds: float = 0.0) -> TermPlan:
    """Realise, explain and validate an allocation as a TermPlan (raises PlanInvalid)."""
    timetable, planned = realise(instance, allocation)
    assignments = {need_id: therapist for need_id, therapist in allocation.therapist.items() if planned.get(need_id, 0) > 0}
    unmet = unmet_lines(instance, timetable, planned, assignments)
    required = sum(n.required for n in instance.needs)
    contacts = sum(planned.values())
    totals: dict[str, tuple[int, int]] = {}
    for need in instance.needs:
        owed_total, got = totals.get(need.child_id, (0, 0))
        totals[need.child_id] = (owed_total + need.required, got + planned.get(need.id, 0))
    at_zero = {child for child, (wanted, got) in totals.items() if wanted > 0 and got == 0}
    unused = {instance.need_by_id[item.need_id].child_id for item in unmet if item.reason == UNUSED}
    with_current = [n for n in instance.needs if n.required > 0 and n.current_therapist_id]
    stats = PlanStats(
        required_contacts=required,
        planned_contacts=contacts,
        upper_bound_contacts=bound if bound is not None else -1,
        pct_of_bound=round(100.0 * contacts / bound, 2) if bound else (100.0 if bound == 0 else -1.0),
        greedy_planned_contacts=greedy.stats.planned_contacts if greedy else contacts,
        children_with_provision=sum(1 for wanted, _got in totals.values() if wanted > 0),
        children_at_zero=len(at_zero),
        children_at_zero_with_unused_capacity=len(at_zero & unused),
        setting_visits=sum(len(visit.weeks_held) for visit in timetable),
        greedy_setting_visits=greedy.stats.setting_visits if greedy else sum(len(visit.weeks_held) for visit in timetable),
        needs_with_current_therapist=len(with_current),
        needs_kept_with_current_therapist=sum(1 for n in with_current if assignments.get(n.id) == n.current_therapist_id),
        components=components,
        status=status,
        seconds=round(time.perf_counter() - started, 3) if started is not None else 0.0,
        bound_seconds=round(bound_seconds, 3),
        greedy_seconds=round(greedy_seconds, 3),
    )
    plan = TermPlan(instance.term, assignments, timetable, planned, unmet, stats)
    problems = validate(instance, plan)
    if problems:
        raise PlanInvalid(problems)
    return plan


def greedy_plan(instance: TermInstance) -> TermPlan:
    """The first-come-first-served baseline on its own, as a validated TermPlan (no bound)."""
    problems = check_instance(instance)
    if problems:
        raise ValueError("; ".join(problems))
    started = time.perf_counter()
    return plan_from_allocation(instance, greedy_allocation(instance), status="GREEDY", started=started)


def _solver(config: PlannerConfig, seconds: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = config.num_workers
    solver.parameters.random_seed = config.random_seed
    if config.deterministic:
        # Same input, same plan: interleaved workers and a work-based (not wall-clock) limit.
        solver.parameters.interleave_search = True
        solver.parameters.max_deterministic_time = seconds
        solver.parameters.max_time_in_seconds = max(10 * seconds, 10.0)
    else:
        solver.parameters.max_time_in_seconds = seconds
    return solver


def _overall(statuses: Sequence[str]) -> str:
    if not statuses or all(s == "OPTIMAL" for s in statuses):
        return "OPTIMAL"
    if any(s == "GREEDY" for s in statuses):
        return "FEASIBLE (some parts kept the greedy plan)"
    return "FEASIBLE"
