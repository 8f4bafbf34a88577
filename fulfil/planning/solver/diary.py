"""The plan as a therapist's diary: who is seen where, on which weekday of which week.

Everything that becomes a `TermPlan` goes through a Diary, and a Diary only accepts a booking
that keeps every week-level rule (usable week, one session per child per day, at most
`max_settings_per_day` settings, journeys plus sessions within the day's minutes, group seats).
Three users:

- `greedy.py` books children in list order (the baseline);
- `realise` lays out term totals (the rounded LP solution in `start.py`, the optimiser's in
  `solve.py`): each weekday's week patterns into real weeks, then each child's sessions into
  the least loaded weeks its setting is visited, in several orders, keeping the best day;
- `top_up` then books any session that still fits, fairest first, so capacity the term totals
  could not place exactly is not wasted.
"""

from __future__ import annotations

import heapq
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from fulfil.planning.solver.allocation import Allocation
from fulfil.planning.solver.points import gain, reward
from fulfil.planning.solver.rules import covers, works
from fulfil.planning.solver.schema import GROUP, ONE_TO_ONE, Need, PlannedSession, TermInstance, Therapist, Visit

DayKey = tuple[str, int, int]  # therapist, weekday, week
# A sort key for a weekday's lines: (line, sessions wanted, weeks its setting is visited, grouped).
LayoutOrder = Callable[[Need, int, int, bool], tuple[Any, ...]]
LAYOUT_SHUFFLES = 8
REPLACE_MOST = 22  # top-ups one first session outweighs (objectives.fair_contacts)


class Diary:
    def __init__(self, instance: TermInstance) -> None:
        self.instance = instance
        self.load: dict[DayKey, int] = defaultdict(int)  # journeys + session minutes
        self.visited: dict[DayKey, set[str]] = defaultdict(set)
        self.solo: dict[tuple[str, int, int, str], list[str]] = defaultdict(list)
        self.meetings: dict[tuple[str, int, int, str, int], list[list[str]]] = defaultdict(list)
        self.busy: set[tuple[str, int, int]] = set()  # (need, weekday, week)
        self.count: Counter[str] = Counter()
        self.therapist: dict[str, str] = {}
        self.grouped: dict[str, bool] = {}
        self._usable = {(t.id, d): frozenset(instance.usable_weeks(t.id, d)) for t in instance.therapists for d in range(5)}
        self._lengths = sorted({need.session_minutes for need in instance.needs})
        self._reachable: dict[tuple[str, int, str, str], bool] = {}  # see `cost`
        self._most_settings = instance.config.max_settings_per_day
        self._journey = {setting.id: setting.visit_overhead_minutes for setting in instance.settings}

    def cost(self, need: Need, therapist: Therapist, day: int, week: int, *, grouped: bool, as_new: bool = False) -> int | None:
        """Minutes one more session would add to that day (0 to join a group with a free seat),
        or None if a rule forbids it. `as_new` ignores the line's current therapist and mode
        (to ask whether another therapist would have had room)."""
        # The hottest function of the planner (millions of calls at Sutton scale): the rules
        # that do not change as the diary fills are looked up once per therapist, weekday and
        # setting (`_reachable`), and nothing is computed twice.
        if week not in self._usable.get((therapist.id, day), ()) or (need.id, day, week) in self.busy:
            return None
        if not as_new and need.id in self.therapist and (
                self.therapist[need.id] != therapist.id or self.grouped[need.id] != grouped):
            return None
        if grouped and not need.group_allowed:
            return None
        place = (therapist.id, day, need.setting_id, need.discipline)
        reachable = self._reachable.get(place)
        if reachable is None:
            reachable = self._reachable[place] = (
                need.discipline == therapist.discipline and covers(therapist, need.setting_id)
                and works(self.instance, therapist, day, need.setting_id))
        if not reachable:
            return None
        key = (therapist.id, day, week)
        visited = self.visited[key]
        extra = 0
        if need.setting_id not in visited:
            if len(visited) >= self._most_settings:
                return None
            extra += self._journey[need.setting_id]
        if grouped and self._open_meeting(need, therapist.id, day, week) is not None:
            return extra
        extra += need.session_minutes
        return extra if self.load[key] + extra <= therapist.minutes_per_day else None

    def book(self, need: Need, therapist: Therapist, day: int, week: int, *, grouped: bool) -> bool:
        extra = self.cost(need, therapist, day, week, grouped=grouped)
        if extra is None:
            return False
        key = (therapist.id, day, week)
        self.load[key] += extra
        self.visited[key].add(need.setting_id)
        if grouped:
            meeting = self._open_meeting(need, therapist.id, day, week)
            if meeting is None:
                self.meetings[therapist.id, day, week, need.setting_id, need.session_minutes].append([need.id])
            else:
                meeting.append(need.id)
        else:
            self.solo[therapist.id, day, week, need.setting_id].append(need.id)
        self.busy.add((need.id, day, week))
        self.count[need.id] += 1
        self.therapist[need.id] = therapist.id
        self.grouped[need.id] = grouped
        return True

    def unbook_solo(self, need: Need, therapist: Therapist, day: int, week: int) -> None:
        """Take out one one-to-one session (to move it), freeing its minutes and, if it was the
        setting's last session that day, the journey too."""
        key = (therapist.id, day, week)
        self.solo[(*key, need.setting_id)].remove(need.id)
        self.load[key] -= need.session_minutes
        self.busy.discard((need.id, day, week))
        self.count[need.id] -= 1
        if not self.count[need.id]:
            del self.therapist[need.id], self.grouped[need.id]
        if not self._holds_sessions(key, need.setting_id):
            self.visited[key].discard(need.setting_id)
            self.load[key] -= self.instance.setting_by_id[need.setting_id].visit_overhead_minutes

    def release(self, need: Need) -> int:
        """Take out every session of a line (to give the line to another therapist), freeing the
        minutes, emptied meetings and journeys no longer needed. Returns how many were taken."""
        therapist_id = self.therapist.get(need.id)
        if therapist_id is None:
            return 0
        taken = 0
        for day in self.instance.therapist_by_id[therapist_id].working_days:
            for week in self.weeks(therapist_id, day):
                if (need.id, day, week) not in self.busy:
                    continue
                key = (therapist_id, day, week)
                solo = self.solo.get((*key, need.setting_id))
                if solo and need.id in solo:
                    solo.remove(need.id)
                    self.load[key] -= need.session_minutes
                else:
                    meetings = self.meetings[(*key, need.setting_id, need.session_minutes)]
                    meeting = next(m for m in meetings if need.id in m)
                    meeting.remove(need.id)
                    if not meeting:
                        meetings.remove(meeting)
                        self.load[key] -= need.session_minutes
                self.busy.discard((need.id, day, week))
                taken += 1
                if not self._holds_sessions(key, need.setting_id):
                    self.visited[key].discard(need.setting_id)
                    self.load[key] -= self.instance.setting_by_id[need.setting_id].visit_overhead_minutes
        self.count[need.id] = 0
        del self.therapist[need.id], self.grouped[need.id]
        return taken

    def _holds_sessions(self, key: DayKey, setting_id: str) -> bool:
        return bool(self.solo.get((*key, setting_id))) or any(
            self.meetings.get((*key, setting_id, minutes)) for minutes in self._lengths)

    def copy(self) -> Diary:
        """An independent copy (to try a change and keep it only if it is better)."""
        other = Diary.__new__(Diary)
        other.instance, other._usable, other._lengths = self.instance, self._usable, self._lengths
        other._reachable, other._most_settings, other._journey = self._reachable, self._most_settings, self._journey
        other.load = defaultdict(int, self.load)
        other.visited = defaultdict(set, {key: set(settings) for key, settings in self.visited.items()})
        other.solo = defaultdict(list, {key: list(ids) for key, ids in self.solo.items()})
        other.meetings = defaultdict(list, {key: [list(m) for m in held] for key, held in self.meetings.items()})
        other.busy = set(self.busy)
        other.count = Counter(self.count)
        other.therapist = dict(self.therapist)
        other.grouped = dict(self.grouped)
        return other

    def book_by_moving(self, need: Need, therapist: Therapist, day: int) -> bool:
        """Book one one-to-one session in a week that is just too full, by moving another child's
        one-to-one session from that week to another week of the same weekday where it fits.
        This is how a planner fixes a diary by hand; it recovers the minutes that first-fit
        packing strands as small gaps in several weeks."""
        if need.group_allowed and self.grouped.get(need.id, False):
            return False
        journey = self.instance.setting_by_id[need.setting_id].visit_overhead_minutes
        weeks = sorted(self.weeks(therapist.id, day), key=lambda w: self.load[therapist.id, day, w])
        for week in weeks:
            key = (therapist.id, day, week)
            if (need.id, day, week) in self.busy:
                continue
            if self.cost(need, therapist, day, week, grouped=False) is not None:
                return self.book(need, therapist, day, week, grouped=False)
            new_visit = need.setting_id not in self.visited[key]
            if new_visit and len(self.visited[key]) >= self.instance.config.max_settings_per_day:
                continue
            deficit = self.load[key] + need.session_minutes + (journey if new_visit else 0) - therapist.minutes_per_day
            if deficit <= 0:
                continue  # not the minutes that stop it (another rule does)
            movable = [(setting_id, other) for (t, d, w, setting_id), ids in self.solo.items() if (t, d, w) == key
                       for other in ids if other != need.id and self.instance.need_by_id[other].session_minutes >= deficit]
            for _setting_id, other_id in movable:
                other = self.instance.need_by_id[other_id]
                for target in weeks:
                    if target == week or self.cost(other, therapist, day, target, grouped=False) is None:
                        continue
                    self.unbook_solo(other, therapist, day, week)
                    self.book(other, therapist, day, target, grouped=False)
                    if self.cost(need, therapist, day, week, grouped=False) is not None:
                        return self.book(need, therapist, day, week, grouped=False)
                    self.unbook_solo(other, therapist, day, target)  # undo
                    self.book(other, therapist, day, week, grouped=False)
        return False

    def book_by_replacing(self, need: Need, therapist: Therapist, day: int, *, most: int = 3) -> bool:
        """Book a first session for a child still at zero in place of other children's top-ups
        (one-to-one sessions of lines that keep at least one other session) in one week: a first
        session is worth more than 22 top-ups (objective 1), so this is always a gain. Up to
        `most` top-ups, the least valuable first; or, when the day already visits as many
        settings as it may, every session at one of them if all are top-ups (at most 22), so the
        child's setting can take its place (measured at Sutton scale: 2 to 5 children were left
        at zero in a short-staffed OT patch whose therapist's days were all full of visits)."""
        if self.count.get(need.id) or (need.group_allowed and self.grouped.get(need.id, False)):
            return False
        journey = self.instance.setting_by_id[need.setting_id].visit_overhead_minutes
        for week in sorted(self.weeks(therapist.id, day), key=lambda w: self.load[therapist.id, day, w]):
            key = (therapist.id, day, week)
            if (need.id, day, week) in self.busy:
                continue
            for chosen in self._replaceable(need, therapist, key, journey, most=most):
                for other in chosen:
                    self.unbook_solo(other, therapist, day, week)
                if self.cost(need, therapist, day, week, grouped=False) is not None:
                    return self.book(need, therapist, day, week, grouped=False)
                for other in chosen:  # undo: another rule stops it
                    self.book(other, therapist, day, week, grouped=False)
        return False

    def _replaceable(self, need: Need, therapist: Therapist, key: DayKey, journey: int, *, most: int) -> list[list[Need]]:
        """Sets of top-ups whose removal would leave room for `need` on that day (see
        `book_by_replacing`), cheapest first."""
        def top_ups(setting_id: str | None = None) -> list[tuple[int, str]]:
            # Looked up by key, not by scanning every booking: this runs for each week a child
            # at zero might go in.
            settings = [setting_id] if setting_id is not None else sorted(self.visited[key])
            return sorted((gain(self.instance.need_by_id[other], self.count[other] - 1, self.instance), other)
                          for s in settings for other in self.solo.get((*key, s), ()) if self.count[other] >= 2)

        options: list[list[Need]] = []
        new_visit = need.setting_id not in self.visited[key]
        if not new_visit or len(self.visited[key]) < self.instance.config.max_settings_per_day:
            deficit = self.load[key] + need.session_minutes + (journey if new_visit else 0) - therapist.minutes_per_day
            chosen: list[Need] = []
            freed = 0
            for _gain, other in top_ups():
                if freed >= deficit or len(chosen) == most:
                    break
                chosen.append(self.instance.need_by_id[other])
                freed += chosen[-1].session_minutes
            if chosen and freed >= deficit:
                options.append(chosen)
            return options
        for setting_id in sorted(self.visited[key]):
            there = self.solo.get((*key, setting_id), [])
            has_meetings = any(m for (t, d, w, s, _l), m in self.meetings.items() if (t, d, w, s) == (*key, setting_id))
            replaced = top_ups(setting_id)
            if has_meetings or not there or len(replaced) != len(there) or len(replaced) > REPLACE_MOST:
                continue
            options.append([self.instance.need_by_id[other] for _gain, other in replaced])
        options.sort(key=lambda chosen: sum(gain(n, self.count[n.id] - 1, self.instance) for n in chosen))
        return options

    def _open_meeting(self, need: Need, therapist_id: str, day: int, week: int) -> list[str] | None:
        """The fullest meeting of the child's kind that still has a seat (fuller groups first)."""
        meetings = self.meetings.get((therapist_id, day, week, need.setting_id, need.session_minutes), [])
        free = [m for m in meetings if len(m) < self.instance.max_group_size]
        return max(free, key=len) if free else None

    def weeks(self, therapist_id: str, day: int) -> list[int]:
        return sorted(self._usable.get((therapist_id, day), ()))

    def book_many(self, need: Need, therapist: Therapist, day: int, count: int, *, grouped: bool,
                  preferred: Iterable[int] = (), strict: bool = False) -> int:
        """Book up to `count` sessions on one weekday: joining groups first, then weeks already
        visited, then the preferred weeks (only those, if `strict`), least loaded first.
        Returns how many were booked."""
        preferred = set(preferred)
        booked = 0
        while booked < count:
            options = []
            for week in (sorted(preferred) if strict else self.weeks(therapist.id, day)):
                extra = self.cost(need, therapist, day, week, grouped=grouped)
                if extra is not None:
                    # No new journey, then joining a group, then the weeks meant, then the least loaded.
                    options.append((extra > need.session_minutes, extra > 0, week not in preferred, self.load[therapist.id, day, week], week))
            if not options:
                break
            week = min(options)[-1]
            self.book(need, therapist, day, week, grouped=grouped)
            booked += 1
        return booked

    # -- the plan it amounts to ------------------------------------------------------------------
    def timetable(self) -> tuple[tuple[Visit, ...], dict[str, int], dict[str, str]]:
        """Visits (with each session's weeks), sessions per line, and line -> therapist."""
        entries: dict[tuple[str, int, str], dict[tuple[str, int, tuple[str, ...]], list[int]]] = defaultdict(lambda: defaultdict(list))
        for (therapist_id, day, week, setting_id), need_ids in self.solo.items():
            for need_id in need_ids:
                minutes = self.instance.need_by_id[need_id].session_minutes
                entries[therapist_id, day, setting_id][ONE_TO_ONE, minutes, (need_id,)].append(week)
        for (therapist_id, day, week, setting_id, minutes), meetings in self.meetings.items():
            for members in meetings:
                entries[therapist_id, day, setting_id][GROUP, minutes, tuple(sorted(members))].append(week)
        visits = []
        for key in sorted(entries):
            visits.append(Visit(key[0], key[1], key[2], _in_lanes(entries[key])))
        planned = {need.id: self.count.get(need.id, 0) for need in self.instance.needs}
        assignments = {need_id: t for need_id, t in self.therapist.items() if self.count.get(need_id, 0) > 0}
        return tuple(visits), planned, assignments

    @classmethod
    def from_visits(cls, instance: TermInstance, visits: Iterable[Visit]) -> Diary:
        """Rebuild the bookings of a finished plan (for diagnosis), trusting it is valid."""
        diary = cls(instance)
        for visit in visits:
            therapist = instance.therapist_by_id[visit.therapist_id]
            for session in visit.sessions:
                for week in session.weeks:
                    key = (therapist.id, visit.weekday, week)
                    if visit.setting_id not in diary.visited[key]:
                        diary.visited[key].add(visit.setting_id)
                        diary.load[key] += instance.setting_by_id[visit.setting_id].visit_overhead_minutes
                    diary.load[key] += session.minutes
                    if session.kind == GROUP:
                        diary.meetings[key[0], key[1], week, visit.setting_id, session.minutes].append(list(session.need_ids))
                    else:
                        diary.solo[key[0], key[1], week, visit.setting_id].extend(session.need_ids)
                    for need_id in session.need_ids:
                        diary.busy.add((need_id, visit.weekday, week))
                        diary.count[need_id] += 1
                        diary.therapist[need_id] = therapist.id
                        diary.grouped[need_id] = session.kind == GROUP
        return diary


def _in_lanes(entries: dict[tuple[str, int, tuple[str, ...]], list[int]]) -> tuple[PlannedSession, ...]:
    """Give a visit's sessions lanes: longest first, each into the first lane of the same length
    with none of its weeks taken (then any lane, then a new one), so lanes stay few and even."""
    lanes: list[tuple[int, set[int]]] = []  # (length, weeks taken)
    placed = []
    for (kind, minutes, members), weeks in sorted(entries.items(), key=lambda item: (-item[0][1], item[1], item[0])):
        free = [i for i, (length, taken) in enumerate(lanes) if not taken & set(weeks)]
        same = [i for i in free if lanes[i][0] == minutes]
        lane = same[0] if same else free[0] if free else len(lanes)
        if lane == len(lanes):
            lanes.append((minutes, set()))
        lanes[lane] = (max(lanes[lane][0], minutes), lanes[lane][1] | set(weeks))
        placed.append(PlannedSession(lane, kind, minutes, members, tuple(sorted(weeks))))
    return tuple(sorted(placed))


def intended_weeks(instance: TermInstance, therapist_id: str, day: int,
                   patterns: dict[tuple[str, ...], int]) -> dict[str, set[int]]:
    """Real weeks for a weekday's week patterns (`Allocation.patterns`): each pattern gets its
    own run of usable weeks, longest first. Returns, per setting, the weeks it is visited."""
    weeks = list(instance.usable_weeks(therapist_id, day))
    intended: dict[str, set[int]] = defaultdict(set)
    position = 0
    for settings, count in sorted(patterns.items(), key=lambda item: (-item[1], item[0])):
        run = weeks[position:position + count]
        position += len(run)
        for setting_id in settings:
            intended[setting_id].update(run)
    return intended


def realise(instance: TermInstance, allocation: Allocation, *, thorough: bool = True) -> Diary:
    """Lay an allocation's term totals out week by week in a diary: each weekday's week
    patterns into real weeks, then each line's sessions into the least loaded weeks its setting
    is visited (joining a group meeting where there is one).

    Each therapist's weekday is laid out on its own, once in each of `LAYOUT_ORDERS`, and the
    layout that books most sessions (then makes fewest visits) is kept: weekdays do not share
    weeks, so the best order can differ from day to day. Measured at Sutton scale against the
    first order alone: the final plan went from 94.1% to 94.6% of the bound (24 shuffles instead
    of 8 added 0.04 points for 6 more seconds). `thorough=False` tries the first order only."""
    diary = Diary(instance)
    by_day: dict[tuple[str, int], list[tuple[Need, int]]] = defaultdict(list)
    for (need_id, day), count in allocation.sessions.items():
        if count > 0:
            by_day[allocation.therapist[need_id], day].append((instance.need_by_id[need_id], count))
    for (therapist_id, day), items in sorted(by_day.items()):
        therapist = instance.therapist_by_id[therapist_id]
        intended = intended_weeks(instance, therapist_id, day, allocation.patterns.get((therapist_id, day), {}))
        # The first order with the best score (most sessions, then fewest visits).
        chosen = max((_scratch_day(instance, therapist, day, items, intended, allocation, order)
                      for order in (LAYOUT_ORDERS if thorough else LAYOUT_ORDERS[:1])), key=lambda laid: laid[0])[1]
        # Group members first, so the meetings fill as they did in the scratch diary.
        for need_id, _day, week in sorted(chosen.busy, key=lambda b: (not chosen.grouped[b[0]], b[2], b[0])):
            if not diary.book(instance.need_by_id[need_id], therapist, day, week, grouped=chosen.grouped[need_id]):
                raise AssertionError(f"laying out {need_id} in week {week} broke a rule the scratch diary kept")
    return diary


def _scratch_day(instance: TermInstance, therapist: Therapist, day: int, items: list[tuple[Need, int]],
                 intended: dict[str, set[int]], allocation: Allocation, order: LayoutOrder) -> tuple[tuple[int, int], Diary]:
    """One weekday laid out in `order` in a diary of its own, with its score."""
    scratch = Diary(instance)
    _lay_out_day(scratch, therapist, day, items, intended, allocation, order)
    return (len(scratch.busy), -sum(len(settings) for settings in scratch.visited.values())), scratch


def _lay_out_day(diary: Diary, therapist: Therapist, day: int, items: list[tuple[Need, int]], intended: dict[str, set[int]],
                 allocation: Allocation, order: LayoutOrder) -> None:
    left = []
    for need, count in sorted(items, key=lambda item: order(item[0], item[1], len(intended.get(item[0].setting_id, ())) or 1,
                                                            allocation.in_group.get(item[0].id, False))):
        grouped = allocation.in_group.get(need.id, False)
        booked = diary.book_many(need, therapist, day, count, grouped=grouped, preferred=intended.get(need.setting_id, ()), strict=True)
        if booked < count:
            left.append((need, count - booked, grouped))
    # Only then outside the weeks the model meant, so one setting does not take another's
    # weeks; then by moving another child's session to make room.
    for need, count, grouped in left:
        booked = diary.book_many(need, therapist, day, count, grouped=grouped, preferred=intended.get(need.setting_id, ()))
        while booked < count and not grouped and diary.book_by_moving(need, therapist, day):
            booked += 1


def _shuffled(seed: int) -> LayoutOrder:
    """A seeded, repeatable shuffle of the lines (group members still first)."""
    return lambda need, count, weeks, grouped: (not grouped, zlib.crc32(f"{seed}|{need.id}".encode()))


# Orders in which a weekday's lines are laid out, each a sort key of (line, sessions wanted,
# weeks its setting is visited, grouped). Group members first: a meeting's minutes are spent
# once, so filling meetings early leaves most room. Tightest first: a line that needs every
# visit is placed while every week still has room. Longest first: first-fit decreasing.
LAYOUT_ORDERS: tuple[LayoutOrder, ...] = (
    lambda need, count, weeks, grouped: (not grouped, -count / weeks, -need.session_minutes, need.id),
    lambda need, count, weeks, grouped: (-count / weeks, -need.session_minutes, need.id),
    lambda need, count, weeks, grouped: (not grouped, -need.session_minutes, -count, need.id),
    lambda need, count, weeks, grouped: (-need.session_minutes, -count, need.id),
    lambda need, count, weeks, grouped: (not grouped, -count, -need.session_minutes, need.id),
) + tuple(
    # Seeded shuffles (group members still first): greedy layouts are sensitive to order, and a
    # few arbitrary orders find a better day often enough to be worth their milliseconds.
    _shuffled(seed) for seed in range(LAYOUT_SHUFFLES)
)


def diary_reward(instance: TermInstance, diary: Diary) -> int:
    """The fairness reward (objective 1) of a diary, to compare two plans of the same part."""
    return sum(reward(need, diary.count.get(need.id, 0), instance) for need in instance.needs if need.required > 0)


def covering_therapists(instance: TermInstance) -> dict[str, list[Therapist]]:
    """Per line, the therapists of its discipline who cover its setting, its current one first."""
    found: dict[str, list[Therapist]] = {}
    for need in instance.needs:
        covering = [t for t in instance.therapists if t.discipline == need.discipline and covers(t, need.setting_id)]
        covering.sort(key=lambda t: t.id != need.current_therapist_id)
        found[need.id] = covering
    return found


def top_up(instance: TermInstance, diary: Diary, *, covering: dict[str, list[Therapist]] | None = None) -> int:
    """Book every further session that fits, highest marginal reward first (a child's first
    session before anyone's top-up; then the furthest behind). Returns sessions added.

    Two passes: top-ups first only where they cost no new journey (joining a visit or a group
    already booked), then anywhere. A journey for one extra session spends the minutes of a
    second session that an existing visit could have held; measured at Sutton scale, the
    first pass adds about 0.1% of the bound. A first session may always add a
    journey: no child is left at zero to save travel."""
    # `covering` (from `covering_therapists`) may be passed in by a caller that tops up many
    # trial diaries of one part (`reassign`), so it is not worked out again for each.
    therapists_for = covering if covering is not None else covering_therapists(instance)
    added = 0
    for new_journeys in (False, True):
        queue = [(-gain(need, diary.count[need.id], instance), index, need.id)
                 for index, need in enumerate(instance.needs) if diary.count[need.id] < need.required and therapists_for[need.id]]
        heapq.heapify(queue)
        while queue:
            _gain_now, index, need_id = heapq.heappop(queue)
            need = instance.need_by_id[need_id]
            journeys = new_journeys or diary.count[need_id] == 0
            if not _book_one(diary, need, therapists_for[need_id], new_journeys=journeys) and not (
                    diary.count[need_id] == 0 and _book_first_by_moving(diary, need, therapists_for[need_id])):
                continue  # nothing fits now, and bookings only ever use capacity up
            added += 1
            if diary.count[need_id] < need.required:
                heapq.heappush(queue, (-gain(need, diary.count[need_id], instance), index, need_id))
    return added


def _book_first_by_moving(diary: Diary, need: Need, therapists: list[Therapist]) -> bool:
    """A child still at zero: make room for a first session by moving someone's session, or
    else in place of someone's top-up."""
    return any(diary.book_by_moving(need, therapist, day) for therapist in therapists for day in therapist.working_days) or any(
        diary.book_by_replacing(need, therapist, day) for therapist in therapists for day in therapist.working_days)


def _book_one(diary: Diary, need: Need, therapists: list[Therapist], *, new_journeys: bool = True) -> bool:
    """Book one session at the cheapest place it fits (joining a group or a visit already made);
    with `new_journeys=False`, only where the setting is already visited that day."""
    assigned = diary.therapist.get(need.id)
    modes = [diary.grouped[need.id]] if need.id in diary.grouped else ([True, False] if need.group_allowed else [False])
    best: tuple[int, int, int, str, int, int, bool] | None = None
    for therapist in therapists:
        if assigned is not None and therapist.id != assigned:
            continue
        for day in therapist.working_days:
            for week in diary.weeks(therapist.id, day):
                for grouped in modes:
                    extra = diary.cost(need, therapist, day, week, grouped=grouped)
                    if extra is not None and (new_journeys or extra <= need.session_minutes):
                        option = (extra, therapist.id != need.current_therapist_id, diary.load[therapist.id, day, week],
                                  therapist.id, day, week, grouped)
                        if best is None or option < best:
                            best = option
    if best is None:
        return False
    *_rank, therapist_id, day, week, grouped = best
    return diary.book(need, diary.instance.therapist_by_id[therapist_id], day, week, grouped=grouped)
