"""The accessibility check must be able to fail, or a green browser suite means nothing."""

import pytest

from fulfil.tests.browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_axe_reports_an_image_without_alt_text_and_an_unlabelled_input(page):
    page.set_content('<html lang="en"><head><title>t</title></head><body><main><h1>x</h1>'
                     '<img src="data:image/png;base64,iVBORw0KGgo="><input type="text"></main></body></html>')
    found = " ".join(axe_violations(page))
    assert "image-alt" in found and "label" in found
