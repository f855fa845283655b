"""The import pages in a real browser: keyboard-usable, accessible (axe-core), no CSP errors."""

from pathlib import Path

import pytest

from quiz.models import QuestionSet
from tests import factories as f
from tests.browser_support import assert_accessible, assert_accessible_and_error_free

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DATA = Path(__file__).parent / "data"


def test_import_preview_and_confirm_in_the_browser(page, login, teacher):
    login(page, teacher)
    page.goto("/teach/import/")
    assert page.get_by_role("heading", level=1).inner_text() == "Import questions"
    assert_accessible(page)

    page.get_by_label("Question file").set_input_files(str(DATA / "interop_realistic.gift"))
    page.get_by_role("button", name="Upload and preview").click()
    page.wait_for_url("**/teach/import/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "Check the import"
    page.reload()  # the preview is a plain GET page: reloading uploads nothing again
    assert page.get_by_role("heading", level=1).inner_text() == "Check the import"
    assert page.get_by_text("7 questions ready to import, 2 skipped").is_visible()
    assert page.get_by_text("Correct answer").first.is_visible()
    assert_accessible(page)
    assert QuestionSet.objects.count() == 0

    page.get_by_label("Title of the new question set").fill("Terror, imported")
    page.get_by_role("button", name="Import 7 questions").click()
    page.wait_for_url("**/teach/sets/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "Terror, imported"
    qset = QuestionSet.objects.get()
    assert qset.title == "Terror, imported" and qset.items.count() == 7
    assert page.js_errors == []


def test_a_malformed_file_shows_an_accessible_error(page, login, teacher):
    login(page, teacher)
    page.goto("/teach/import/")
    page.get_by_label("Question file").set_input_files(
        files=[{"name": "broken.gift", "mimeType": "text/plain", "buffer": b"Who led Leningrad?\n{=Kirov ~Yagoda\n"}]
    )
    page.get_by_role("button", name="Upload and preview").click()
    alert = page.get_by_role("alert")
    assert "Line 2: the answer block opened with '{' is never closed" in alert.inner_text()
    assert_accessible(page)
    assert QuestionSet.objects.count() == 0


def test_export_page_is_accessible(page, login, teacher):
    qset = f.question_set(teacher, [f.single_choice(), f.ordering(), f.matching()], visibility="private")
    login(page, teacher)
    page.goto(f"/teach/sets/{qset.pk}/export/")
    assert page.get_by_role("heading", level=1).inner_text() == f"Export “{qset.title}”"
    assert page.get_by_role("link", name="Download GIFT file").is_visible()
    assert_accessible_and_error_free(page)
