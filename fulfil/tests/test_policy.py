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
}


@pytest.mark.parametrize("route", sorted(ROUTE_CAPABILITY))
def test_each_route_allows_the_roles_the_policy_gives_its_capability(route):
    _method, allowed = MATRIX[route]
    assert set(allowed) == set(roles_with(ROUTE_CAPABILITY[route]))


def test_every_capability_is_exercised_by_a_route_and_no_role_is_left_unknown():
    exercised = set(ROUTE_CAPABILITY.values()) | {Capability.BOOK_SERVICE_DIARIES, Capability.BREAK_GLASS}  # their own tests
    assert exercised == set(Capability)
    assert all(roles <= set(Role) for roles in POLICY.values())


def test_nobody_signed_out_can_do_anything():
    class SignedOut:
        is_authenticated = False
        role = Role.COUNCIL_OFFICER

    assert not any(can(SignedOut(), capability) for capability in Capability)
