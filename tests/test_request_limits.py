"""Limits on request bodies: what the server reads of a request, and when.

A body larger than MAX_REQUEST_BYTES is refused with 413 before anything reads it; a body
without a declared length (chunked) is refused with 411; Django's own limits bound what is
parsed below that; a POST that fails CSRF is refused without its body being parsed; and an
upload, the largest legitimate body (a 1 MB question file), stays in memory.
"""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from quiz.interop.common import MAX_UPLOAD_BYTES
from quiz.models import Classroom, QuestionSet

pytestmark = pytest.mark.django_db

IMPORT = reverse("quiz:interop_import")
HTMX = {"HTTP_HX_REQUEST": "true"}


class WatchedBody:
    """A request body (wsgi.input) that records how many of its bytes the server read."""

    def __init__(self, data: bytes):
        self._data = io.BytesIO(data)
        self.bytes_read = 0

    def read(self, size=-1):
        chunk = self._data.read(size)
        self.bytes_read += len(chunk)
        return chunk

    def readline(self, size=-1):
        line = self._data.readline(size)
        self.bytes_read += len(line)
        return line


def post_body(client, path, body, *, content_type=MULTIPART_CONTENT, content_length=None, **extra):
    """POST `body` as the raw request body, declaring `content_length` (its length unless given)."""
    watched = WatchedBody(body)
    meta = {"wsgi.input": watched, "CONTENT_LENGTH": str(len(body) if content_length is None else content_length)}
    if content_length is False:  # no Content-Length at all, as in a chunked request
        del meta["CONTENT_LENGTH"]
    response = client.generic("POST", path, b"-", content_type=content_type, **meta, **extra)
    return response, watched


def multipart(fields):
    return encode_multipart(BOUNDARY, fields).rstrip(b"\r\n") + b"\r\n"


def gift_file(name, size):
    """A legitimate GIFT file of exactly `size` bytes: one question, padded with comment lines."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    question = "Who led the Leningrad party in 1934? {=Kirov ~Yagoda ~Yezhov}\n"
    comment = "// " + "notes on the source " * 3 + "\n"
    body = question
    while len(body) + len(comment) <= size - 1:
        body += comment
    body += "/" * (size - len(body) - 1) + "\n"
    data = body.encode()
    assert len(data) == size
    return SimpleUploadedFile(name, data, content_type="text/plain")


@pytest.fixture
def parsed(monkeypatch):
    """The requests whose body Django parsed into POST and FILES."""
    from django.http import HttpRequest

    calls = []
    original = HttpRequest._load_post_and_files

    def recording(request):
        calls.append(request.path)
        original(request)

    monkeypatch.setattr(HttpRequest, "_load_post_and_files", recording)
    return calls


@pytest.fixture
def temp_uploads(monkeypatch, tmp_path, settings):
    """Every temporary upload file Django creates (in FILE_UPLOAD_TEMP_DIR, pointed at tmp_path)."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    created = []
    original = TemporaryUploadedFile.__init__

    def recording(self, *args, **kwargs):
        created.append(args[0] if args else kwargs.get("name"))
        original(self, *args, **kwargs)

    monkeypatch.setattr(TemporaryUploadedFile, "__init__", recording)
    return created


# --- Too large: 413 before anything reads the body ------------------------------------------------


def test_the_limit_fits_a_one_megabyte_import_and_nothing_much_larger():
    # A 1 MB file plus its multipart envelope and the form's other fields; not 2.5 MB (Django's default).
    assert MAX_UPLOAD_BYTES + 4096 < settings.MAX_REQUEST_BYTES < 2 * MAX_UPLOAD_BYTES


def test_an_oversize_upload_is_refused_with_413_and_nothing_is_read_or_written(teacher_client, temp_uploads, tmp_path):
    body = multipart({"file": gift_file("big.gift", 3 * 1024 * 1024), "format": "auto"})
    response, watched = post_body(teacher_client, IMPORT, body)
    assert response.status_code == 413
    page = response.content.decode()
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "<h1>Too large to send</h1>" in page
    assert "at most 1 MB" in page and "Nothing was saved" in page
    assert watched.bytes_read == 0, "the body was read before the size was checked"
    assert temp_uploads == [] and list(tmp_path.iterdir()) == []
    assert QuestionSet.objects.count() == 0


def test_a_huge_cookieless_post_to_any_url_is_a_413_without_reading_it():
    # The attack: a 300 MB POST without any cookie; only the header says how big it is.
    client = Client(enforce_csrf_checks=True)
    for path in ("/", "/accounts/login/", IMPORT, "/no-such-page/"):
        response, watched = post_body(client, path, b"x" * 65536, content_length=300 * 1024 * 1024)
        assert response.status_code == 413, path
        assert watched.bytes_read == 0, path


def test_an_oversize_htmx_request_gets_the_message_as_plain_text(teacher_client):
    response, watched = post_body(
        teacher_client, IMPORT, b"x" * 1024, content_length=settings.MAX_REQUEST_BYTES + 1, **HTMX
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "at most 1 MB" in response.content.decode() and "<" not in response.content.decode()
    assert watched.bytes_read == 0


def test_the_413_page_carries_the_security_headers(client):
    response, _ = post_body(client, "/", b"x", content_length=settings.MAX_REQUEST_BYTES + 1)
    assert response.status_code == 413
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]


def test_a_body_at_the_limit_is_not_refused_for_its_size(teacher_client):
    # The limit is inclusive, like nginx's client_max_body_size.
    body = multipart({"title": "x"}).ljust(settings.MAX_REQUEST_BYTES, b"\n")
    response, _ = post_body(teacher_client, "/teach/classes/new/", body, content_length=settings.MAX_REQUEST_BYTES)
    assert response.status_code != 413


def test_a_body_without_a_length_is_refused_with_411_and_not_read(teacher_client):
    # A chunked request: gunicorn passes it on without CONTENT_LENGTH, and Django would read it
    # as empty. Refuse it plainly instead (browsers never send one; nginx sends a length).
    response, watched = post_body(
        teacher_client, IMPORT, b"5\r\nhello\r\n0\r\n\r\n", content_length=False, HTTP_TRANSFER_ENCODING="chunked"
    )
    assert response.status_code == 411
    assert "Content-Length" in response.content.decode()
    assert watched.bytes_read == 0


# --- Below the limit: Django's limits on what is parsed --------------------------------------------


def test_form_fields_past_the_data_limit_are_refused_readably(teacher_client):
    name = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    body = multipart({"name": name})
    assert len(body) < settings.MAX_REQUEST_BYTES
    response, _ = post_body(teacher_client, "/teach/classes/new/", body)
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    assert Classroom.objects.count() == 0


def test_the_data_limit_fits_the_largest_form():
    # The teacher's question form: a dozen fields of up to 500 characters, each character up to
    # 4 bytes of UTF-8 and tripled by URL encoding.
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE >= 12 * 500 * 4 * 3
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 512 * 1024


def test_too_many_fields_are_refused(teacher_client):
    fields = {f"f{i}": "1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response, _ = post_body(teacher_client, "/teach/classes/new/", multipart(fields))
    assert response.status_code == 400
    assert Classroom.objects.count() == 0


def test_more_than_one_file_is_refused(teacher_client, temp_uploads):
    body = multipart({"file": [gift_file("a.gift", 200), gift_file("b.gift", 200)], "format": "auto"})
    response, _ = post_body(teacher_client, IMPORT, body)
    assert response.status_code == 400
    assert QuestionSet.objects.count() == 0


# --- CSRF first: a forged or cookie-less POST is never parsed ----------------------------------------


def test_a_cookieless_multipart_post_is_refused_by_csrf_without_parsing_it(teacher, parsed, temp_uploads):
    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher)  # signed in, but a forged request carries no CSRF cookie
    body = multipart({"file": gift_file("q.gift", 500_000), "format": "auto"})
    response, _ = post_body(client, IMPORT, body)
    assert response.status_code == 403
    assert parsed == [], "the body was parsed before CSRF refused the request"
    assert temp_uploads == []
    assert QuestionSet.objects.count() == 0


def test_a_cross_origin_post_is_refused_without_parsing_it(teacher, parsed):
    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher)
    client.get("/")  # the CSRF cookie, as a page load sets it
    body = multipart({"csrfmiddlewaretoken": client.cookies["csrftoken"].value, "name": "Forged"})
    response, _ = post_body(client, "/teach/classes/new/", body, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert parsed == []
    assert Classroom.objects.count() == 0


def test_a_body_the_app_answered_without_reading_is_then_discarded_unparsed(parsed):
    # So that gunicorn does not close the connection while nginx is still sending the body
    # (nginx would answer 502 instead of the app's page): read to the end, never parsed.
    body = multipart({"file": gift_file("q.gift", 500_000), "format": "auto"})
    response, watched = post_body(Client(enforce_csrf_checks=True), IMPORT, body)
    assert response.status_code == 403
    assert parsed == []
    assert watched.bytes_read == len(body)


def test_the_nul_check_still_runs_on_a_genuine_post(teacher):
    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher)
    client.get("/")
    token = client.cookies["csrftoken"].value
    response = client.post("/teach/classes/new/", {"name": "Class\x00"}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    assert client.post("/teach/classes/new/", {"name": "Class 9"}, HTTP_X_CSRFTOKEN=token).status_code == 302
    assert Classroom.objects.filter(name="Class 9").count() == 1


# --- The largest legitimate request still works -------------------------------------------------------


def test_a_one_megabyte_question_file_imports_and_stays_in_memory(teacher_client, temp_uploads, tmp_path):
    response = teacher_client.post(
        IMPORT, {"file": gift_file("full.gift", MAX_UPLOAD_BYTES), "format": "auto"}, follow=True
    )
    assert response.status_code == 200, response.context.get("import_error")
    assert response.context["questions"][0].prompt.startswith("Who led the Leningrad party")
    assert temp_uploads == [] and list(tmp_path.iterdir()) == []


def test_a_one_megabyte_question_file_imports_with_csrf_enforced(teacher):
    # The same upload as a browser sends it: cookie, token field, the whole multipart body.
    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher)
    client.get(IMPORT)
    token = client.cookies["csrftoken"].value
    body = multipart({"csrfmiddlewaretoken": token, "file": gift_file("full.gift", MAX_UPLOAD_BYTES), "format": "auto"})
    assert len(body) <= settings.MAX_REQUEST_BYTES
    response, watched = post_body(client, IMPORT, body)
    assert response.status_code == 302, response.content.decode()[:500]
    assert watched.bytes_read == len(body)


# --- In the browser ------------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_the_browser_a_file_over_the_limit_shows_the_413_page_on_a_phone(browser, live_server, login, teacher):
    from tests.browser_support import assert_accessible

    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740})
    page = context.new_page()
    try:
        login(page, teacher)
        page.goto(IMPORT)
        big = gift_file("big.gift", settings.MAX_REQUEST_BYTES + 1024)
        page.get_by_label("Question file").set_input_files(
            {"name": "big.gift", "mimeType": "text/plain", "buffer": big.read()}
        )
        page.get_by_role("button", name="Upload and preview").click()
        page.get_by_role("heading", name="Too large to send").wait_for()
        assert "at most 1 MB" in page.locator("main").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert_accessible(page)
        assert QuestionSet.objects.count() == 0
    finally:
        context.close()
