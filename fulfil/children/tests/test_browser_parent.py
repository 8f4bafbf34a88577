"""A parent on a shared computer: sees only their own child, and after signing out the back
button shows nothing personal (pages are never cached)."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from fulfil.accounts.models import User
from fulfil.children.models import Child
from fulfil.tests.browser import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("clock_on_demo_day")]


@pytest.fixture
def demo_area(transactional_db):
    call_command("generate", "--seed", "5", "--today", "2026-11-25", "--children", "40", verbosity=0)


def test_parent_sees_only_their_child_and_the_back_button_after_sign_out_shows_nothing(page, live_server, demo_area):
    parent = User.objects.get(username="parent")
    mine = parent.family_links.get().child
    someone_else = Child.objects.exclude(pk=mine.pk).order_by("id").first()

    sign_in(page, live_server, "parent")
    page.get_by_role("link", name="See your child's therapy").click()
    page.get_by_role("link", name=f"{mine.last_name}, {mine.first_name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(mine.full_name)
    # The family sees where their child's assessments and reviews stand, read-only.
    expect(page.get_by_role("heading", name="Assessments and reviews")).to_be_visible()
    expect(page.get_by_role("link", name="Log a request for an assessment")).to_have_count(0)
    assert axe_violations(page) == []

    # Another child's record, by guessing its address, is "not found".
    response = page.goto(f"{live_server.url}/children/{someone_else.public_id}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert someone_else.last_name not in page.content()

    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text(mine.full_name)
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_title(re.compile("^Sign in"))
    page.go_back()
    # The browser must ask the server again (no-store), which sends it to sign in.
    expect(page).to_have_title(re.compile("^Sign in"))
    assert mine.last_name not in page.content()
