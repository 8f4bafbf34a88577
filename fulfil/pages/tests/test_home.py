import pytest
from django.urls import reverse

from fulfil.factories import ProvisionItemFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_home_overview_names_each_therapy_in_words_and_names_no_child(client, area):
    for discipline in ("salt", "salt", "ot"):
        ProvisionItemFactory(child__local_area=area, child__sen_status="ehcp", discipline=discipline,
                             child__first_name="Zebedee")
    client.force_login(UserFactory(role="commissioner", local_area=area))
    page = client.get(reverse("core:home")).content.decode()
    # Labels come from core.models.Discipline; counts below 8 are suppressed, not shown.
    assert "Speech and language therapy" in page and "Occupational therapy" in page
    assert "Physiotherapy" not in page.split("Children with EHC plans")[-1]
    assert "fewer than 8" in page and "Zebedee" not in page
