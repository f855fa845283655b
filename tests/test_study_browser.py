"""The study pages in a real browser: keyboard use, htmx swaps, focus, axe-core."""

import re

import pytest
from playwright.sync_api import expect

from history.loading import FIXTURE_PATH
from tests.browser_support import assert_accessible, assert_accessible_and_error_free

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def active(page, script):
    return page.evaluate(f"(() => {{ const el = document.activeElement; return {script}; }})()")


def test_keyboard_opens_a_claim_in_place_and_focus_follows(page, study):
    page.goto("/interview/")
    page.evaluate("window.__sameDocument = true")
    # Start at passage 2's number and Tab forward to its first highlighted claim.
    page.locator("#passage-2 .passage-number").focus()
    for _ in range(5):
        page.keyboard.press("Tab")
        if active(page, "el.classList.contains('claim-link')"):
            break
    assert active(page, "el.dataset.claim") == "second-plan-1932"

    page.keyboard.press("Enter")
    card = page.locator("#panel-2 .claim-card")
    card.wait_for()
    assert "Historians' note on second-plan-1932." in card.inner_text()
    assert "Contradicted by historians" in card.inner_text()
    # (Locator assertions, not wait_for_function: the CSP forbids evaluating strings.)
    expect(page.locator("#claim-card-second-plan-1932")).to_be_focused()
    # No page load happened: the same document, the same address.
    assert page.evaluate("window.__sameDocument") is True
    assert page.url.endswith("/interview/")
    assert_accessible(page)

    # Escape closes the panel and returns focus to the highlight.
    page.keyboard.press("Escape")
    assert page.locator("#panel-2 .claim-card").count() == 0
    assert active(page, "el.dataset.claim") == "second-plan-1932"
    assert page.js_errors == []


def test_a_nested_claim_leads_to_the_claims_around_it(page, study):
    page.goto("/interview/")
    page.locator("#passage-8 [data-claim='tukhachevsky-deputy']").click()
    panel = page.locator("#panel-8")
    panel.locator(".claim-card").wait_for()
    panel.get_by_role("link", name=re.compile("group-members")).click()
    page.wait_for_selector("#panel-8 #claim-card-group-members")
    expect(page.locator("#claim-card-group-members")).to_be_focused()
    assert page.js_errors == []


def test_claims_can_be_hidden_and_shown_again(page, study):
    page.goto("/interview/")
    toggle = page.get_by_role("link", name="Hide the claims")
    toggle.click()
    assert "annotations-off" in page.locator("#reader").get_attribute("class")
    assert page.locator("#reader a.claim-link[href]").count() == 0
    assert page.url.endswith("/interview/?annotations=off")
    page.get_by_role("link", name="Show the claims").click()
    assert "annotations-off" not in page.locator("#reader").get_attribute("class")
    assert page.locator("#reader .claim-mark a.claim-link[href]").count() > 0
    assert page.js_errors == []


def test_without_javascript_a_highlight_opens_the_claim_page(browser, live_server, study):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/interview/")
    page.locator("#passage-2 [data-claim='congress-votes']").click()
    page.wait_for_url("**/interview/claims/congress-votes/")
    assert page.get_by_role("heading", level=1).inner_text() == "The claim"
    page.get_by_role("link", name="Read it in the interview").click()
    page.wait_for_url("**/interview/?quote=congress-votes#passage-2")
    assert (
        page.locator("#passage-2 mark.is-cited").inner_text() == "the congress gave more votes to Kirov than to Stalin"
    )
    context.close()


def test_reader_arriving_from_a_citation_is_accessible(page, study):
    page.goto("/interview/?quote=kirov-killed-1934#passage-8")
    assert page.locator("#passage-8 mark.is-cited").count() >= 1
    assert_accessible(page)


def test_figure_index_live_search_and_accessibility(page, study):
    page.goto("/figures/")
    assert_accessible(page)
    page.evaluate("window.__sameDocument = true")
    page.get_by_label("Search by name or spelling").fill("Rikov")
    expect(page.locator("#figure-results .figure-item")).to_have_count(1)
    assert page.locator("#figure-results").get_by_role("link").first.inner_text() == "Alexei Rykov"
    expect(page.locator("#result-count")).to_have_text("1 figure matches “Rikov”.")
    assert page.evaluate("window.__sameDocument") is True
    assert "q=Rikov" in page.url
    assert_accessible_and_error_free(page)


def test_figure_page_is_accessible(page, study):
    page.goto("/figures/tukhachevsky/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mikhail Tukhachevsky"
    assert page.get_by_role("link", name="Log in to practise").is_visible()
    assert_accessible(page)


def test_figure_page_practise_button_for_a_student(page, login, study, student):
    login(page, student)
    page.goto("/figures/yagoda/")
    assert page.get_by_role("button", name=re.compile("Practise this figure")).is_visible()
    assert_accessible(page)


def test_timeline_is_accessible_and_filters_without_javascript_help(page, study):
    page.goto("/timeline/")
    assert page.locator("#event-second-five-year-plan").get_by_text("The interview says: 1932").is_visible()
    assert_accessible(page)
    page.get_by_label("Who took part").select_option("yagoda")
    page.get_by_role("button", name="Show events").click()
    page.wait_for_url("**/timeline/?figure=yagoda*")
    assert page.locator("li.event").count() == 1
    assert page.js_errors == []


def test_study_pages_read_on_a_phone(browser, live_server, study):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740})
    page = context.new_page()
    for url in ["/interview/", "/interview/claims/group-members/", "/figures/", "/figures/stalin/", "/timeline/"]:
        page.goto(url)
        # Nothing forces sideways scrolling.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), url
    context.close()


def test_claim_page_is_accessible(page, study):
    page.goto("/interview/claims/group-members/")
    assert_accessible(page)


@pytest.mark.skipif(not FIXTURE_PATH.exists(), reason="the curated content fixture is not there yet")
def test_pages_with_the_full_content_are_accessible(page, interview):
    for url in ["/interview/", "/figures/", "/figures/yenukidze/", "/timeline/?range=all"]:
        page.goto(url)
        assert_accessible(page)
    # The full reader: open a nested claim by keyboard, then check the page again.
    page.goto("/interview/")
    link = page.locator("#passage-8 .claim-link").first
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#panel-8 .claim-card")).to_be_focused()
    assert_accessible_and_error_free(page)
