"""The capability policy is the one table of who may do what (issue 18): the routes the
authorization matrix exercises allow exactly the roles the policy gives their capability, so
changing a role's rights means changing the policy, and the matrix then proves every page."""

import pytest

from fulfil.accounts.models import Role
from fulfil.accounts.policy import POLICY, Capability, can, roles_with
from fulfil.tests.test_authorization_matrix import PART_OF_A_PAGE, ROUTE_CAPABILITY
from fulfil.tests.test_authorization_matrix import POLICY as MATRIX


def test_every_route_of_the_matrix_is_governed_by_a_capability_but_the_home_page():
    assert set(MATRIX) - set(ROUTE_CAPABILITY) == {"core:home"}


@pytest.mark.parametrize("route", sorted(ROUTE_CAPABILITY))
def test_each_route_allows_the_roles_the_policy_gives_its_capability(route):
    _method, allowed = MATRIX[route]
    assert set(allowed) == {str(role) for role in roles_with(ROUTE_CAPABILITY[route])}


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
