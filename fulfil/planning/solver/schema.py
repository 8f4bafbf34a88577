"""Input and output of the term planner, as frozen, typed dataclasses.

The Django side builds a `TermInstance` from the database (teaching weeks with closures already
removed, therapists' clinical minutes after non-clinical time, each plan line's due and owed
sessions for the term), calls `solve`, and stores `instance.to_dict()` and `plan.to_dict()` as
JSON so a run can be reopened, re-validated or re-run exactly.

Weekdays are 0 = Monday .. 4 = Friday. Week indices are the term's own numbering (a half-term
week is simply absent from `weeks`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from fulfil.core.disciplines import DISCIPLINES
from fulfil.planning.solver._codec import encode, from_dict

WEEKDAYS: tuple[int, ...] = (0, 1, 2, 3, 4)
ONE_TO_ONE = "one_to_one"
GROUP = "group"


@dataclass(frozen=True)
class TeachingWeek:
    """A week of the term and the weekdays settings are open in it (bank holidays, INSET days
    and closures already taken out by the caller)."""

    index: int
    open_weekdays: tuple[int, ...] = WEEKDAYS
    starts_on: str | None = None  # ISO date of the Monday, for display only


@dataclass(frozen=True)
class Therapist:
    """One clinician. `minutes_per_day` is clinical time on a working day: what is left after
    notes, reports and meetings, because that is what sessions and travel have to fit in."""

    id: str
    discipline: str
    minutes_per_day: int
    working_days: tuple[int, ...]
    settings_covered: tuple[str, ...]
    unavailable_weeks: tuple[int, ...] = ()


@dataclass(frozen=True)
class Setting:
    """A school, college or early-years setting. `visit_overhead_minutes` (travel and setting
    up) is charged once per visit, however many children are seen, which is why visits are
    worth saving. `open_weekdays` covers part-time settings (some nurseries, post-16)."""

    id: str
    cluster: str
    visit_overhead_minutes: int
    open_weekdays: tuple[int, ...] = WEEKDAYS


@dataclass(frozen=True)
class Need:
    """One therapy line of a child's EHC plan, for this term. `sessions_owed` is what earlier
    terms failed to deliver: the duty to secure the provision (Children and Families Act 2014
    s.42) does not lapse, so it is carried forward and planned like the rest."""

    id: str
    child_id: str
    discipline: str
    setting_id: str
    session_minutes: int
    sessions_due: int
    sessions_owed: int = 0
    group_allowed: bool = False
    current_therapist_id: str | None = None
    deadline_week: int | None = None  # e.g. the week of the annual review

    @property
    def required(self) -> int:
        """Sessions the plan should deliver this term: due plus owed."""
        return self.sessions_due + self.sessions_owed


@dataclass(frozen=True)
class PlannerConfig:
    """How hard to search. Stored with the instance so a run can be repeated: with
    `deterministic=True` CP-SAT interleaves its workers and stops on deterministic time, and the
    day-template step (`patterns.py`) prices and dives to the end instead of stopping on the
    clock, so the same input gives the same plan on the same OR-Tools and HiGHS versions. That
    can take longer than the time limit: 138 seconds at Sutton scale with a 60-second limit
    (98.1% of the bound, as the timed run)."""

    time_limit_seconds: float = 60.0
    num_workers: int = 2
    max_settings_per_day: int = 2  # 1 or 2
    random_seed: int = 0
    deterministic: bool = False


@dataclass(frozen=True)
class TermInstance:
    """Everything the planner needs for one term in one area."""

    term: str
    weeks: tuple[TeachingWeek, ...]
    therapists: tuple[Therapist, ...]
    settings: tuple[Setting, ...]
    needs: tuple[Need, ...]
    max_group_size: int = 4
    config: PlannerConfig = field(default_factory=PlannerConfig)

    def to_dict(self) -> dict[str, Any]:
        return encode(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TermInstance:
        return from_dict(cls, data)

    @cached_property
    def therapist_by_id(self) -> dict[str, Therapist]:
        return {t.id: t for t in self.therapists}

    @cached_property
    def setting_by_id(self) -> dict[str, Setting]:
        return {s.id: s for s in self.settings}

    @cached_property
    def need_by_id(self) -> dict[str, Need]:
        return {n.id: n for n in self.needs}

    @cached_property
    def week_indices(self) -> tuple[int, ...]:
        return tuple(sorted(w.index for w in self.weeks))

    @cached_property
    def _usable(self) -> dict[tuple[str, int], tuple[int, ...]]:
        usable: dict[tuple[str, int], tuple[int, ...]] = {}
        ordered = sorted(self.weeks, key=lambda w: w.index)
        for therapist in self.therapists:
            away = set(therapist.unavailable_weeks)
            for day in WEEKDAYS:
                usable[therapist.id, day] = tuple(
                    w.index for w in ordered if day in w.open_weekdays and w.index not in away and day in therapist.working_days
                )
        return usable

    def usable_weeks(self, therapist_id: str, weekday: int) -> tuple[int, ...]:
        """Weeks in which this therapist can run a visit on this weekday: the weekday is open
        that week, they work that weekday and they are not on leave. A weekly visit pattern
        delivers one session of each of its slots in each of these weeks."""
        return self._usable[therapist_id, weekday]

    def with_config(self, **changes: Any) -> TermInstance:
        """The same instance with some planner settings changed (e.g. a shorter time limit)."""

        return replace(self, config=replace(self.config, **changes))


def check_instance(instance: TermInstance) -> list[str]:
    """Input errors that would make a plan meaningless, in words a data manager can act on."""
    problems = _duplicate_ids(instance)
    if instance.max_group_size < 1:
        problems.append("max_group_size must be at least 1")
    if instance.config.max_settings_per_day not in (1, 2):
        problems.append("max_settings_per_day must be 1 or 2 (a whole day, or a morning and an afternoon)")
    for week in instance.weeks:
        if not set(week.open_weekdays) <= set(WEEKDAYS):
            problems.append(f"week {week.index}: open weekdays must be 0..4")
    for therapist in instance.therapists:
        problems += _therapist_problems(therapist)
    for need in instance.needs:
        problems += _need_problems(instance, need)
    return problems


def _duplicate_ids(instance: TermInstance) -> list[str]:
    """Each therapist, setting and need has its own id."""
    problems: list[str] = []
    for kind, ids in (("therapist", [t.id for t in instance.therapists]), ("setting", [s.id for s in instance.settings]),
                      ("need", [n.id for n in instance.needs])):
        seen: set[str] = set()
        for item in ids:
            if item in seen:
                problems.append(f"{kind} id {item!r} appears twice")
            seen.add(item)
    return problems


def _therapist_problems(therapist: Therapist) -> list[str]:
    """A therapist has a known discipline, clinical minutes that are not negative, and working
    days on weekdays."""
    problems: list[str] = []
    if therapist.discipline not in DISCIPLINES:
        problems.append(f"therapist {therapist.id}: unknown discipline {therapist.discipline!r}")
    if therapist.minutes_per_day < 0:
        problems.append(f"therapist {therapist.id}: minutes_per_day is negative")
    if not set(therapist.working_days) <= set(WEEKDAYS):
        problems.append(f"therapist {therapist.id}: working days must be 0..4")
    return problems


def _need_problems(instance: TermInstance, need: Need) -> list[str]:
    """A line has a known discipline and setting, sessions of some length, due and owed
    sessions that are not negative, and, if it names one, a known current therapist."""
    problems: list[str] = []
    if need.discipline not in DISCIPLINES:
        problems.append(f"need {need.id}: unknown discipline {need.discipline!r}")
    if need.setting_id not in instance.setting_by_id:
        problems.append(f"need {need.id}: unknown setting {need.setting_id!r}")
    if need.session_minutes <= 0:
        problems.append(f"need {need.id}: session_minutes must be positive")
    if need.sessions_due < 0 or need.sessions_owed < 0:
        problems.append(f"need {need.id}: due and owed sessions cannot be negative")
    if need.current_therapist_id is not None and need.current_therapist_id not in instance.therapist_by_id:
        problems.append(f"need {need.id}: unknown current therapist {need.current_therapist_id!r}")
    return problems


@dataclass(frozen=True, order=True)
class PlannedSession:
    """One session of a visit, who is in it, and the weeks it runs: one child's block of weekly
    sessions, or a group (the same children in each of those weeks).

    `lane` is the session's place in the visit's running order: sessions in the same lane never
    share a week, so each lane can keep one start time all term (`Visit.lane_offsets`)."""

    lane: int
    kind: str  # ONE_TO_ONE or GROUP
    minutes: int
    need_ids: tuple[str, ...]
    weeks: tuple[int, ...]


@dataclass(frozen=True)
class Visit:
    """A therapist's visits to a setting on one weekday: held in every week one of its sessions
    runs (every week: a weekly visit; every other week: fortnightly; or a block of weeks)."""

    therapist_id: str
    weekday: int
    setting_id: str
    sessions: tuple[PlannedSession, ...]

    @property
    def weeks_held(self) -> tuple[int, ...]:
        return tuple(sorted({week for session in self.sessions for week in session.weeks}))

    def lane_offsets(self, gap_minutes: int = 0) -> dict[int, int]:
        """Minutes from the start of the visit to each lane's start: lanes one after another,
        each as long as its longest session, with `gap_minutes` between them."""
        lengths: dict[int, int] = {}
        for session in self.sessions:
            lengths[session.lane] = max(lengths.get(session.lane, 0), session.minutes)
        offsets, start = {}, 0
        for lane in sorted(lengths):
            offsets[lane] = start
            start += lengths[lane] + gap_minutes
        return offsets


@dataclass(frozen=True)
class Unmet:
    """A line planned short, by how much, and the constraint that stopped it, in plain English."""

    need_id: str
    sessions_short: int
    reason: str


@dataclass(frozen=True)
class PlanStats:
    """Figures a commissioner asks for. `upper_bound_contacts` is provably at least what any
    plan could deliver (see `bound.py`), so `pct_of_bound` is an honest quality figure.
    `fair_upper_bound_contacts` is provably at least what any plan that sees as many lines as
    this one could deliver (ADR 11): the plain bound less what seeing every child costs."""

    required_contacts: int
    planned_contacts: int
    upper_bound_contacts: int
    pct_of_bound: float
    greedy_planned_contacts: int
    children_with_provision: int
    children_at_zero: int
    children_at_zero_with_unused_capacity: int
    setting_visits: int
    greedy_setting_visits: int
    needs_with_current_therapist: int
    needs_kept_with_current_therapist: int
    components: int
    status: str
    seconds: float
    bound_seconds: float = 0.0
    greedy_seconds: float = 0.0
    bound_method: str = "lp_relaxation"
    # The bound for plans that see at least as many lines as this one (-1 when not worked out).
    fair_upper_bound_contacts: int = -1
    pct_of_fair_bound: float = -1.0


@dataclass(frozen=True)
class TermPlan:
    """The planner's answer for one term."""

    term: str
    assignments: dict[str, str]  # need id -> therapist id
    timetable: tuple[Visit, ...]
    planned_sessions: dict[str, int]  # need id -> sessions over the term
    unmet: tuple[Unmet, ...]
    stats: PlanStats

    def to_dict(self) -> dict[str, Any]:
        return encode(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TermPlan:
        return from_dict(cls, data)
