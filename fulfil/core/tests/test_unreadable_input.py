"""A NUL character or an impossibly long value gets one 400 page that says what to fix."""

import pytest
from django.urls import reverse

from fulfil.factories import ProvisionItemFactory, UserFactory
from fulfil.plans.models import ProvisionItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def therapist_client(client, area):
    client.force_login(UserFactory(role="therapist", local_area=area))
    return client


def test_a_nul_character_in_a_search_is_refused_with_what_to_fix(therapist_client):
    # PostgreSQL cannot store or compare NUL: this was a 500 (issue 18).
    response = therapist_client.get("/children/", {"q": "Sm\x00ith"})
    assert response.status_code == 400
    assert "Remove the invisible character (NUL)" in response.content.decode()


def test_a_nul_character_or_a_million_characters_in_a_form_writes_nothing(client, area):
    item = ProvisionItemFactory(plan_version__plan__child__local_area=area)
    client.force_login(UserFactory(role="council_officer", local_area=area))
    url = reverse("plans:line-add", args=[item.child.public_id])
    for wording in ("Weekly\x00 OT", "x" * 1_000_000):
        response = client.post(url, {"wording": wording, "discipline": "ot", "kind": "direct", "sessions": "1", "minutes": "30",
                                     "period": "week", "starts_on": "2026-09-01", "section": "F"})
        assert response.status_code == 400
    assert "at most 20,000 characters" in response.content.decode()
    assert ProvisionItem.objects.count() == 1


def test_ordinary_text_passes(therapist_client):
    assert therapist_client.get("/children/", {"q": "Zoë O'Brien"}).status_code == 200
