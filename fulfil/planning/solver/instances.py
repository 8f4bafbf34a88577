"""Seeded synthetic terms that look like a London borough's therapy service.

Defaults give a Sutton-sized area: about 2,600 children with therapy in their plans, 45
therapists (speech and language therapy the largest team, occupational therapy short-staffed
with one post on long leave, physiotherapy in between), 60 settings in 5 patches, and a 13-week
term with the half-term week removed, a bank holiday and an INSET day. Lines mix weekly,
fortnightly and half-termly provision of 30, 45 and 60 minutes; OT lines carry the most owed
sessions; 30-50% of lines allow group delivery. Same seed, same term: tests and the benchmark
rely on that. Pure: no database, no clock.
"""

from __future__ import annotations

import random
from math import ceil

from fulfil.planning.solver.recovery import RecoveryInput, RecoveryLine
from fulfil.planning.solver.schema import WEEKDAYS, Need, PlannerConfig, Setting, TeachingWeek, TermInstance, Therapist

PATCHES = ("North", "Central", "East", "West", "South", "Riverside", "Hill", "Park", "Green", "Vale")
# Share of children with each discipline in their plan; share of therapists in each team.
CHILD_SHARE = {"salt": 0.70, "ot": 0.36, "physio": 0.14}
TEAM_SHARE = {"salt": 0.53, "ot": 0.20, "physio": 0.27}
MINUTES = {"salt": ((30, 45, 60), (55, 30, 15)), "ot": ((30, 45, 60), (20, 50, 30)), "physio": ((30, 45, 60), (30, 40, 30))}
# (sessions a term, weight): weekly, fortnightly, half-termly.
FREQUENCY = {"salt": ((12, 6, 3), (25, 45, 30)), "ot": ((12, 6, 3), (15, 40, 45)), "physio": ((12, 6, 3), (10, 40, 50))}
OWING = {"salt": 0.30, "ot": 0.70, "physio": 0.10}  # share of lines with sessions owed
GROUP_ALLOWED = {"salt": 0.45, "ot": 0.35, "physio": 0.20}


def generate_term(*, children: int = 2600, therapists: int = 45, settings: int = 60, clusters: int | None = None,
                  calendar_weeks: int = 13, seed: int = 1, term: str = "2027-spring",
                  config: PlannerConfig | None = None) -> TermInstance:
    # Seeded synthetic data for tests and benchmarks, not a security use of randomness.
    rng = random.Random(seed)  # nosec B311
    clusters = clusters or max(1, round(settings / 12))
    patches = [PATCHES[i] if i < len(PATCHES) else f"Patch {i + 1}" for i in range(clusters)]
    weeks = _weeks(calendar_weeks, rng)
    setting_list, weights = _settings(settings, patches, rng)
    team = _therapists(therapists, setting_list, patches, weeks, rng)
    needs = _needs(children, setting_list, weights, team, weeks, rng)
    return TermInstance(term=term, weeks=weeks, therapists=tuple(team), settings=tuple(setting_list), needs=tuple(needs),
                        max_group_size=4, config=config or PlannerConfig())


def scaled(children: int, *, seed: int = 1, config: PlannerConfig | None = None) -> TermInstance:
    """A term for an area with `children` children with therapy provision, with therapists and
    settings in the Sutton ratio (45 and 60 per 2,600 children)."""
    return generate_term(children=children, therapists=max(3, round(45 * children / 2600)),
                         settings=max(2, round(60 * children / 2600)), seed=seed, config=config)


def _weeks(calendar_weeks: int, rng: random.Random) -> tuple[TeachingWeek, ...]:
    half_term = calendar_weeks // 2 if calendar_weeks >= 8 else None
    teaching = [w for w in range(calendar_weeks) if w != half_term]
    closed: dict[int, set[int]] = {teaching[0]: {0}}  # INSET day on the first Monday
    if len(teaching) > 3:
        closed.setdefault(rng.choice(teaching[2:]), set()).add(0)  # a bank holiday Monday
        closed.setdefault(teaching[-1], set()).add(4)  # last Friday: early finish, no visits
    return tuple(TeachingWeek(index=w, open_weekdays=tuple(d for d in WEEKDAYS if d not in closed.get(w, set())))
                 for w in teaching)


def _settings(count: int, patches: list[str], rng: random.Random) -> tuple[list[Setting], list[float]]:
    found, weights = [], []
    for i in range(count):
        kind = rng.choices(("primary", "secondary", "special", "early_years"), (66, 16, 10, 8))[0]
        open_days = WEEKDAYS
        if kind == "early_years" and rng.random() < 0.5:
            open_days = rng.choice(((0, 1, 2), (1, 2, 3), (2, 3, 4)))
        found.append(Setting(id=f"S{i + 1:03d}", cluster=patches[i % len(patches)],
                             visit_overhead_minutes=rng.choice((20, 25, 30, 30, 35, 40)), open_weekdays=open_days))
        weights.append({"primary": 1.0, "secondary": 1.2, "special": 5.0, "early_years": 0.5}[kind])
    return found, weights


def _therapists(count: int, settings: list[Setting], patches: list[str], weeks: tuple[TeachingWeek, ...],
                rng: random.Random) -> list[Therapist]:
    sizes = {d: max(1, round(count * share)) for d, share in TEAM_SHARE.items()}
    sizes["salt"] = max(1, count - sizes["ot"] - sizes["physio"])
    in_patch = {p: [s.id for s in settings if s.cluster == p] for p in patches}
    team: list[Therapist] = []
    week_ids = [w.index for w in weeks]
    for discipline, size in sizes.items():
        members = [(f"{discipline.upper()}{i + 1:02d}", patches[i % len(patches)]) for i in range(size)]
        for i, (therapist_id, patch) in enumerate(members):
            colleagues = [m for m in members if m[1] == patch]
            if discipline == "salt" and len(colleagues) > 2:
                # Each school has a link therapist and a second who covers: about 2 of the patch's SALTs.
                position = colleagues.index((therapist_id, patch))
                covered = tuple(s for j, s in enumerate(in_patch[patch])
                                if j % len(colleagues) in (position, (position + 1) % len(colleagues)))
            else:
                covered = tuple(in_patch[patch])
            part_time = rng.random() < 0.3
            days = tuple(sorted(rng.sample(WEEKDAYS, rng.choice((3, 4))))) if part_time else WEEKDAYS
            away: tuple[int, ...] = ()
            if discipline == "ot" and i == 0 and size >= 4:
                away = tuple(week_ids)  # long-term leave, post not backfilled
            elif discipline == "ot" and i == 1 and size >= 6:
                away = tuple(week_ids[: len(week_ids) // 2])  # phased return in the second half of term
            elif rng.random() < 0.2:
                start = rng.randrange(len(week_ids))
                away = tuple(week_ids[start:start + 1])  # a week of training or sickness
            team.append(Therapist(id=therapist_id, discipline=discipline, minutes_per_day=rng.choice((300, 315, 330, 330, 345)),
                                  working_days=days, settings_covered=covered, unavailable_weeks=away))
    return team


def _needs(children: int, settings: list[Setting], weights: list[float], team: list[Therapist],
           weeks: tuple[TeachingWeek, ...], rng: random.Random) -> list[Need]:
    covering: dict[tuple[str, str], list[str]] = {}
    for therapist in team:
        for setting_id in therapist.settings_covered:
            covering.setdefault((therapist.discipline, setting_id), []).append(therapist.id)
    week_ids = [w.index for w in weeks]
    needs = []
    for c in range(children):
        child_id = f"C{c + 1:05d}"
        setting = rng.choices(settings, weights)[0]
        disciplines = [d for d, share in CHILD_SHARE.items() if rng.random() < share] or ["salt"]
        review = rng.choice(week_ids) if rng.random() < 0.25 else None
        for discipline in disciplines:
            due = rng.choices(*FREQUENCY[discipline])[0]
            owed = 0
            if rng.random() < OWING[discipline]:
                owed = rng.randint(1, due) if discipline == "ot" else rng.randint(1, max(1, ceil(due / 3)))
            current = None
            options = covering.get((discipline, setting.id))
            if options and rng.random() < 0.8:
                current = rng.choice(options)
            needs.append(Need(
                id=f"{child_id}-{discipline}", child_id=child_id, discipline=discipline, setting_id=setting.id,
                session_minutes=rng.choices(*MINUTES[discipline])[0], sessions_due=due, sessions_owed=owed,
                group_allowed=rng.random() < GROUP_ALLOWED[discipline], current_therapist_id=current, deadline_week=review,
            ))
    return needs


# Teaching weeks in each month of an English school year (holidays out), for the recovery input.
TEACHING_WEEKS_IN_MONTH = {1: 3.6, 2: 3.0, 3: 4.2, 4: 2.4, 5: 3.6, 6: 4.2, 7: 3.0, 8: 0.0, 9: 3.6, 10: 3.4, 11: 4.2, 12: 3.0}
MARKET_RATES = {"salt": 75.0, "ot": 85.0, "physio": 80.0}  # pounds an hour, independent providers
TRAVEL_SHARE = 0.12  # of a clinical day spent between settings


def recovery_input(instance: TermInstance, *, months: tuple[str, ...], target_month: str) -> RecoveryInput:
    """The recovery question for a synthetic area: per discipline and patch, in-house clinical
    hours and hours falling due each month (from this term's rates), and hours owed now.

    A therapist counts in the patch of the settings they cover; a group-allowed line is costed
    at half its hours (groups of two on average); travel takes `TRAVEL_SHARE` of the day."""
    weeks_in_term = max(1, len(instance.weeks))
    patch_of = {s.id: s.cluster for s in instance.settings}
    capacity: dict[tuple[str, str], float] = {}
    for therapist in instance.therapists:
        if not therapist.settings_covered:
            continue
        key = (therapist.discipline, patch_of[therapist.settings_covered[0]])
        available = 1 - len(therapist.unavailable_weeks) / weeks_in_term
        weekly = therapist.minutes_per_day * len(therapist.working_days) * (1 - TRAVEL_SHARE) * available / 60
        capacity[key] = capacity.get(key, 0.0) + weekly
    due: dict[tuple[str, str], float] = {}
    owed: dict[tuple[str, str], float] = {}
    for need in instance.needs:
        key = (need.discipline, patch_of[need.setting_id])
        hours = need.session_minutes / 60 / (2 if need.group_allowed else 1)
        due[key] = due.get(key, 0.0) + need.sessions_due * hours / weeks_in_term
        owed[key] = owed.get(key, 0.0) + need.sessions_owed * hours
    lines = []
    for key in sorted(set(capacity) | set(due)):
        weeks = [TEACHING_WEEKS_IN_MONTH[int(month[5:7])] for month in months]
        lines.append(RecoveryLine(discipline=key[0], cluster=key[1], owed_hours=round(owed.get(key, 0.0), 2),
                                  capacity_hours=tuple(round(capacity.get(key, 0.0) * w, 2) for w in weeks),
                                  due_hours=tuple(round(due.get(key, 0.0) * w, 2) for w in weeks)))
    return RecoveryInput(months=months, lines=tuple(lines), rates=dict(MARKET_RATES), target_month=target_month)
