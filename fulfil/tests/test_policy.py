"""The capability policy is the one table of who may do what (issue 18): the routes the
authorization matrix exercises allow exactly the roles the policy gives their capability, so
changing a role's rights means changing the policy, and the matrix then proves every page."""

import pytest

from fulfil.accounts.models import Role
from fulfil.accounts.policy import POLICY, Capability, can, roles_with
from fulfil.tests.test_authorization_matrix import POLICY as MATRIX

ROUTE_CAPABILITY = {
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


@pytest.mark.parametrize("route", sorted(ROUTE_CAPABILITY))
def test_each_route_allows_the_roles_the_policy_gives_its_capability(route):
    _method, allowed = MATRIX[route]
    assert set(allowed) == set(roles_with(ROUTE_CAPABILITY[route]))


def test_every_capability_is_exercised_by_a_route_and_no_role_is_left_unknown():
    exercised = set(ROUTE_CAPABILITY.values()) | PART_OF_A_PAGE
    assert exercised == set(Capability)
    assert all(roles <= set(Role) for roles in POLICY.values())


def test_nobody_signed_out_can_do_anything():
    class SignedOut:
        is_authenticated = False
        role = Role.COUNCIL_OFFICER

    assert not any(can(SignedOut(), capability) for capability in Capability)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r.value for r in Role])
def test_the_navigation_offers_only_what_the_policy_allows(client, area, role):
    """Every link in the header is a page the policy lets this role open (the matrix proves the
    page itself refuses everyone else)."""
    from django.urls import resolve

    from fulfil.factories import UserFactory

    client.force_login(UserFactory(role=role, local_area=area))
    response = client.get("/")
    capabilities = {route: cap for route, cap in ROUTE_CAPABILITY.items()}
    for _label, url, _current in response.context["nav_items"]:
        match = resolve(url)
        route = f"{match.namespace}:{match.url_name}"
        if route in capabilities:
            assert role in roles_with(capabilities[route]), (role, route)
