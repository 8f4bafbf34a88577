"""Who may do what: the one capability policy (issue 18).

Each capability names something a person does in Fulfil; the table says which roles have it.
A role is only half of access: the relationship each capability needs (the child on your
caseload, in your service, on your school's roll, your own child by a family link, or your
area) is applied by the access checks that read records (`fulfil.accounts.scopes`:
`children_visible_to`, `setting_get_for_user`, `therapists_visible_to`; delivery's
`sessions_visible_to`), and no access looks the same as no record: 404.

Views and selectors ask `can(user, Capability.X)` or read `roles_with(Capability.X)`; the
authorization-matrix test checks every route's allowed roles against this table.
"""

from __future__ import annotations

from enum import StrEnum

from fulfil.accounts.models import Role

OFFICER, MANAGER, THERAPIST = Role.COUNCIL_OFFICER, Role.SERVICE_MANAGER, Role.THERAPIST
COMMISSIONER, SENCO, PARENT, ADMIN = Role.COMMISSIONER, Role.SENCO, Role.PARENT, Role.ADMIN


class Capability(StrEnum):
    RECORD_SESSIONS = "record_sessions"  # record visits, book make-ups, move sessions: the therapist's own diary
    CORRECT_SESSIONS = "correct_sessions"  # correct a recorded session or mark it recorded in error: their service's
    BOOK_SERVICE_DIARIES = "book_service_diaries"  # book a term plan into the diaries of the manager's own service
    RUN_PLANNER = "run_planner"  # plan a term for the area (the council plans; the service books)
    SEE_CAPACITY = "see_capacity"  # capacity and recovery figures for the area (no child named)
    PAUSE_LEDGER = "pause_ledger"  # pause a line's ledger, a recorded decision
    SEE_ADVICE = "see_advice"  # advice due for assessments
    SEE_TIMELINESS = "see_timeliness"  # statutory timeliness and SEN2-style figures
    CHECK_WORDING = "check_wording"  # check a provision line's wording
    SEE_PLAN_QUALITY = "see_plan_quality"  # plan quality across the area
    COMPARE_AREAS = "compare_areas"  # the area beside its region, England and neighbours
    SEE_THERAPISTS = "see_therapists"  # the list of therapists and their caseload sizes
    SEE_SETTINGS = "see_settings"  # schools and settings (pupils filtered by relationship)
    BREAK_GLASS = "break_glass"  # emergency access to a child outside their caseload, alerted and reviewed
    SEE_CHILDREN = "see_children"  # children's records (caseload, service, school roll, family link, or the area)
    SEE_SHORTFALL = "see_shortfall"  # the shortfall report (commissioners: released figures only)
    SEE_SERVICE_ACTIVITY = "see_service_activity"  # recording and cancellations across the manager's own service
    REVIEW_EMERGENCY_ACCESS = "review_emergency_access"  # every use of break-glass in the area
    MANAGE_AUTHENTICATORS = "manage_authenticators"  # enrolment codes and resets for staff in the area
    MAINTAIN_PLANS = "maintain_plans"  # add plan lines, import them, run assessments and reviews: the council's duty
    SEE_ACCESS_HISTORY = "see_access_history"  # who opened a child's record, and the subject access export
    SET_WORKING_DAYS = "set_working_days"  # a therapist's working days, which the planner uses
    PROVIDE_ADVICE = "provide_advice"  # record that the service's advice for an assessment was sent
    RECORD_ADVICE_EXCEPTION = "record_advice_exception"  # an exception to the advice deadline, with its reason
    SEE_CONFIDENTIAL_ADDRESS = "see_confidential_address"  # a child's address marked confidential
    TICK_PROGRAMMES = "tick_programmes"  # the setting's tick-sheet of a programme its staff deliver
    SEE_SESSIONS = "see_sessions"  # a recorded visit or session (its children filtered by relationship)
    SEE_PROGRAMMES = "see_programmes"  # a programme school staff deliver between visits


POLICY: dict[Capability, frozenset[Role]] = {
    Capability.RECORD_SESSIONS: frozenset({THERAPIST}),
    Capability.CORRECT_SESSIONS: frozenset({THERAPIST, MANAGER}),
    Capability.BOOK_SERVICE_DIARIES: frozenset({MANAGER}),
    Capability.RUN_PLANNER: frozenset({OFFICER, MANAGER}),
    Capability.SEE_CAPACITY: frozenset({OFFICER, MANAGER, COMMISSIONER}),
    Capability.PAUSE_LEDGER: frozenset({OFFICER, MANAGER}),
    Capability.SEE_ADVICE: frozenset({OFFICER, MANAGER, THERAPIST}),
    Capability.SEE_TIMELINESS: frozenset({OFFICER, MANAGER, COMMISSIONER}),
    Capability.CHECK_WORDING: frozenset({OFFICER, MANAGER, THERAPIST}),
    Capability.SEE_PLAN_QUALITY: frozenset({OFFICER, MANAGER, COMMISSIONER}),
    Capability.COMPARE_AREAS: frozenset({OFFICER, MANAGER, COMMISSIONER}),
    Capability.SEE_THERAPISTS: frozenset({OFFICER, MANAGER, THERAPIST}),
    Capability.SEE_SETTINGS: frozenset({OFFICER, MANAGER, THERAPIST, SENCO}),
    Capability.BREAK_GLASS: frozenset({MANAGER, THERAPIST}),
    Capability.SEE_CHILDREN: frozenset({OFFICER, MANAGER, THERAPIST, SENCO, PARENT}),
    Capability.SEE_SHORTFALL: frozenset({OFFICER, MANAGER, COMMISSIONER}),
    Capability.SEE_SERVICE_ACTIVITY: frozenset({MANAGER}),
    Capability.REVIEW_EMERGENCY_ACCESS: frozenset({OFFICER}),
    Capability.MANAGE_AUTHENTICATORS: frozenset({ADMIN}),
    Capability.MAINTAIN_PLANS: frozenset({OFFICER}),
    Capability.SEE_ACCESS_HISTORY: frozenset({OFFICER}),
    Capability.SET_WORKING_DAYS: frozenset({MANAGER}),
    Capability.PROVIDE_ADVICE: frozenset({THERAPIST}),
    Capability.RECORD_ADVICE_EXCEPTION: frozenset({OFFICER, MANAGER}),
    Capability.SEE_CONFIDENTIAL_ADDRESS: frozenset({OFFICER}),
    Capability.TICK_PROGRAMMES: frozenset({SENCO}),
    Capability.SEE_SESSIONS: frozenset({OFFICER, MANAGER, THERAPIST, SENCO}),
    Capability.SEE_PROGRAMMES: frozenset({THERAPIST, SENCO}),
}


def roles_with(capability: Capability) -> frozenset[Role]:
    return POLICY[capability]


def can(user, capability: Capability) -> bool:
    """Whether this signed-in user's role has the capability (their relationships are checked
    where records are read)."""
    return bool(getattr(user, "is_authenticated", False)) and user.role in POLICY[capability]
