"""Small, readable term instances for the solver tests, and a way to ask CP-SAT whether a model
with some values fixed is feasible (one rule module at a time, as in the CP-SAT primer)."""

from __future__ import annotations

from dataclasses import replace

from ortools.sat.python import cp_model

from fulfil.planning.solver.model import BuiltModel
from fulfil.planning.solver.schema import WEEKDAYS, Need, PlannerConfig, Setting, TeachingWeek, TermInstance, Therapist
from fulfil.planning.solver.variables import PlanVariables


def therapist(id: str = "T1", *, discipline: str = "salt", minutes: int = 300, days: tuple[int, ...] = (0,),
              settings: tuple[str, ...] = ("S1",), away: tuple[int, ...] = ()) -> Therapist:
    return Therapist(id=id, discipline=discipline, minutes_per_day=minutes, working_days=days, settings_covered=settings,
                     unavailable_weeks=away)


def setting(id: str = "S1", *, cluster: str = "North", journey: int = 30, open_days: tuple[int, ...] = WEEKDAYS) -> Setting:
    return Setting(id=id, cluster=cluster, visit_overhead_minutes=journey, open_weekdays=open_days)


def need(id: str, *, child: str | None = None, discipline: str = "salt", at: str = "S1", minutes: int = 30, due: int = 3,
         owed: int = 0, group: bool = False, current: str | None = None, deadline: int | None = None) -> Need:
    return Need(id=id, child_id=child or f"child-{id}", discipline=discipline, setting_id=at, session_minutes=minutes,
                sessions_due=due, sessions_owed=owed, group_allowed=group, current_therapist_id=current, deadline_week=deadline)


def term(therapists: list[Therapist], settings: list[Setting], needs: list[Need], *, weeks: int = 3,
         closed: dict[int, tuple[int, ...]] | None = None, max_group_size: int = 4, **config: object) -> TermInstance:
    """A term of `weeks` teaching weeks (0..weeks-1), with `closed[week]` weekdays shut."""
    closed = closed or {}
    teaching = tuple(TeachingWeek(i, tuple(d for d in WEEKDAYS if d not in closed.get(i, ()))) for i in range(weeks))
    settings_config = {"time_limit_seconds": 10.0, **config}
    return TermInstance(term="test-term", weeks=teaching, therapists=tuple(therapists), settings=tuple(settings),
                        needs=tuple(needs), max_group_size=max_group_size, config=replace(PlannerConfig(), **settings_config))


def unpruned(instance: TermInstance, *rules: object) -> BuiltModel:
    """Variables for every therapist-day-setting (nothing pruned) and only the given rules."""
    model = cp_model.CpModel()
    variables = PlanVariables(instance, model, prune=False)
    for rule in rules:
        rule.apply(variables)  # type: ignore[attr-defined]
    return BuiltModel(instance, model, variables)


def feasible(built: BuiltModel) -> bool:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 10
    status = solver.solve(built.model)
    assert status != cp_model.UNKNOWN, "CP-SAT could not decide a tiny model in time"
    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def sessions_by_week(plan, need_id: str) -> list[tuple[str, int, str, int]]:
    """(therapist, weekday, setting, week) of every session of a line."""
    return sorted((visit.therapist_id, visit.weekday, visit.setting_id, week)
                  for visit in plan.timetable for session in visit.sessions if need_id in session.need_ids
                  for week in session.weeks)
