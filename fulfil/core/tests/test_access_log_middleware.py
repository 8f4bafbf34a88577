"""Refused requests and Django admin pages leave a row in the access log (issue 18), with who, the
route's name, the method and when, and nothing that says which child was asked for."""

import pytest
from django.urls import reverse

from fulfil.accounts.models import AccessRecord
from fulfil.factories import ChildFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_refused_child_is_recorded_without_saying_which_child(client, area, other_area):
    elsewhere = ChildFactory(local_area=other_area)
    officer = UserFactory(role="council_officer", local_area=area)
    client.force_login(officer)

    response = client.get(reverse("children:detail", args=[elsewhere.public_id]), {"q": elsewhere.last_name})

    assert response.status_code == 404
    record = AccessRecord.objects.get(action="refused")
    assert (record.user, record.role, record.local_area, record.child) == (officer, "council_officer", area, None)
    assert (record.path, record.detail) == ("children:detail", "GET 404")
    written = f"{record.path} {record.detail}"
    assert str(elsewhere.public_id) not in written and str(elsewhere.pk) not in written
    assert elsewhere.last_name not in written


def test_a_page_someone_may_see_is_not_recorded_as_refused(client, area):
    child = ChildFactory(local_area=area)
    client.force_login(UserFactory(role="council_officer", local_area=area))

    assert client.get(reverse("children:detail", args=[child.public_id])).status_code == 200
    assert not AccessRecord.objects.filter(action="refused").exists()


def test_nobody_signed_in_leaves_no_row(client, area, other_area):
    elsewhere = ChildFactory(local_area=other_area)
    client.get(reverse("children:detail", args=[elsewhere.public_id]))
    assert not AccessRecord.objects.exists()


def test_every_admin_page_is_recorded_by_its_route(client, area):
    administrator = UserFactory(role="admin", local_area=area, is_staff=True, is_superuser=True)
    client.force_login(administrator)

    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:core_localarea_changelist"), {"q": "Kingston"}).status_code == 200

    rows = list(AccessRecord.objects.filter(action="admin-page").order_by("pk").values_list("user", "path", "detail"))
    assert rows == [(administrator.pk, "admin:index", "GET 200"),
                    (administrator.pk, "admin:core_localarea_changelist", "GET 200")]


def test_an_admin_page_refused_to_a_non_staff_user_is_recorded_too(client, area):
    therapist = UserFactory(role="therapist", local_area=area)
    client.force_login(therapist)

    assert client.get(reverse("admin:index")).status_code == 302  # to the admin's sign-in
    assert AccessRecord.objects.filter(user=therapist, action="admin-page", path="admin:index",
                                       detail="GET 302").exists()
