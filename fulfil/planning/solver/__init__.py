"""The term planner: turn an area's therapy plan lines, therapists and settings into a term's
visits, sessions and an honest account of what cannot be delivered. Pure Python (OR-Tools CP-SAT
and HiGHS); no Django import anywhere in this package, so it can run in a background job, a test
or a notebook on the same JSON.

Public API (what the Django side calls):

- `schema`: `TermInstance` (with `Therapist`, `Setting`, `Need`, `TeachingWeek`,
  `PlannerConfig`) in; `TermPlan` (with `Visit`, `PlannedSession`, `Unmet`, `PlanStats`) out.
  Both have `to_dict()` / `from_dict()` for storing a run as JSON; `check_instance` lists input
  errors.
- `solve.solve(instance, on_progress=None) -> TermPlan`: the optimised plan; `on_progress(fraction,
  message)` is called as work advances. `solve.greedy_plan(instance)`: the baseline alone.
- `validate.validate(instance, plan) -> list[str]`: every broken rule in a plan, week by week.
- `recovery.plan_recovery(RecoveryInput) -> RecoveryPlan`,
  `recovery.earliest_month_for_budget(RecoveryInput, budget) -> str | None`,
  `recovery.validate_recovery(RecoveryInput, RecoveryPlan) -> list[str]`.
- `instances.generate_term(...)`, `instances.scaled(children)`, `instances.recovery_input(...)`:
  seeded synthetic areas for tests, demos and the benchmark.

Plan shape (a choice, documented here because everything else follows from it):
a therapist's weekday is spent, week by week, at one setting or at two (a morning and an
afternoon, `max_settings_per_day`); a visit to a setting on a weekday is held in some of the term's
usable weeks (every week is a weekly visit; every other week, fortnightly; or a block of weeks),
not necessarily all. A child has at most one session a week at a visit, with one therapist for
the term, one-to-one or in groups for the term. Sessions over the term are counted per week in
the diary (`diary.Diary`), not as "weekly pattern x weeks": blocks of weekly sessions let a
half-termly child and a weekly child share a slot, which is how therapists fill a day.

Model (`model.py`, `variables.py`, one module per rule in `constraints/`, one per goal in
`objectives/`): term totals per therapist, weekday, setting and line, plus how many weeks each
weekday is spent at each setting alone or at each pair of settings. Every week-level rule has a
term-total consequence in the model, so the model is a relaxation of every valid week-by-week
plan; `diary.realise` lays a model solution out week by week (first-fit decreasing into the
weeks the model meant) and `diary.top_up` books anything else that fits.

Objectives, lexicographic (solved in three CP-SAT stages, each keeping the previous goal at the
value reached): (1) `fair_contacts`: a concave reward per line (a first session is worth more
than 22 top-ups; then about one point per session, a quarter more for the children furthest
behind and with the earliest deadlines, a tenth more for the first half of a requirement);
(2) `continuity`: lines kept with their current therapist; (3) `travel`: fewest visit weeks.

Decomposition (`decompose.py`): per discipline, connected components of therapists and the
settings they cover. Parts share no variable, so this loses nothing and the bounds add up.

Bound (`bound.py`): the LP relaxation of the same CP-SAT model, per part, maximising contacts, by
HiGHS, rounded down. Valid because the model is a relaxation of every plan the validator accepts,
and relaxing integrality only enlarges it. It does not see the week-by-week packing of 30/45/60
-minute sessions into a day, which is where most of the distance between plan and bound lies.

Search (`solve.py`, `start.py`): the LP relaxation is solved a second time for the reward (with a
token weight for continuity), rounded and booked into a diary, and topped up: that valid plan is
CP-SAT's start (a complete hint). CP-SAT (2 workers; large parts LNS only) then improves the
term totals within the time limit; its plan, laid out and topped up, replaces the start only if
it is better week by week. Every plan is validated before it is returned.
"""
