"""A plan made of whole days: column generation over day templates, so term totals lay out exactly.

The term model (`variables.py`) counts sessions and minutes over the term; laying its totals out
in real weeks loses about 4% of them (ADR 9): minutes pooled over the term do not divide into
whole sessions week by week, and a child can be seen once a visit. This module plans in units
that cannot lose anything when laid out:

- a *template* is one therapist's weekday in one week: the one or two settings visited, the
  children seen one-to-one and the group meetings with who is in them. It keeps every week-level
  rule by construction (journeys plus sessions within the day, each child at most once, at most
  `max_settings_per_day` settings, full groups of one length);
- the *master* LP chooses how many weeks each (therapist, weekday) uses each template (at most
  its usable weeks), with the same fairness reward as CP-SAT, a price on journeys (as the
  guiding LP, `solve.guide_weights`) and a smaller one on changing a child's therapist;
- *pricing* finds new templates worth adding from the LP's duals: per therapist and setting a
  0/1 knapsack of the children's dual values in the day's minutes (groups as items of a whole
  meeting), then the best single setting or pair of settings per weekday;
- *diving* (`dive`) makes the weeks whole a step at a time, tying each child to one therapist
  and one mode as it goes, and `lay_out` books the result into a `Diary`: template k used n
  times fills n of the day's usable weeks, which is always possible, because all templates of a
  weekday share the same usable weeks. An integer master (HiGHS MIP, or CP-SAT, from the
  dive's plan) found nothing better in 10 seconds on a Sutton-scale part (ADR 10).

It is a heuristic for the plan, not the bound: pricing picks one mode per line per round, so
the LP over templates is not proved optimal, and the reported bound stays the term model's LP
(`bound.py`), which every template plan satisfies.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from math import gcd

import highspy
import numpy as np

from fulfil.planning.solver.diary import Diary, top_up
from fulfil.planning.solver.points import piece_weights, segment_caps
from fulfil.planning.solver.rules import works
from fulfil.planning.solver.schema import Need, TermInstance

INF = highspy.kHighsInf
JOURNEY_POINTS_PER_MINUTE = 1.0  # as in the guiding LP: under a third of the least session
CONTINUITY_POINTS_PER_SESSION = 1.0  # a session is worth 100 or more, a 30-minute journey 30
NEW_PER_DAY = 6  # templates priced in per (therapist, weekday) and round
IMPROVING = 1e-6
MAX_ROUNDS = 400  # of pricing before diving (it converges in 30 to 230 on the benchmark's parts)
PRICING_SHARE = 0.4  # of a part's time, at most, before diving starts
SMOOTHING = 0.5  # weight of the last round's (smoothed) duals in the duals priced at
STALL_ROUNDS, STALL_GAIN = 10, 1e-4  # pricing stops when 10 rounds gained less than this share
PURGE_BEYOND = 1.0  # points of reduced cost: templates further from use are deleted before diving
DIVE_PRICING_ROUNDS = 10  # at most, after each diving step (measured: 3 lost 1% on a SALT part)
DIVE_AGREEMENT = 0.5  # share of a line's LP sessions that makes a template "agreed" (see `dive`)


@dataclass(frozen=True)
class Template:
    """One weekday of one therapist in one week."""

    therapist_id: str
    day: int
    settings: tuple[str, ...]
    solo: tuple[str, ...]
    meetings: tuple[tuple[str, int, tuple[str, ...]], ...] = ()  # (setting, minutes, members)

    def without(self, need_id: str) -> Template:
        """The same day with one line fewer."""
        meetings = tuple((s, m, tuple(n for n in ids if n != need_id)) for s, m, ids in self.meetings)
        return Template(self.therapist_id, self.day, self.settings, tuple(n for n in self.solo if n != need_id),
                        tuple(meeting for meeting in meetings if meeting[2]))

    def members(self) -> list[tuple[str, bool]]:
        return [(need_id, False) for need_id in self.solo] + [
            (need_id, True) for _setting, _minutes, ids in self.meetings for need_id in ids]


class Master:
    """The restricted master LP in HiGHS: rows for each weekday's weeks and each line's
    sessions, columns for each line's reward pieces and each template's weeks.

    One therapist and one mode per line are not rows: they would triple the LP, and the LP is
    most of the time spent (measured). Diving enforces them instead (`tie`): once a line is in a
    template whose weeks are fixed, templates that give it another therapist or mode are closed
    and no new ones are priced."""

    def __init__(self, instance: TermInstance) -> None:
        self.instance = instance
        self.lines: list[Need] = [n for n in instance.needs if n.required > 0]
        self.days: list[tuple[str, int]] = [(t.id, d) for t in instance.therapists for d in t.working_days
                                            if instance.usable_weeks(t.id, d)]
        self.week_row = {key: index for index, key in enumerate(self.days)}
        self.line_row = {n.id: len(self.days) + index for index, n in enumerate(self.lines)}
        count = len(self.days) + len(self.lines)
        upper = [float(len(instance.usable_weeks(*key))) for key in self.days] + [0.0] * len(self.lines)
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        self.highs.setOptionValue("threads", 1)
        self.highs.changeObjectiveSense(highspy.ObjSense.kMinimize)
        self.highs.addRows(count, np.full(count, -INF), np.array(upper), 0, np.zeros(count + 1, dtype=np.int32),
                           np.zeros(0, dtype=np.int32), np.zeros(0))
        self.columns = 0
        for need in self.lines:  # the reward pieces: first session, early sessions, later sessions
            early, later = segment_caps(need)
            for weight, cap in zip(piece_weights(need, instance), (1, early, later), strict=True):
                self._add(-float(weight), cap, {self.line_row[need.id]: 1.0})
        self.templates: list[Template] = []
        self.template_column: list[int] = []
        self.known: set[Template] = set()
        self.containing: dict[str, list[int]] = defaultdict(list)  # line -> templates it is in
        self.ties: dict[str, tuple[str, bool]] = {}  # line -> (therapist, in a group)

    def _add(self, cost: float, upper: float, entries: dict[int, float]) -> int:
        indices = np.array(list(entries), dtype=np.int32)
        self.highs.addCol(cost, 0.0, float(upper), len(indices), indices, np.array(list(entries.values()), dtype=float))
        self.columns += 1
        return self.columns - 1

    def add_template(self, template: Template) -> bool:
        members = template.members()
        if template in self.known or not members or not all(self.allows(n, template.therapist_id, g) for n, g in members):
            return False
        self.known.add(template)
        journeys = sum(self.instance.setting_by_id[s].visit_overhead_minutes for s in template.settings)
        kept = sum(1 for n, _g in members if self.instance.need_by_id[n].current_therapist_id == template.therapist_id)
        entries: dict[int, float] = {self.week_row[template.therapist_id, template.day]: 1.0}
        for need_id, _in_group in members:
            entries[self.line_row[need_id]] = -1.0
            self.containing[need_id].append(len(self.templates))
        weeks = len(self.instance.usable_weeks(template.therapist_id, template.day))
        cost = JOURNEY_POINTS_PER_MINUTE * journeys - CONTINUITY_POINTS_PER_SESSION * kept
        self.template_column.append(self._add(cost, weeks, entries))
        self.templates.append(template)
        return True

    def solve_lp(self, *, after_bounds: bool = False) -> tuple[float, np.ndarray, np.ndarray]:
        self.highs.setOptionValue("solver", "simplex")
        self.highs.setOptionValue("presolve", "off")  # keeps the previous basis: a warm start
        # New columns leave the last basis primal feasible, so primal simplex carries on from it;
        # new bounds leave it dual feasible, so dual simplex does.
        self.highs.setOptionValue("simplex_strategy", 1 if after_bounds else 4)
        self.highs.run()
        solution = self.highs.getSolution()
        return self.highs.getInfo().objective_function_value, np.array(solution.col_value), np.array(solution.row_dual)

    def purge(self, keep_within: float) -> int:
        """Delete the templates the LP does not use whose reduced cost is more than `keep_within`
        points from zero: a smaller LP solves faster (pricing leaves many thousands of columns
        behind at borough scale), and pricing can bring any of them back. Before diving only:
        it renumbers the template columns. Returns how many were deleted."""
        solution = self.highs.getSolution()
        values, reduced = np.array(solution.col_value), np.array(solution.col_dual)
        first = self.columns - len(self.templates)
        drop = [i for i, column in enumerate(self.template_column)
                if values[column] <= 1e-9 and reduced[column] > keep_within]
        if not drop:
            return 0
        self.highs.deleteCols(len(drop), np.array([self.template_column[i] for i in drop], dtype=np.int32))
        dropped = set(drop)
        self.templates = [t for i, t in enumerate(self.templates) if i not in dropped]
        self.columns -= len(drop)
        self.template_column = list(range(first, self.columns))
        self.known = set(self.templates)
        self.containing = defaultdict(list)
        for index, template in enumerate(self.templates):
            for need_id, _in_group in template.members():
                self.containing[need_id].append(index)
        return len(drop)

    def allows(self, need_id: str, therapist_id: str, in_group: bool) -> bool:
        """Whether a line may be seen by this therapist in this mode, given its tie."""
        return self.ties.get(need_id, (therapist_id, in_group)) == (therapist_id, in_group)

    def tie(self, need_id: str, therapist_id: str, in_group: bool) -> None:
        """Fix a line's therapist and mode. Templates that give it another lose that member
        (the rest of the day still stands: a day with one child fewer keeps every rule), rather
        than being closed, which threw away whole days the LP relied on (measured on a
        Sutton-scale SALT part: tying every line at once by closing cost the LP 2% of its
        contacts; diving from the free LP planned 7 sessions more with trimming)."""
        self.ties[need_id] = (therapist_id, in_group)
        keep = []
        for index in self.containing[need_id]:
            template = self.templates[index]
            if template.therapist_id == therapist_id and (need_id, in_group) in template.members():
                keep.append(index)
                continue
            column = self.template_column[index]
            self.highs.changeCoeff(self.line_row[need_id], column, 0.0)
            reduced = template.without(need_id)
            self.templates[index] = reduced
            self.known.add(reduced)
            if not reduced.members():
                self.highs.changeColBounds(column, 0.0, 0.0)
        self.containing[need_id] = keep

    def rounded(self, values: np.ndarray) -> dict[Template, int]:
        """Whole weeks from the LP's: each template's weeks rounded down, then each weekday's
        weeks left over to the templates with the largest fractions."""
        chosen: dict[Template, int] = {}
        spare = {key: len(self.instance.usable_weeks(*key)) for key in self.days}
        fractions = []
        for template, column in zip(self.templates, self.template_column, strict=True):
            weeks = int(values[column] + 1e-6)
            if weeks:
                chosen[template] = weeks
                spare[template.therapist_id, template.day] -= weeks
            if values[column] - weeks > 1e-6:
                fractions.append((values[column] - weeks, template))
        for _fraction, template in sorted(fractions, key=lambda item: -item[0]):
            key = (template.therapist_id, template.day)
            if spare[key] > 0:
                chosen[template] = chosen.get(template, 0) + 1
                spare[key] -= 1
        return chosen


def templates_of(diary: Diary) -> Counter[Template]:
    """The diary's days as templates, with how many weeks each is used."""
    found: Counter[Template] = Counter()
    solo: dict[tuple[str, int, int], list[str]] = defaultdict(list)
    meetings: dict[tuple[str, int, int], list[tuple[str, int, tuple[str, ...]]]] = defaultdict(list)
    for (therapist_id, day, week, _setting), ids in diary.solo.items():
        solo[therapist_id, day, week].extend(ids)
    for (therapist_id, day, week, setting_id, minutes), held in diary.meetings.items():
        for ids in held:
            meetings[therapist_id, day, week].append((setting_id, minutes, tuple(sorted(ids))))
    for key, settings in diary.visited.items():
        if not settings:
            continue
        found[Template(key[0], key[1], tuple(sorted(settings)), tuple(sorted(solo.get(key, ()))),
                       tuple(sorted(meetings.get(key, ()))))] += 1
    return found


class Pricer:
    """New templates from the master's duals (see the module docstring)."""

    def __init__(self, master: Master) -> None:
        self.master = master
        instance = master.instance
        self.instance = instance
        unit = 0
        for need in master.lines:
            unit = gcd(unit, need.session_minutes)
        self.unit = unit or 1
        self.at: dict[tuple[str, str], list[Need]] = defaultdict(list)  # (discipline, setting) -> lines
        for need in master.lines:
            self.at[need.discipline, need.setting_id].append(need)
        self.settings_for: dict[str, list[str]] = {}
        for therapist in instance.therapists:
            self.settings_for[therapist.id] = [s for s in therapist.settings_covered
                                               if (therapist.discipline, s) in self.at]

    def price(self, duals: np.ndarray) -> list[Template]:
        master, instance = self.master, self.instance
        found: list[Template] = []
        for therapist in instance.therapists:
            tables: dict[str, tuple[list[float], list[int], list[tuple]]] = {}
            arrays: dict[str, np.ndarray] = {}
            for setting_id in self.settings_for[therapist.id]:
                journey = instance.setting_by_id[setting_id].visit_overhead_minutes
                capacity = max(0, (therapist.minutes_per_day - journey) // self.unit)
                items = self._items(therapist.id, setting_id, duals)
                tables[setting_id] = (*_knapsack(items, capacity), items)
                arrays[setting_id] = np.array(tables[setting_id][0])
            for day in therapist.working_days:
                if (therapist.id, day) not in master.week_row:
                    continue
                week_price = duals[master.week_row[therapist.id, day]]
                options: list[tuple[float, tuple[str, ...], tuple[int, ...]]] = []
                open_here = [s for s in tables if works(instance, therapist, day, s)]
                for setting_id in open_here:
                    best, _pick, _items = tables[setting_id]
                    journey = instance.setting_by_id[setting_id].visit_overhead_minutes
                    gain = best[-1] - JOURNEY_POINTS_PER_MINUTE * journey + week_price
                    options.append((gain, (setting_id,), (len(best) - 1,)))
                if instance.config.max_settings_per_day >= 2:
                    for i, first in enumerate(open_here):
                        for second in open_here[i + 1:]:
                            journeys = (instance.setting_by_id[first].visit_overhead_minutes
                                        + instance.setting_by_id[second].visit_overhead_minutes)
                            capacity = (therapist.minutes_per_day - journeys) // self.unit
                            if capacity <= 0:
                                continue
                            # The best division of the day's minutes between the two (the first
                            # best if several tie), over every division at once: this was a
                            # fifth of a pass's time as a Python loop.
                            a, b = arrays[first], arrays[second]
                            units = np.arange(capacity + 1)
                            values = a[np.minimum(units, len(a) - 1)] + b[np.minimum(capacity - units, len(b) - 1)]
                            split = int(np.argmax(values))
                            value = float(values[split])
                            gain = value - JOURNEY_POINTS_PER_MINUTE * journeys + week_price
                            options.append((gain, (first, second), (split, capacity - split)))
                options.sort(key=lambda option: -option[0])
                for gain, settings, capacities in options[:NEW_PER_DAY]:
                    if gain <= IMPROVING:
                        break
                    found.append(self._template(therapist.id, day, settings, capacities, tables))
        return found

    def _items(self, therapist_id: str, setting_id: str, duals: np.ndarray) -> list[tuple[int, float, tuple]]:
        """Knapsack items at one setting: (size in units, dual value, what it is). A line whose
        plan allows groups is offered as a seat in a meeting (a meeting of one costs what a
        one-to-one session does, and more seats cost nothing), unless it is tied one-to-one."""
        master = self.master
        therapist = self.instance.therapist_by_id[therapist_id]
        items: list[tuple[int, float, tuple]] = []
        groups: dict[int, list[tuple[float, str]]] = defaultdict(list)
        for need in self.at[therapist.discipline, setting_id]:
            value = -duals[master.line_row[need.id]]
            if value <= IMPROVING:
                continue
            tied = master.ties.get(need.id)
            if tied is not None and tied[0] != therapist_id:
                continue
            if need.group_allowed and (tied is None or tied[1]):
                groups[need.session_minutes].append((value, need.id))
            else:
                items.append((need.session_minutes // self.unit, value, ("solo", need.id)))
        size = self.instance.max_group_size
        for minutes, members in groups.items():
            members.sort(reverse=True)
            for start in range(0, len(members), size):
                chunk = members[start:start + size]
                items.append((minutes // self.unit, sum(v for v, _ in chunk),
                              ("meeting", minutes, tuple(sorted(n for _, n in chunk)))))
        return items

    def _template(self, therapist_id: str, day: int, settings: tuple[str, ...], capacities: tuple[int, ...],
                  tables: dict) -> Template:
        solo: list[str] = []
        meetings: list[tuple[str, int, tuple[str, ...]]] = []
        for setting_id, capacity in zip(settings, capacities, strict=True):
            _best, pick, items = tables[setting_id]
            mask = pick[min(capacity, len(pick) - 1)]
            index = 0
            while mask:
                if mask & 1:
                    what = items[index][2]
                    if what[0] == "solo":
                        solo.append(what[1])
                    else:
                        meetings.append((setting_id, what[1], what[2]))
                mask >>= 1
                index += 1
        return Template(therapist_id, day, settings, tuple(sorted(solo)), tuple(sorted(meetings)))


def _knapsack(items: list[tuple[int, float, tuple]], capacity: int) -> tuple[list[float], list[int]]:
    """0/1 knapsack: best[c] is the most value in at most c units, pick[c] the items (a bitmask)."""
    best = [0.0] * (capacity + 1)
    pick = [0] * (capacity + 1)
    for index, (size, value, _what) in enumerate(items):
        if size > capacity or size <= 0:
            continue
        bit = 1 << index
        for c in range(capacity, size - 1, -1):
            candidate = best[c - size] + value
            if candidate > best[c] + 1e-9:
                best[c] = candidate
                pick[c] = pick[c - size] | bit
    return best, pick


def generate(instance: TermInstance, start: Diary, *, seconds: float | None, tied: bool = False,
             log: list | None = None) -> Diary:
    """A plan from day templates, topped up, within about `seconds` (`None`: by rounds, not the
    clock, so the same input gives the same plan). `start`'s days are the first templates.

    With `tied`, every line `start` sees stays with that therapist and mode: the LP can then
    not split a line between two therapists, so diving loses little, and it converges in about
    half the time; without, lines are free to move, which can find more. The caller keeps the
    best (`diary.diary_reward`)."""
    diary = lay_out(instance, whole_templates(instance, start, seconds=seconds, tied=tied, log=log))
    top_up(instance, diary)
    return diary


def whole_templates(instance: TermInstance, start: Diary, *, seconds: float | None, tied: bool = False,
                    log: list | None = None) -> dict[Template, int]:
    """Templates and their whole weeks: price templates in until none would improve the LP (or
    its share of the time is up), then dive."""
    started = time.perf_counter()
    master = Master(instance)
    if tied:
        for need_id, therapist_id in start.therapist.items():
            master.ties[need_id] = (therapist_id, start.grouped[need_id])
    for template in templates_of(start):
        master.add_template(template)
    pricer = Pricer(master)
    history: list[float] = []
    centre: np.ndarray | None = None
    for rounds in range(1, MAX_ROUNDS + 1):
        objective, _values, duals = master.solve_lp()
        history.append(objective)
        # Price at duals smoothed towards the last ones (Wentges): the LP's duals swing from
        # round to round, and templates priced at the swings are mostly never used.
        smoothed = duals if centre is None else SMOOTHING * centre + (1 - SMOOTHING) * duals
        new = [t for t in pricer.price(smoothed) if master.add_template(t)]
        if not new and centre is not None:
            new = [t for t in pricer.price(duals) if master.add_template(t)]
        centre = smoothed
        if log is not None:
            log.append(("price", rounds, round(objective), len(new), len(master.templates)))
        stalled = len(history) > STALL_ROUNDS and history[-STALL_ROUNDS - 1] - objective < STALL_GAIN * abs(objective)
        if not new or stalled or (seconds is not None and time.perf_counter() - started > PRICING_SHARE * seconds):
            break
    dropped = master.purge(PURGE_BEYOND)
    if log is not None:
        log.append(("purged", dropped, len(master.templates)))
    values = dive(master, pricer, deadline=None if seconds is None else started + seconds, log=log)
    return master.rounded(values)


def dive(master: Master, pricer: Pricer, *, deadline: float | None, log: list | None = None) -> np.ndarray:
    """Make the LP's weeks whole a step at a time, so the rest of the plan can adapt to each
    step: in each weekday the template with the largest fraction of a week is rounded up (a
    lower bound on its weeks), and the LP is solved again with more pricing. A line in a fixed
    template is then tied to that template's therapist and mode (the LP could otherwise split
    a line between two therapists or modes, which no diary can). One template a weekday a
    step measured best: rounding by value, or also keeping every template's whole weeks, or
    rounding up everything from half a week, lost 1% to 4% more on a SALT part. Returns the
    last LP solution (whole, unless the deadline came first)."""
    lower: list[int] = []
    while True:
        objective, values = _solve_and_price(master, pricer)
        lower.extend([0] * (len(master.templates) - len(lower)))
        weeks = values[np.array(master.template_column, dtype=np.int64)]
        floors = np.floor(weeks + 1e-6)
        fractions = np.where(weeks - floors > 1e-6, weeks - floors, 0.0)
        if log is not None:
            contacts = float(values[:master.columns - len(master.templates)].sum())  # the reward pieces come first
            log.append(("dive", int(np.count_nonzero(fractions)), round(objective), round(contacts, 1)))
        if not fractions.any() or (deadline is not None and time.perf_counter() > deadline):
            return values
        changed, skipped = _round_up(master, _dive_steps(master, weeks, floors, fractions), weeks, lower)
        if log is not None:
            log.append(("skipped", dict(skipped), len(changed)))
        if not changed:
            return values
        _raise_lower_bounds(master, changed, lower)


def _solve_and_price(master: Master, pricer: Pricer) -> tuple[float, np.ndarray]:
    """Solve the LP under the dive's bounds so far, then price new templates against it for a
    few rounds (each bound changes the duals, so templates that were not worth it may be)."""
    objective, values, duals = master.solve_lp(after_bounds=True)
    if master.highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError("the template master LP became infeasible while diving (a bug)")
    for _round in range(DIVE_PRICING_ROUNDS):
        if not [t for t in pricer.price(duals) if master.add_template(t)]:
            break
        objective, values, duals = master.solve_lp()
    return objective, values


def _dive_steps(master: Master, weeks: np.ndarray, floors: np.ndarray, fractions: np.ndarray) -> list[tuple[int, int]]:
    """The step to take in each weekday: the template with the largest fraction of a week,
    and the whole weeks to round it up to. Where each free line's LP sessions come from: a
    template is "agreed" if every free member gets most of its sessions from this therapist
    in this mode, so fixing it ties no line against the LP's choice. Agreed templates go
    first; fixing the others in the first step cost about 2% of the LP's contacts on a
    Sutton-scale SALT part."""
    supply: dict[str, Counter[tuple[str, bool]]] = defaultdict(Counter)
    for index in np.flatnonzero(weeks > 1e-9).tolist():
        template = master.templates[index]
        for need_id, in_group in template.members():
            if need_id not in master.ties:
                supply[need_id][template.therapist_id, in_group] += weeks[index]

    def agreed(template: Template) -> bool:
        return all(need_id in master.ties or supply[need_id][template.therapist_id, in_group]
                   >= DIVE_AGREEMENT * sum(supply[need_id].values()) for need_id, in_group in template.members())

    candidates = [int(i) for i in np.argsort(-fractions) if fractions[i] > 0]
    agreeing = [i for i in candidates if agreed(master.templates[i])]
    wanted: list[tuple[int, int]] = []
    days_done: set[tuple[str, int]] = set()
    for index in agreeing or candidates:
        template = master.templates[index]
        key = (template.therapist_id, template.day)
        if key not in days_done:
            days_done.add(key)
            wanted.append((index, int(floors[index]) + 1))
    return wanted


def _round_up(master: Master, wanted: list[tuple[int, int]], weeks: np.ndarray,
              lower: list[int]) -> tuple[list[int], Counter[str]]:
    """Take the steps, biggest commitments first, raising `lower` and tying each free member
    to the template's therapist and mode. A step that would book a weekday beyond its usable
    weeks ("full"), or split a line between therapists or modes ("split"), is left to the LP.
    Returns the templates rounded up and the steps skipped, by reason."""
    used: dict[tuple[str, int], int] = defaultdict(int)
    for index, template in enumerate(master.templates):
        used[template.therapist_id, template.day] += lower[index]
    changed = []
    skipped: Counter[str] = Counter()
    for index, target in sorted(wanted, key=lambda item: -weeks[item[0]]):
        template = master.templates[index]
        key = (template.therapist_id, template.day)
        extra = target - lower[index]
        if extra <= 0:
            continue
        if used[key] + extra > len(master.instance.usable_weeks(*key)):
            skipped["full"] += 1
            continue
        members = template.members()
        if not all(master.allows(n, template.therapist_id, g) for n, g in members):
            skipped["split"] += 1
            continue
        for need_id, in_group in members:
            if need_id not in master.ties:
                master.tie(need_id, template.therapist_id, in_group)
        used[key] += extra
        lower[index] = target
        changed.append(index)
    return changed, skipped


def _raise_lower_bounds(master: Master, changed: list[int], lower: list[int]) -> None:
    """Give the LP the rounded-up templates' new lower bounds (their upper bound stays the
    weekday's usable weeks)."""
    changed = sorted(set(changed))  # HiGHS refuses a list with an index twice
    columns = np.array([master.template_column[i] for i in changed], dtype=np.int32)
    uppers = [float(len(master.instance.usable_weeks(master.templates[i].therapist_id, master.templates[i].day)))
              for i in changed]
    status = master.highs.changeColsBounds(len(columns), columns, np.array([float(lower[i]) for i in changed]),
                                           np.array(uppers))
    if status != highspy.HighsStatus.kOk:
        raise RuntimeError(f"HiGHS refused the dive's bounds: {status}")


def lay_out(instance: TermInstance, chosen: dict[Template, int]) -> Diary:
    """Book whole templates into the weeks of their weekday (each line up to its requirement,
    with the therapist and mode it first got)."""
    diary = Diary(instance)
    next_week: dict[tuple[str, int], int] = defaultdict(int)
    for template, weeks in sorted(chosen.items(), key=lambda item: (-item[1], item[0].therapist_id, item[0].day)):
        therapist = instance.therapist_by_id[template.therapist_id]
        usable = instance.usable_weeks(template.therapist_id, template.day)
        key = (template.therapist_id, template.day)
        for week in usable[next_week[key]:next_week[key] + weeks]:
            for need_id, in_group in sorted(template.members(), key=lambda m: not m[1]):
                need = instance.need_by_id[need_id]
                if diary.count[need_id] < need.required:
                    diary.book(need, therapist, template.day, week, grouped=in_group)
        next_week[key] += weeks
    return diary
