"""Plan a term: baseline, decompose, bounds, plan each part from whole day templates
(`patterns.py`), move lines to therapists with room (`reassign.py`), let CP-SAT try to improve
it in three lexicographic stages, lay the result out week by week, top it up, explain every
shortfall, and validate.

Time: `config.time_limit_seconds` covers the whole call. The greedy baseline and the LPs (the
fairness LP that guides the start plans, the fair bound and the bound from its basis, and on
large parts one therapist per line chosen by the LP) come first: about 14 seconds at Sutton
scale. Day-template plans get 95% of the time left after them, in three passes two parts at a
time (`_template_plans`; CP-SAT's plans rarely survive being laid out in weeks, and at Sutton
scale it never improved on them), moving lines 80% of what then remains, and CP-SAT the rest,
shared between the parts in proportion to their size (time a part does not use passes to the
parts after it; a part with under `MIN_SEARCH_SECONDS` keeps its plan). In each part stage 1
(fair contacts) gets 70%, stage 2 (continuity) half of the rest and stage 3 (travel) the
remainder. Stage 1 starts from the rounded LP solution
(`start.py`), each later stage from the previous solution, and each later stage keeps the earlier
objective at the value already reached, so the order is strictly lexicographic: continuity never
costs any fairness reward, and travel never costs either.

Run it in a background job, never in a web request: it takes up to the time limit.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from ortools.sat.python import cp_model

from fulfil.planning.solver import objectives, patterns
from fulfil.planning.solver.bound import LpRelaxation, whole_contacts
from fulfil.planning.solver.decompose import split
from fulfil.planning.solver.diagnose import UNUSED, unmet_lines
from fulfil.planning.solver.diary import Diary, diary_reward, realise, top_up
from fulfil.planning.solver.greedy import greedy_diary
from fulfil.planning.solver.model import BuiltModel, build_model
from fulfil.planning.solver.reassign import reassign
from fulfil.planning.solver.schema import PlannerConfig, PlanStats, TermInstance, TermPlan, Visit, check_instance
from fulfil.planning.solver.start import lp_start, one_therapist_each
from fulfil.planning.solver.validate import PlanInvalid, validate

Progress = Callable[[float, str], None]
# Passes of day-template plans (`_template_plans`), each with its share of the time left:
TIED, FREE, AGAIN = "tied", "free", "again"
FIRST_PASS_SHARE = 0.45  # lines kept with their start therapist
SECOND_PASS_SHARE = 0.75  # lines free to move
OVERCOMMIT = 1.5  # parts mostly finish inside their share of a pass; the time they leave goes to the next
PATTERN_SHARE = 0.95  # of the time left after the LPs, for day-template plans
REASSIGN_SHARE = 0.8  # of the time left after those, for moving lines (`reassign.py`); CP-SAT has the rest
STAGE_ONE_SHARE, STAGE_TWO_SHARE = 0.7, 0.5
MIN_STAGE_SECONDS = 0.05
# CP-SAT's least useful time for a part: below it, setting up the model, hint and three stages
# costs more than it ever found (measured at Sutton scale: 15 parts with 0.0 to 0.2 s each, all
# kept their start, and together took 2 s the day templates could use).
MIN_SEARCH_SECONDS = 0.5
CONTINUITY_TOKEN = 0.01
JOURNEY_POINTS_PER_MINUTE = 1.0  # in the guide LP only; a session is worth 100 or more
GUIDE_SHARE = 0.35  # of the time limit, after which parts skip the second (fairness) LP
THOROUGH_SHARE = 0.5  # of the time limit, after which start plans try one layout order only
DETERMINISTIC_SHARE = 0.8  # of the time limit, as CP-SAT deterministic time, in deterministic mode
ONE_THERAPIST_SIZE = 6000  # model size above which the start of the tied pass has its therapists
# chosen by the LP (measured at Sutton scale: the two SALT parts above it, 8,400 and 8,700)
LARGE_PART = 3000  # model size (see BuiltModel.size) above which CP-SAT runs LNS only
FINISH_PER_BASELINE, FINISH_MINIMUM, FINISH_MOST = 3.0, 0.5, 0.25


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
    baseline = plan_from_diary(instance, greedy_diary(instance), status="GREEDY")
    greedy_seconds = time.perf_counter() - greedy_started
    # Topping up, explaining and validating the plan at the end is work of the same kind as the
    # baseline, a few times over (measured: about 3x at 10,000 children), so that time is kept
    # back from the search: the limit is for the whole call, not for CP-SAT alone.
    deadline -= min(FINISH_PER_BASELINE * greedy_seconds + FINISH_MINIMUM, FINISH_MOST * config.time_limit_seconds)

    report(0.02, "Bounding what any plan could deliver (LP relaxation) and rounding it")
    parts, _uncovered = split(instance)

    def prepare(part: TermInstance) -> tuple[BuiltModel, Diary, Diary, int, FairBound]:
        part_model = build_model(part)
        relaxation = LpRelaxation(part_model.model)
        contacts_objective = part_model.contacts()
        firsts = [part_model.variables.segments[need.id][0].index for need in part_model.variables.needs]
        # The fairness-guided LP costs as much again as the contacts LP; when the LPs have used
        # their share of the time (very large areas), later parts start from the contacts LP.
        in_time = config.deterministic or time.perf_counter() - started < GUIDE_SHARE * config.time_limit_seconds
        if in_time:
            guide_objective = guide_weights(part_model)
            guide = relaxation.maximise(guide_objective)
            guide_basis = relaxation.basis()
            # Lines the fairness LP sees (its first-session pieces), and the fair bound: the same
            # LP with one more row, from the fairness LP's basis.
            seeing = FairBound(relaxation, part_model, firsts, int(sum(guide.values[i] for i in firsts) + 1e-6))
            contacts = relaxation.maximise_from(contacts_objective, guide_basis)
            # Large parts only: there the pass that keeps lines with their start therapist is the
            # one that finishes in time, so its therapists matter (`one_therapist_each`); on
            # smaller parts the free pass finishes and chooses them itself.
            tied_values = None
            if part_model.size > ONE_THERAPIST_SIZE:
                relaxation.maximise_from(guide_objective, guide_basis)
                tied_values = one_therapist_each(
                    relaxation, part_model.variables, guide.values,
                    deadline=None if config.deterministic else started + GUIDE_SHARE * config.time_limit_seconds)
        else:
            # The contacts LP does not fill first pieces before the others, so ask for no line
            # at all: the fair bound is then the plain one, which is still a bound.
            contacts = guide = relaxation.maximise(contacts_objective)
            seeing = FairBound(relaxation, part_model, firsts, 0)
            tied_values = None
        # Likewise the start plan tries one layout order per weekday, not all, once the clock
        # says the LPs of a very large area are eating the search's time.
        thorough = config.deterministic or time.perf_counter() - started < THOROUGH_SHARE * config.time_limit_seconds
        start = lp_start(part_model.variables, guide.values, thorough=thorough)
        tied_start = lp_start(part_model.variables, tied_values, thorough=thorough) if tied_values is not None else start
        return part_model, start, tied_start, whole_contacts(contacts.value), seeing

    # Parts share nothing, and HiGHS runs outside the interpreter lock, so the LPs of two parts
    # are solved at once (measured: 1.9 times as fast on 2 cores at 10,000 children). Largest
    # first, so the last part to finish is a small one.
    prepare_started = time.perf_counter()
    by_size = sorted(range(len(parts)), key=lambda i: -len(parts[i].needs))
    with ThreadPoolExecutor(max_workers=max(1, config.num_workers)) as pool:
        done_in_order = dict(zip(by_size, pool.map(prepare, [parts[i] for i in by_size]), strict=True))
    prepared = [done_in_order[i] for i in range(len(parts))]
    built = [item[0] for item in prepared]
    starts = [item[1] for item in prepared]
    tied_starts = [item[2] for item in prepared]
    bound = sum(item[3] for item in prepared)
    fair_bounds = [item[4] for item in prepared]
    bound_seconds = time.perf_counter() - prepare_started  # wall time: the LPs and the start plans

    total_size = sum(b.size for b in built) or 1
    report(0.1, f"Planning whole days for {len(built)} parts")
    starts = _template_plans(built, starts, config, seconds=PATTERN_SHARE * (deadline - time.perf_counter()),
                             total_size=total_size, report=report, fair_bounds=fair_bounds, tied_starts=tied_starts)
    report(0.6, "Moving children to therapists with room")
    moves_deadline = time.perf_counter() + REASSIGN_SHARE * (deadline - time.perf_counter())
    # Parts where a therapist has a free session's time and children are short first: moves
    # can only help there, and the time may not reach every part.
    for index in sorted(range(len(built)), key=lambda i: -_short_with_room(built[i].instance, starts[i])):
        starts[index] = reassign(built[index].instance, starts[index], deadline=None if config.deterministic else moves_deadline)

    visits: list[Visit] = []
    statuses: list[str] = []
    done = 0
    for number, (part, start) in enumerate(zip(built, starts, strict=True), start=1):
        if config.deterministic:  # work-based shares, never the clock, so the same input gives the same plan
            share = DETERMINISTIC_SHARE * config.time_limit_seconds * part.size / total_size
        else:
            share = (deadline - time.perf_counter()) * part.size / max(total_size - done, 1)
        report(0.6 + 0.35 * done / total_size,
               f"Planning {part.instance.needs[0].discipline} part {number} of {len(built)} ({len(part.instance.needs)} lines)")
        part_diary, status = solve_part(part, start, seconds=share, config=config)
        visits.extend(part_diary.timetable()[0])
        statuses.append(status)
        done += part.size

    report(0.97, "Topping up and checking the plan")
    diary = Diary.from_visits(instance, visits)
    top_up(instance, diary)
    fair_bound = sum(min(part_bound, seeing.contacts(diary)) for part_bound, seeing in
                     zip((item[3] for item in prepared), fair_bounds, strict=True))
    plan = plan_from_diary(
        instance, diary, status=_overall(statuses), bound=bound, fair_bound=fair_bound, baseline=baseline, components=len(built),
        started=started, bound_seconds=bound_seconds, greedy_seconds=greedy_seconds,
    )
    report(1.0, f"Planned {plan.stats.planned_contacts:,} of {plan.stats.required_contacts:,} sessions")
    return plan


def _short_with_room(instance: TermInstance, diary: Diary) -> int:
    """Sessions short in a part if one of its therapists has a shortest session's time free on
    some day, else 0 (`reassign` can only move a line to a therapist with room)."""
    shortest = min((need.session_minutes for need in instance.needs), default=0)
    room = any(therapist.minutes_per_day - diary.load[therapist.id, day, week] >= shortest
               for therapist in instance.therapists for day in therapist.working_days
               for week in instance.usable_weeks(therapist.id, day))
    return sum(max(0, need.required - diary.count.get(need.id, 0)) for need in instance.needs) if room else 0


def _template_plans(built: list[BuiltModel], starts: list[Diary], config: PlannerConfig, *, seconds: float,
                    total_size: int, report: Progress, fair_bounds: Sequence[FairBound] = (),
                    tied_starts: Sequence[Diary] = ()) -> list[Diary]:
    """Each part's best plan among its start and its day-template plans (`patterns.py`).

    Three passes over the parts:

    1. lines kept with their start therapist (fast, and it rarely loses what the LP found),
       from `tied_starts` (each line's therapist chosen by the LP, `start.one_therapist_each`)
       if given, else from `starts`;
    2. lines free to move, from `starts` (the rounded fairness LP), which the pass re-assigns
       itself; except on the large parts that have a start of their own: their free pass never
       finishes in time, so they run the tied pass again, from their best plan;
    3. the tied pass again from each other part's best plan (measured at Sutton scale: 1 to 8
       sessions more on six of ten parts; on the large parts a third tied pass gained nothing).

    Two parts at a time: HiGHS, most of the work, runs outside the interpreter lock. Smallest
    parts first, each with its share of the pass's time left, by lines (a pass's time follows
    the lines more closely than the model's size: a 250-line OT part with a small model needs
    3 s), times the workers and `OVERCOMMIT`: parts mostly finish early, and the time they leave
    goes to the large parts at the end, which need it most (measured at Sutton scale: the two
    largest SALT parts did not finish diving when the largest went first). Passes 2 and 3 skip
    a part whose plan already delivers its fair bound (`FairBound`), seeing as many lines:
    nothing can do better, and its time goes to the others."""
    workers = max(1, config.num_workers)
    work = [len(b.variables.needs) for b in built]
    order = sorted(range(len(built)), key=lambda i: work[i])
    tied_from = list(tied_starts) or list(starts)
    best = [max(pair, key=partial(diary_reward, b.instance)) for b, pair in zip(built, zip(starts, tied_from, strict=True), strict=True)]
    rewards = [diary_reward(b.instance, d) for b, d in zip(built, best, strict=True)]
    passes = ((TIED, FIRST_PASS_SHARE), (FREE, SECOND_PASS_SHARE), (AGAIN, 1.0))
    finish = time.perf_counter() + seconds
    for number, (kind, share_of_left) in enumerate(passes):
        deadline = time.perf_counter() + share_of_left * (finish - time.perf_counter())
        lock = threading.Lock()
        if kind != TIED and fair_bounds:
            order = [i for i in order if not _at_fair_bound(best[i], fair_bounds[i])]
        if kind == AGAIN:  # large parts have had theirs (see `plan`); a third gained nothing
            order = [i for i in order if tied_from[i] is starts[i]]
        waiting = [sum(work[i] for i in order)]  # lines of the parts not started yet

        def plan(index: int, kind: str = kind, deadline: float = deadline, lock: threading.Lock = lock,
                 waiting: list[int] = waiting) -> Diary | None:
            part = built[index]
            with lock:
                share = (deadline - time.perf_counter()) * min(OVERCOMMIT * workers * work[index] / max(waiting[0], 1), 1.0)
                waiting[0] -= work[index]
            if not part.variables.needs or (not config.deterministic and share < MIN_STAGE_SECONDS):
                return None
            if kind == TIED:
                start, tied = tied_from[index], True
            elif kind == AGAIN or tied_from[index] is not starts[index]:
                # A part whose tied pass had its therapists chosen by the LP is large: its free
                # pass does not finish in its share of a 60-second limit (measured at Sutton
                # scale: 40 to 80 sessions below the tied pass on both such parts, every run).
                # The tied pass again, from its own best plan, does (8 and 11 sessions more).
                start, tied = best[index], True
            else:
                start, tied = starts[index], False
            return patterns.generate(part.instance, start, seconds=None if config.deterministic else share, tied=tied)

        with ThreadPoolExecutor(max_workers=workers) as pool:
            for count, (index, diary) in enumerate(zip(order, pool.map(plan, order), strict=True), start=1):
                if diary is not None and (reward := diary_reward(built[index].instance, diary)) > rewards[index]:
                    best[index], rewards[index] = diary, reward
                report(0.1 + 0.5 * (number + count / len(order)) / len(passes),
                       f"Planned whole days for {count} of {len(order)} parts")
    return best


class FairBound:
    """The most contacts of any plan of one part that sees at least as many lines as the plan
    made (`bound.LpRelaxation.maximise_seeing`): the fairness rule's price taken out of the bound.

    Made just after the fairness LP is solved, for the number of lines it sees, which the plan
    almost always reaches; if the plan sees fewer, it is solved again for that number (a smaller
    count can only raise the bound), so the plan is always in the class the bound is for. Both
    solves start from the basis of the LP solved just before it: the fairness LP's, which sees
    enough lines, so the re-solve takes as little time as the first (when the LPs ran out of
    time, the contacts LP's, with a count of 0 and no re-solve)."""

    def __init__(self, relaxation: LpRelaxation, part: BuiltModel, firsts: list[int], seen: int) -> None:
        self.relaxation, self.part, self.firsts, self.seen = relaxation, part, firsts, seen
        self.basis = relaxation.basis()
        self.value = relaxation.maximise_seeing(part.contacts(), firsts, seen, basis=self.basis).value

    def seen_by(self, diary: Diary) -> int:
        return sum(1 for need in self.part.variables.needs if diary.count.get(need.id, 0) > 0)

    def contacts(self, diary: Diary) -> int:
        seen = self.seen_by(diary)
        if seen < self.seen:
            self.seen = seen
            self.value = self.relaxation.maximise_seeing(self.part.contacts(), self.firsts, seen, basis=self.basis).value
        return whole_contacts(self.value)


def _at_fair_bound(diary: Diary, bound: FairBound) -> bool:
    contacts = sum(diary.count.get(need.id, 0) for need in bound.part.variables.needs)
    return bound.seen_by(diary) >= bound.seen and contacts >= whole_contacts(bound.value)


def guide_weights(part: BuiltModel) -> dict[int, float]:
    """The LP objective that guides the start plan: the fairness reward, less a point per
    minute of journey for each visit, plus a token weight (0.01 against at least 100 per
    session) for keeping a child with their therapist.

    Why the journey price: the fair LP has many optima, and the one HiGHS returns spreads each
    therapist's weekday over many settings a week or two at a time (278 visit weeks on one
    Sutton-scale SALT part). Whole sessions do not fit such a fragmented diary: laying it out
    kept 93% of its sessions. Priced journeys (a 30-minute journey costs 30 points, under a
    third of a session) pick an optimum with fewer, fuller visits (218 visit weeks) that lays
    out at 96.5%, for almost no fairness reward: measured on four parts, the LP's contacts
    fell by 0.001% and the start plan gained 1.8%."""
    v = part.variables
    weights = objectives.fair_contacts.weights(v)
    for (_therapist_id, _day, setting_id), var in v.visit_weeks.items():
        weights[var.index] = -JOURNEY_POINTS_PER_MINUTE * part.instance.setting_by_id[setting_id].visit_overhead_minutes
    for need in v.needs:
        if need.current_therapist_id is not None and (need.id, need.current_therapist_id) in v.assign:
            weights[v.assign[need.id, need.current_therapist_id].index] = CONTINUITY_TOKEN
    return weights


def solve_part(part: BuiltModel, start: Diary, *, seconds: float, config: PlannerConfig) -> tuple[Diary, str]:
    """Three lexicographic stages on one part, from the `start` plan; the result laid out week by
    week and topped up. Keeps the start if that is better week by week (the term totals are a
    relaxation of the weeks, so a CP-SAT plan can lose a little when laid out). Returns the
    part's diary and a status: "OPTIMAL"/"FEASIBLE" (stage 1) or "START" (start plan kept)."""
    v, model = part.variables, part.model
    if not v.needs:
        return start, "OPTIMAL"
    if not config.deterministic and seconds < MIN_SEARCH_SECONDS:
        return start, "START"
    part_started = time.perf_counter()
    reward = objectives.fair_contacts.expression(v)
    kept = objectives.continuity.expression(v)
    travel = objectives.travel.expression(v)
    hint: dict[int, int] | list[int] = v.hint_from_diary(start)
    variables = v.all_variables()

    def run(objective: cp_model.LinearExprT, maximise: bool, budget: float) -> tuple[str, list[int] | None, int]:
        model.clear_hints()
        for var in variables:
            model.add_hint(var, hint[var.index])
        if maximise:
            model.maximize(objective)
        else:
            model.minimize(objective)
        solver = _solver(config, max(budget, MIN_STAGE_SECONDS), large=part.size > LARGE_PART)
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return "UNKNOWN", None, 0
        return solver.status_name(status), list(solver.response_proto.solution), round(solver.objective_value)

    status, values, best = run(reward, True, seconds * STAGE_ONE_SHARE)
    if values is None:
        return start, "START"
    hint = values
    model.add(reward >= best)
    left = _left(seconds, part_started, config, spent=STAGE_ONE_SHARE)
    _status, values, best_kept = run(kept, True, left * STAGE_TWO_SHARE)
    if values is not None:
        hint = values
        model.add(kept >= best_kept)
    left = _left(seconds, part_started, config, spent=STAGE_ONE_SHARE + (1 - STAGE_ONE_SHARE) * STAGE_TWO_SHARE)
    _status, values, _visits = run(travel, False, left)
    if values is not None:
        hint = values
    laid_out = realise(part.instance, v.allocation(hint))
    top_up(part.instance, laid_out)
    if diary_reward(part.instance, laid_out) < diary_reward(part.instance, start):
        return start, "START"
    return laid_out, status


def plan_from_diary(instance: TermInstance, diary: Diary, *, status: str, bound: int | None = None, fair_bound: int | None = None,
                    baseline: TermPlan | None = None, components: int = 0, started: float | None = None,
                    bound_seconds: float = 0.0, greedy_seconds: float = 0.0) -> TermPlan:
    """Explain, count and validate a diary as a TermPlan (raises PlanInvalid)."""
    timetable, planned, assignments = diary.timetable()
    unmet = unmet_lines(instance, timetable, planned, assignments)
    totals: dict[str, tuple[int, int]] = {}
    for need in instance.needs:
        wanted, got = totals.get(need.child_id, (0, 0))
        totals[need.child_id] = (wanted + need.required, got + planned.get(need.id, 0))
    at_zero = {child for child, (wanted, got) in totals.items() if wanted > 0 and got == 0}
    unused = {instance.need_by_id[item.need_id].child_id for item in unmet if item.reason == UNUSED}
    with_current = [n for n in instance.needs if n.required > 0 and n.current_therapist_id]
    contacts = sum(planned.values())
    visits = sum(len(visit.weeks_held) for visit in timetable)
    stats = PlanStats(
        required_contacts=sum(n.required for n in instance.needs),
        planned_contacts=contacts,
        upper_bound_contacts=bound if bound is not None else -1,
        pct_of_bound=(round(100.0 * contacts / bound, 2) if bound else 100.0) if bound is not None else -1.0,
        greedy_planned_contacts=baseline.stats.planned_contacts if baseline else contacts,
        children_with_provision=sum(1 for wanted, _got in totals.values() if wanted > 0),
        children_at_zero=len(at_zero),
        children_at_zero_with_unused_capacity=len(at_zero & unused),
        setting_visits=visits,
        greedy_setting_visits=baseline.stats.setting_visits if baseline else visits,
        needs_with_current_therapist=len(with_current),
        needs_kept_with_current_therapist=sum(1 for n in with_current if assignments.get(n.id) == n.current_therapist_id),
        components=components,
        status=status,
        seconds=round(time.perf_counter() - started, 3) if started is not None else 0.0,
        bound_seconds=round(bound_seconds, 3),
        greedy_seconds=round(greedy_seconds, 3),
        fair_upper_bound_contacts=fair_bound if fair_bound is not None else -1,
        pct_of_fair_bound=(round(100.0 * contacts / fair_bound, 2) if fair_bound else 100.0) if fair_bound is not None else -1.0,
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
    return plan_from_diary(instance, greedy_diary(instance), status="GREEDY", started=started)


def _solver(config: PlannerConfig, seconds: float, *, large: bool = False) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = config.num_workers
    solver.parameters.random_seed = config.random_seed
    # On a large part, proving optimality is out of reach in the time there is; both workers are
    # better spent improving the plan by large neighbourhood search (measured: about 1.5% more
    # contacts on a 640-line part in 15 s than the default portfolio).
    solver.parameters.use_lns_only = large
    if config.deterministic:
        # Same input, same plan: interleaved workers and a work-based (not wall-clock) limit.
        solver.parameters.interleave_search = True
        solver.parameters.max_deterministic_time = seconds
        solver.parameters.max_time_in_seconds = max(10 * seconds, 10.0)
    else:
        solver.parameters.max_time_in_seconds = seconds
    return solver


def _left(seconds: float, part_started: float, config: PlannerConfig, *, spent: float) -> float:
    """Time left for a part's next stage: by the clock, or (deterministic mode) by the plan."""
    if config.deterministic:
        return seconds * (1 - spent)
    return seconds - (time.perf_counter() - part_started)


def _overall(statuses: Sequence[str]) -> str:
    if not statuses or all(s == "OPTIMAL" for s in statuses):
        return "OPTIMAL"
    if any(s == "START" for s in statuses):
        return "FEASIBLE (some parts kept their day-template or LP-rounded plan)"
    return "FEASIBLE"
