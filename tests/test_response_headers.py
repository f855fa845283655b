"""Headers on responses: nothing built for a signed-in user is stored by a cache, and every
response denies the powerful browser features the app never uses."""

import pytest
from django.templatetags.static import static
from django.test import Client

from tests.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(interview):
    return build_world()


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def cache_directives(response):
    return {part.strip().split("=")[0] for part in response.get("Cache-Control", "").split(",") if part.strip()}


def assert_not_stored(response, what):
    assert response.status_code == 200, what
    directives = cache_directives(response)
    assert {"private", "no-store"} <= directives, f"{what}: Cache-Control is {response.get('Cache-Control')!r}"
    assert "public" not in directives, what


# --- Cache-Control ---------------------------------------------------------------------------------


def test_a_students_attempt_summary_progress_and_home_page_are_never_stored(world):
    student = signed_in(world.users["student"])
    attempt = world.attempt.pk
    assert_not_stored(student.get(f"/attempts/{attempt}/"), "the attempt page")
    assert_not_stored(student.get(f"/attempts/{attempt}/items/1/"), "an answered question")
    assert_not_stored(student.get("/progress/"), "My progress")
    assert_not_stored(student.get("/"), "the home page, signed in")
    assert student.post(f"/attempts/{attempt}/finish/").status_code == 302
    assert_not_stored(student.get(f"/attempts/{attempt}/summary/"), "the summary")


def test_a_teachers_results_csv_and_exports_are_never_stored(world):
    teacher = signed_in(world.users["teacher"])
    assignment, qset = world.assignment.pk, world.question_set.pk
    assert_not_stored(teacher.get(f"/teach/assignments/{assignment}/"), "the results page")
    csv = teacher.get(f"/teach/assignments/{assignment}/results.csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert_not_stored(csv, "the results CSV")
    assert_not_stored(teacher.get(f"/teach/sets/{qset}/export/gift"), "the GIFT export")
    assert_not_stored(teacher.get(f"/teach/sets/{qset}/export/moodle-xml"), "the Moodle XML export")


def test_an_htmx_fragment_for_a_signed_in_user_is_never_stored(world):
    student = signed_in(world.users["student"])
    response = student.get(f"/attempts/{world.attempt.pk}/", HTTP_HX_REQUEST="true")
    assert_not_stored(response, "an htmx fragment")


def test_anonymous_pages_and_static_files_stay_cacheable(client, interview):
    for url in ("/", "/interview/", "/figures/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" not in cache_directives(response), url
    css = client.get(static("css/site.css"))
    assert css.status_code == 200
    assert "max-age=31536000" in css["Cache-Control"] and "no-store" not in css["Cache-Control"]


def test_static_files_stay_cacheable_for_a_signed_in_user(world):
    css = signed_in(world.users["student"]).get(static("css/site.css"))
    assert "no-store" not in css["Cache-Control"]


# --- Permissions-Policy ----------------------------------------------------------------------------

DENIED = ["camera", "microphone", "geolocation", "payment", "usb", "serial", "bluetooth", "hid", "midi"]


def policy(response):
    return {
        name.strip(): allow.strip()
        for name, _, allow in (part.partition("=") for part in response["Permissions-Policy"].split(","))
    }


def test_every_kind_of_response_denies_the_powerful_features(world, client):
    student = signed_in(world.users["student"])
    responses = {
        "public page": client.get("/interview/"),
        "signed-in page": student.get("/progress/"),
        "htmx fragment": student.get(f"/attempts/{world.attempt.pk}/", HTTP_HX_REQUEST="true"),
        "redirect": client.get("/progress/"),
        "404": client.get("/no-such-page/"),
        "403": student.get("/teach/"),
        "health check": client.get("/healthz"),
        "CSV": signed_in(world.users["teacher"]).get(f"/teach/assignments/{world.assignment.pk}/results.csv"),
        "static file": client.get(static("css/site.css")),
    }
    for what, response in responses.items():
        assert "Permissions-Policy" in response, what
        features = policy(response)
        for feature in DENIED:
            assert features.get(feature) == "()", f"{what}: {feature} is not denied"


@pytest.mark.browser
def test_the_browser_applies_the_policy_and_reports_no_unknown_feature(page, interview):
    page.goto("/interview/")
    denied = page.evaluate(
        "['camera', 'microphone', 'geolocation', 'payment', 'usb'].filter(f => document.featurePolicy.allowsFeature(f))"
    )
    assert denied == [], f"the browser still allows {denied}"
    assert page.evaluate("document.featurePolicy.allowsFeature('fullscreen')")  # untouched features stay
    assert page.js_errors == [], page.js_errors
