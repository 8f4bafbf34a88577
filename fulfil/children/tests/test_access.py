"""Who sees which child: the one access check, tested with an owner / colleague / outsider
trio for each role, as a user would notice it (a 404 and no row in the list)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from fulfil.accounts.models import AccessRecord, FamilyLink
from fulfil.accounts.scopes import child_get_for_user, children_visible_to
from fulfil.factories import (
    CaseloadAssignmentFactory,
    ChildFactory,
    EnrolmentFactory,
    ProviderFactory,
    TherapistFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pinned_clock():
    """The relationships here are dated relative to today: pin today so nothing depends on the run."""
    with freeze_time("2026-11-25 12:00"):
        yield


@pytest.fixture
def caseload(area):
    provider = ProviderFactory(local_area=area)
    mine = TherapistFactory(local_area=area, provider=provider, discipline="salt")
    teammate = TherapistFactory(local_area=area, provider=provider, discipline="salt")
    other_team = TherapistFactory(local_area=area, provider=provider, discipline="ot")
    my_child = CaseloadAssignmentFactory(therapist=mine).child
    team_child = CaseloadAssignmentFactory(therapist=teammate).child
    ot_child = CaseloadAssignmentFactory(therapist=other_team).child
    return {"provider": provider, "mine": mine, "my_child": my_child, "team_child": team_child, "ot_child": ot_child}


def visible(user):
    return set(children_visible_to(user, now=timezone.now()))


def test_council_officer_sees_every_child_of_their_area_and_none_of_another(area, other_area):
    own = ChildFactory(local_area=area)
    elsewhere = ChildFactory(local_area=other_area)
    officer = UserFactory(role="council_officer", local_area=area)
    assert own in visible(officer)
    assert elsewhere not in visible(officer)


def test_therapist_sees_own_and_team_caseload_but_not_another_discipline(area, caseload):
    therapist = UserFactory(role="therapist", local_area=area, therapist=caseload["mine"])
    seen = visible(therapist)
    assert caseload["my_child"] in seen
    assert caseload["team_child"] in seen
    assert caseload["ot_child"] not in seen


def test_therapist_loses_access_when_the_caseload_assignment_ends(area, caseload):
    therapist = UserFactory(role="therapist", local_area=area, therapist=caseload["mine"])
    assignment = caseload["my_child"].caseload_assignments.get()
    assignment.ends_on = dt.date.today() - dt.timedelta(days=1)
    assignment.save()
    assert caseload["my_child"] not in visible(therapist)


def test_service_manager_sees_children_known_to_their_service_only(area, caseload):
    manager = UserFactory(role="service_manager", local_area=area, provider=caseload["provider"])
    stranger = ChildFactory(local_area=area)
    seen = visible(manager)
    assert {caseload["my_child"], caseload["team_child"], caseload["ot_child"]} <= seen
    assert stranger not in seen


def test_senco_sees_pupils_on_roll_at_their_setting_only(area):
    pupil = EnrolmentFactory(child__local_area=area).child
    left = EnrolmentFactory(child__local_area=area, on_roll_to=dt.date.today() - dt.timedelta(days=30))
    elsewhere = EnrolmentFactory(child__local_area=area).child
    senco = UserFactory(role="senco", local_area=area, setting=pupil.current_setting)
    # The leaver was on roll at the same setting.
    left.setting = pupil.current_setting
    left.save()
    seen = visible(senco)
    assert pupil in seen
    assert left.child not in seen
    assert elsewhere not in seen


def test_parent_sees_only_their_linked_child_while_the_link_is_active(area):
    mine, other = ChildFactory(local_area=area), ChildFactory(local_area=area)
    parent = UserFactory(role="parent", local_area=area)
    link = FamilyLink.objects.create(user=parent, child=mine, starts_on=dt.date(2020, 1, 1))
    assert visible(parent) == {mine}
    link.ends_on = dt.date.today() - dt.timedelta(days=1)
    link.save()
    assert visible(parent) == set()
    assert other not in visible(parent)


@pytest.mark.parametrize("role", ["commissioner", "admin"])
def test_roles_without_child_access_see_no_child(area, role):
    ChildFactory(local_area=area)
    assert visible(UserFactory(role=role, local_area=area)) == set()


def test_archived_children_are_not_listed(area):
    child = ChildFactory(local_area=area, archived_at=timezone.now(), archived_reason="Moved out of area")
    assert child not in visible(UserFactory(role="council_officer", local_area=area))


def test_a_hidden_child_is_a_404_that_looks_like_a_missing_one(client, area, other_area):
    elsewhere = ChildFactory(local_area=other_area)
    officer = UserFactory(role="council_officer", local_area=area)
    client.force_login(officer)
    hidden = client.get(reverse("children:detail", args=[elsewhere.public_id]))
    missing = client.get(reverse("children:detail", args=["00000000-0000-4000-8000-000000000000"]))
    assert hidden.status_code == missing.status_code == 404
    assert AccessRecord.objects.filter(child=elsewhere).count() == 0


def test_child_get_for_user_raises_404_for_a_malformed_id(area):
    from django.http import Http404

    with pytest.raises(Http404):
        child_get_for_user(UserFactory(local_area=area), "not-a-uuid", now=timezone.now())


def test_anonymous_visitors_are_sent_to_sign_in(client, area):
    child = ChildFactory(local_area=area)
    for url in [reverse("children:list"), reverse("children:detail", args=[child.public_id]),
                reverse("schools:list"), reverse("workforce:list"), reverse("core:home")]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")), url


@pytest.mark.parametrize("role", ["commissioner", "admin"])
def test_the_children_list_does_not_exist_for_roles_without_child_access(client, area, role):
    ChildFactory(local_area=area)
    client.force_login(UserFactory(role=role, local_area=area))
    assert client.get(reverse("children:list")).status_code == 404
