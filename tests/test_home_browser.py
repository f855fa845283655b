"""The home page in a real browser: it renders under the strict CSP, with htmx loaded from the
project's own static files, and passes axe-core."""

import pytest

from tests.browser_support import assert_accessible_and_error_free

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_renders_accessibly_under_csp(page):
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text() == "Conspiracy Against Stalin"
    # htmx loaded from our own static files, under the strict CSP.
    assert page.evaluate("typeof window.htmx") == "object"
    assert_accessible_and_error_free(page)
