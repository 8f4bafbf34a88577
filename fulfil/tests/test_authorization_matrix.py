"""Every route x every role x (own area / other area / anonymous), generated from the URL
configuration: a new route without a row in POLICY fails this suite.

"own" objects are related to every child-level role (the therapist's caseload, the SENCO's
pupil, the parent's child, the manager's service); the same roles with no relationship to them
in the same area get 404 (the council officer sees every child of the area by design); "other"
objects belong to another local area and must be a 404 for everybody.
"""

import datetime as dt
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from fulfil.accounts.models import FamilyLink
from fulfil.accounts.policy import Capability, roles_with
from fulfil.delivery.models import Programme, VisitRecord
from fulfil.factories import (
    AttendanceFactory,
    CaseloadAssignmentFactory,
    EnrolmentFactory,
    ProviderFactory,
    ProvisionItemFactory,
    SessionFactory,
    TherapistFactory,
    UserFactory,
)
from fulfil.planning.models import PlannerRun
from fulfil.plans.models import AdviceRequest, AnnualReview, AssessmentRequest

ROLES = ["council_officer", "commissioner", "service_manager", "therapist", "senco", "parent", "admin"]
OFFICER, COMMISSIONER, MANAGER, THERAPIST, SENCO, PARENT, ADMIN = ROLES
CHILD_ROLES = {OFFICER, MANAGER, THERAPIST, SENCO, PARENT}

# Who may open each route comes from the one capability policy (fulfil.accounts.policy): the
# matrix below is generated from it; only the home page, open to every role, is not a capability.
ROUTE_CAPABILITY = {
    "delivery:visit-detail": Capability.SEE_SESSIONS,
    "delivery:session-detail": Capability.SEE_SESSIONS,
    "delivery:setting-therapy": Capability.SEE_SETTINGS,
    "delivery:programme": Capability.SEE_PROGRAMMES,
    "delivery:my-week": Capability.RECORD_SESSIONS,
    "delivery:visit-record": Capability.RECORD_SESSIONS,
    "delivery:visit-cancel": Capability.RECORD_SESSIONS,
    "delivery:book": Capability.RECORD_SESSIONS,
    "delivery:session-correct": Capability.RECORD_SESSIONS,
    "delivery:session-reschedule": Capability.RECORD_SESSIONS,
    "delivery:programme-create": Capability.RECORD_SESSIONS,
    "delivery:session-in-error": Capability.CORRECT_SESSIONS,
    "planning:planner": Capability.RUN_PLANNER,
    "planning:run": Capability.RUN_PLANNER,
    "planning:capacity": Capability.SEE_CAPACITY,
    "planning:recovery": Capability.SEE_CAPACITY,
    "ledger:pause-create": Capability.PAUSE_LEDGER,
    "plans:advice-due": Capability.SEE_ADVICE,
    "plans:advice-detail": Capability.SEE_ADVICE,
    "plans:timeliness": Capability.SEE_TIMELINESS,
    "plans:sen2": Capability.SEE_TIMELINESS,
    "plans:wording-check": Capability.CHECK_WORDING,
    "plans:wording-feedback": Capability.CHECK_WORDING,
    "plans:quality": Capability.SEE_PLAN_QUALITY,
    "comparisons:area": Capability.COMPARE_AREAS,
    "workforce:list": Capability.SEE_THERAPISTS,
    "workforce:detail": Capability.SEE_THERAPISTS,
    "schools:detail": Capability.SEE_SETTINGS,
    "schools:list": Capability.SEE_SETTINGS,
    "children:list": Capability.SEE_CHILDREN,
    "children:detail": Capability.SEE_CHILDREN,
    "children:break-glass": Capability.BREAK_GLASS,
    "ledger:shortfall": Capability.SEE_SHORTFALL,
    "ledger:shortfall-csv": Capability.SEE_SHORTFALL,
    "ledger:shortfall-xlsx": Capability.SEE_SHORTFALL,
    "delivery:service": Capability.SEE_SERVICE_ACTIVITY,
    "accounts:break-glass-review": Capability.REVIEW_EMERGENCY_ACCESS,
    "accounts:authenticators": Capability.MANAGE_AUTHENTICATORS,
    "accounts:enrolment-code": Capability.MANAGE_AUTHENTICATORS,
    "accounts:authenticator-reset": Capability.MANAGE_AUTHENTICATORS,
    "plans:line-add": Capability.MAINTAIN_PLANS,
    "plans:import": Capability.MAINTAIN_PLANS,
    "plans:assessment-new": Capability.MAINTAIN_PLANS,
    "plans:assessment": Capability.MAINTAIN_PLANS,
    "plans:advice-request-new": Capability.MAINTAIN_PLANS,
    "plans:review-new": Capability.MAINTAIN_PLANS,
    "plans:review": Capability.MAINTAIN_PLANS,
    "children:access-history": Capability.SEE_ACCESS_HISTORY,
    "children:subject-access-json": Capability.SEE_ACCESS_HISTORY,
    "children:subject-access-pdf": Capability.SEE_ACCESS_HISTORY,
    "workforce:working-days": Capability.SET_WORKING_DAYS,
    "plans:advice-exception": Capability.RECORD_ADVICE_EXCEPTION,
}

# Capabilities that are a part of a page rather than a page of their own, each with its own tests:
# booking a plan (planning/tests/test_booking.py), recording advice sent (plans/tests/test_statutory_steps.py
# and test_views.py), a confidential address (children/tests), the setting's tick-sheet
# (delivery/tests/test_week_and_bookings.py).
PART_OF_A_PAGE = {Capability.BOOK_SERVICE_DIARIES, Capability.PROVIDE_ADVICE, Capability.SEE_CONFIDENTIAL_ADDRESS,
                  Capability.TICK_PROGRAMMES}

FROM_POLICY = None  # the roles come from the capability that governs the route (ROUTE_CAPABILITY)

# route name -> (method, roles that get 200 on their own area's object). Everyone else: 404.
# Anonymous visitors are sent to sign in, except where noted in PUBLIC.
POLICY = {
    "core:home": ("get", set(ROLES)),
    "children:list": ("get", FROM_POLICY),
    "children:break-glass": ("get", FROM_POLICY),
    "children:detail": ("get", FROM_POLICY),
    "children:access-history": ("get", FROM_POLICY),
    "children:subject-access-json": ("get", FROM_POLICY),
    "children:subject-access-pdf": ("get", FROM_POLICY),
    "schools:list": ("get", FROM_POLICY),
    "schools:detail": ("get", FROM_POLICY),
    "workforce:list": ("get", FROM_POLICY),
    "workforce:detail": ("get", FROM_POLICY),
    "workforce:working-days": ("get", FROM_POLICY),
    "ledger:shortfall": ("get", FROM_POLICY),
    "ledger:shortfall-csv": ("get", FROM_POLICY),
    "ledger:shortfall-xlsx": ("get", FROM_POLICY),
    "ledger:pause-create": ("get", FROM_POLICY),
    "plans:wording-check": ("get", FROM_POLICY),
    "plans:wording-feedback": ("post", FROM_POLICY),
    "plans:quality": ("get", FROM_POLICY),
    "comparisons:area": ("get", FROM_POLICY),
    "plans:line-add": ("get", FROM_POLICY),
    "plans:import": ("get", FROM_POLICY),
    "delivery:my-week": ("get", FROM_POLICY),
    "delivery:visit-record": ("get", FROM_POLICY),
    "delivery:visit-cancel": ("get", FROM_POLICY),
    "delivery:visit-detail": ("get", FROM_POLICY),
    "delivery:book": ("get", FROM_POLICY),
    "delivery:session-detail": ("get", FROM_POLICY),
    "delivery:session-correct": ("get", FROM_POLICY),
    "delivery:session-in-error": ("get", FROM_POLICY),
    "delivery:session-reschedule": ("get", FROM_POLICY),
    "delivery:setting-therapy": ("get", FROM_POLICY),
    "delivery:programme-create": ("get", FROM_POLICY),
    "delivery:programme": ("get", FROM_POLICY),
    "delivery:service": ("get", FROM_POLICY),
    "plans:advice-due": ("get", FROM_POLICY),
    "plans:advice-detail": ("get", FROM_POLICY),
    "plans:advice-exception": ("get", FROM_POLICY),
    "plans:assessment-new": ("get", FROM_POLICY),
    "plans:assessment": ("get", FROM_POLICY),
    "plans:advice-request-new": ("get", FROM_POLICY),
    "plans:review-new": ("get", FROM_POLICY),
    "plans:review": ("get", FROM_POLICY),
    "plans:timeliness": ("get", FROM_POLICY),
    "plans:sen2": ("get", FROM_POLICY),
    "planning:capacity": ("get", FROM_POLICY),
    "planning:planner": ("get", FROM_POLICY),
    "planning:run": ("get", FROM_POLICY),
    "planning:recovery": ("get", FROM_POLICY),
    "accounts:authenticators": ("get", FROM_POLICY),
    "accounts:enrolment-code": ("get", FROM_POLICY),
    "accounts:authenticator-reset": ("get", FROM_POLICY),
    "accounts:break-glass-review": ("get", FROM_POLICY),
}
# Generated from the policy: every route a capability governs allows exactly its roles.
POLICY.update({route: (POLICY[route][0], {str(role) for role in roles_with(capability)}) for route, capability in ROUTE_CAPABILITY.items()})
# Routes anyone may open, and routes outside this matrix with their own tests.
PUBLIC = {"core:healthcheck", "accounts:login"}
# Sign out; MFA steps (test_mfa.py); booking a plan (its preview needs a finished run: test_booking.py).
SEPARATE = {"accounts:logout", "accounts:mfa-setup", "accounts:mfa-verify", "planning:run-apply"}


def named_routes(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's admin: staff only, its own permission system
            yield from named_routes(pattern, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_route_has_a_policy():
    routes = set(named_routes())
    missing = routes - set(POLICY) - PUBLIC - SEPARATE
    assert not missing, f"Routes without an access policy: {sorted(missing)}"
    assert not (set(POLICY) - routes), "Policy rows for routes that no longer exist"


def build_world(local_area, suffix):
    provider = ProviderFactory(local_area=local_area)
    therapist = TherapistFactory(local_area=local_area, provider=provider, discipline="ot")
    enrolment = EnrolmentFactory(child__local_area=local_area)
    child = enrolment.child
    CaseloadAssignmentFactory(therapist=therapist, child=child, discipline="ot")
    item = ProvisionItemFactory(plan_version__plan__child=child, discipline="ot")
    users = {role: UserFactory(role=role, local_area=local_area, username=f"{role}-{suffix}") for role in ROLES}
    therapist.settings_covered.add(enrolment.setting)
    visit = VisitRecord.objects.create(
        token=uuid.uuid4(), local_area=local_area, therapist=therapist, setting=enrolment.setting, date=dt.date(2025, 10, 7),
        starts_at=dt.time(10), ends_at=dt.time(11), recorded_by=users[OFFICER],
    )
    delivered = SessionFactory(therapist=therapist, setting=enrolment.setting, visit=visit, status="delivered")
    AttendanceFactory(session=delivered, child=child, provision_item=item)
    planned = SessionFactory(therapist=therapist, setting=enrolment.setting, status="planned", date=dt.date(2025, 10, 8))
    AttendanceFactory(session=planned, child=child, provision_item=item)
    programme = Programme.objects.create(local_area=local_area, child=child, setting=enrolment.setting, set_by=therapist,
                                         title="Daily fine-motor practice", instructions="Threading beads", starts_on=dt.date(2025, 9, 1))
    users[MANAGER].provider = provider
    users[THERAPIST].therapist = therapist
    users[SENCO].setting = enrolment.setting
    for user in users.values():
        user.save()
    FamilyLink.objects.create(user=users[PARENT], child=child, starts_on=dt.date(2020, 1, 1))
    assessment = AssessmentRequest.objects.create(local_area=local_area, child=child, reference=f"EHCNA-{suffix}",
                                                  received_on=dt.date(2025, 9, 1), decided_on=dt.date(2025, 10, 1), outcome="assess")
    advice = AdviceRequest.objects.create(local_area=local_area, assessment=assessment, service="ot", provider=provider,
                                          therapist=therapist, requested_on=dt.date(2025, 10, 3))
    review = AnnualReview.objects.create(local_area=local_area, plan=item.plan_version.plan, reference=f"AR-{suffix}",
                                         period_starts_on=dt.date(2025, 1, 10))
    return {"child": child, "setting": enrolment.setting, "therapist": therapist, "users": users, "item": item, "visit": visit,
            "delivered": delivered, "planned": planned, "programme": programme, "advice": advice, "assessment": assessment,
            "review": review,
            "run": PlannerRun.objects.create(local_area=local_area, discipline="ot", term="2027-spring", instance={}, status="finished")}


# Pages about a setting every clinician in the area may open; only the pupils are filtered.
AREA_WIDE_PAGES = {"schools:detail", "delivery:visit-record", "delivery:visit-cancel", "delivery:setting-therapy", "planning:run",
                   "accounts:enrolment-code", "accounts:authenticator-reset"}
OBJECT_ROUTES = {
    "children:detail", "children:access-history", "children:subject-access-json", "children:subject-access-pdf",
    "ledger:pause-create", "plans:line-add", "schools:detail", "workforce:detail", "workforce:working-days",
    "delivery:visit-record", "delivery:visit-cancel", "delivery:visit-detail", "delivery:book", "delivery:session-detail",
    "delivery:session-correct", "delivery:session-in-error", "delivery:session-reschedule", "delivery:setting-therapy",
    "delivery:programme-create",
    "delivery:programme", "plans:advice-detail", "plans:advice-exception", "planning:run",
    "plans:assessment-new", "plans:assessment", "plans:review-new", "plans:review", "plans:advice-request-new",
    "accounts:enrolment-code", "accounts:authenticator-reset",
}


def url_for(route, world):
    if route in {"children:detail", "children:access-history", "children:subject-access-json", "children:subject-access-pdf",
                 "ledger:pause-create", "plans:line-add", "delivery:programme-create", "plans:assessment-new", "plans:review-new"}:
        return reverse(route, args=[world["child"].public_id])
    if route in {"plans:assessment", "plans:advice-request-new"}:
        return reverse(route, args=[world["assessment"].pk])
    if route == "plans:review":
        return reverse(route, args=[world["review"].pk])
    if route in {"delivery:visit-record", "delivery:visit-cancel", "delivery:setting-therapy"}:
        return reverse(route, args=[world["setting"].pk])
    if route == "delivery:visit-detail":
        return reverse(route, args=[world["visit"].public_id])
    if route == "delivery:book":
        return reverse(route, args=[world["item"].pk])
    if route in {"delivery:session-detail", "delivery:session-correct", "delivery:session-in-error"}:
        return reverse(route, args=[world["delivered"].pk])
    if route == "delivery:session-reschedule":
        return reverse(route, args=[world["planned"].pk])
    if route == "planning:run":
        return reverse(route, args=[world["run"].pk])
    if route in {"plans:advice-detail", "plans:advice-exception"}:
        return reverse(route, args=[world["advice"].pk])
    if route == "delivery:programme":
        return reverse(route, args=[world["programme"].pk])
    if route == "schools:detail":
        return reverse(route, args=[world["setting"].pk])
    if route in {"accounts:enrolment-code", "accounts:authenticator-reset"}:
        return reverse(route, args=[world["users"][THERAPIST].pk])  # a member of staff of the area
    if route in {"workforce:detail", "workforce:working-days"}:
        return reverse(route, args=[world["therapist"].pk])
    return reverse(route)


@pytest.mark.django_db
def test_the_matrix(client, area, other_area):
    own, other = build_world(area, "own"), build_world(other_area, "other")
    # The same area, but no relationship to the "own" child: another service's therapist and
    # manager, another school's SENCO, another child's parent.
    unrelated = build_world(area, "unrelated")["users"]
    cases = leaks = 0
    failures = []
    for route, (method, allowed) in POLICY.items():
        has_object = route in OBJECT_ROUTES
        for role in ROLES:
            client.force_login(own["users"][role])
            call = getattr(client, method)
            status = call(url_for(route, own), {"wording": "Weekly OT"} if method == "post" else {}).status_code
            expected = 200 if role in allowed else 404
            cases += 1
            if status != expected:
                failures.append(f"{role} {method.upper()} {route} own area: {status}, expected {expected}")
                leaks += status == 200
            if has_object and role in allowed and role != OFFICER:
                client.force_login(unrelated[role])
                response = call(url_for(route, own))
                cases += 1
                if route in AREA_WIDE_PAGES:
                    # Settings are not personal: the page opens, but must not list the child.
                    if str(own["child"].public_id) in response.content.decode():
                        failures.append(f"{role} {route} same area, unrelated: shows the child")
                        leaks += 1
                elif response.status_code != 404:
                    failures.append(f"{role} {route} same area, unrelated: {response.status_code}, expected 404")
                    leaks += response.status_code == 200
                client.force_login(own["users"][role])
            if has_object:
                status = call(url_for(route, other)).status_code
                cases += 1
                if status != 404:
                    failures.append(f"{role} {route} other area: {status}, expected 404")
                    leaks += status == 200
        client.logout()
        status = getattr(client, method)(url_for(route, own)).status_code
        cases += 1
        if status != 302:
            failures.append(f"anonymous {route}: {status}, expected a redirect to sign in")
            leaks += status == 200
    print(f"authorization matrix: {cases} cases, {leaks} leaks")
    assert not failures, "\n".join(failures)
    assert cases > 150
