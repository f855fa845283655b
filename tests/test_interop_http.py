"""Import/export over HTTP: who may do what, the preview → confirm flow, replays and tampering,
downloads, and constant query counts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quiz.models import Question, QuestionSet
from tests import factories as f
from tests.factories import make_user
from tests.interop_support import confirm, upload

pytestmark = pytest.mark.django_db

GIFT = "$CATEGORY: $course$/top/Kirov\n\nWho led Leningrad? {=Kirov ~Yagoda ~Yezhov}\n\nKirov died in 1934. {T}\n"
CONFIRM = reverse("quiz:interop_import_confirm")


def export_urls(pk):
    return [
        reverse("quiz:interop_export", args=[pk]),
        reverse("quiz:interop_export_gift", args=[pk]),
        reverse("quiz:interop_export_moodle_xml", args=[pk]),
    ]


# --- Permissions -------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_log_in(client, teacher):
    qset = f.question_set(teacher, [f.single_choice()], visibility="public")
    for url in [reverse("quiz:interop_import"), *export_urls(qset.pk)]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), url
    response = client.post(CONFIRM, {"token": "x" * 32, "title": "t"})
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_students_are_forbidden(student_client, teacher):
    qset = f.question_set(teacher, [f.single_choice()], visibility="public")
    for url in [reverse("quiz:interop_import"), *export_urls(qset.pk)]:
        assert student_client.get(url).status_code == 403, url
    assert upload(student_client, "q.gift", GIFT).status_code == 403
    assert student_client.post(CONFIRM, {"token": "x" * 32, "title": "t"}).status_code == 403
    assert QuestionSet.objects.count() == 1


@pytest.mark.parametrize("visibility,status", [("private", 404), ("class", 404), ("public", 200)])
def test_another_teachers_sets_export_only_when_public(teacher_client, other_teacher, visibility, status):
    qset = f.question_set(other_teacher, [f.single_choice()], visibility=visibility)
    for url in export_urls(qset.pk):
        assert teacher_client.get(url).status_code == status, url


def test_own_private_set_exports_and_unknown_sets_are_404(teacher_client, teacher):
    qset = f.question_set(teacher, [f.single_choice()], visibility="private")
    for url in export_urls(qset.pk):
        assert teacher_client.get(url).status_code == 200
    for url in export_urls(qset.pk + 1000):
        assert teacher_client.get(url).status_code == 404


# --- Downloads -----------------------------------------------------------------------------------


def test_downloads_are_utf8_attachments_with_the_right_type(teacher_client, teacher):
    qset = f.question_set(
        teacher, [f.single_choice("Кто руководил Ленинградом?")], title="Terror 1934–38", visibility="private"
    )
    QuestionSet.objects.filter(pk=qset.pk).update(title="Terror 1934–38 / Year 12")
    qset.refresh_from_db()
    gift = teacher_client.get(reverse("quiz:interop_export_gift", args=[qset.pk]))
    assert gift["Content-Type"] == "text/plain; charset=utf-8"
    assert gift["Content-Disposition"] == 'attachment; filename="terror-1934-38-year-12-gift.txt"'
    assert "Кто руководил Ленинградом?" in gift.content.decode("utf-8")
    # One Moodle category for the set: a slash in the title is doubled, as Moodle does, or it would nest categories.
    assert "$CATEGORY: $course$/top/Terror 1934–38 // Year 12\n" in gift.content.decode("utf-8")
    xml = teacher_client.get(reverse("quiz:interop_export_moodle_xml", args=[qset.pk]))
    assert xml["Content-Type"] == "application/xml; charset=utf-8"
    assert xml["Content-Disposition"] == 'attachment; filename="terror-1934-38-year-12-moodle.xml"'
    assert xml.content.decode("utf-8").startswith('<?xml version="1.0" encoding="UTF-8"?>')


def test_export_page_lists_questions_and_links_the_downloads(teacher_client, teacher):
    qset = f.question_set(
        teacher, [f.single_choice("Who led Leningrad?"), f.ordering("Order them.")], visibility="private"
    )
    page = teacher_client.get(reverse("quiz:interop_export", args=[qset.pk])).content.decode()
    assert "Who led Leningrad?" in page and "Exported in both formats" in page
    assert reverse("quiz:interop_export_gift", args=[qset.pk]) in page
    assert reverse("quiz:interop_export_moodle_xml", args=[qset.pk]) in page
    assert "1 question cannot be expressed in GIFT" in page


def test_export_queries_do_not_grow_with_the_set(teacher_client, teacher):
    small = f.question_set(teacher, f.mixed_questions(4), visibility="private")
    large = f.question_set(teacher, f.mixed_questions(16), visibility="private")
    for name in ("quiz:interop_export", "quiz:interop_export_gift", "quiz:interop_export_moodle_xml"):
        counts = []
        for qset in (small, large):
            with CaptureQueriesContext(connection) as queries:
                assert teacher_client.get(reverse(name, args=[qset.pk])).status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], (name, counts)


# --- Preview, then confirm -----------------------------------------------------------------------


def test_preview_saves_nothing_and_confirm_creates_a_private_set(teacher_client, teacher):
    preview = upload(teacher_client, "kirov.gift", GIFT)
    assert preview.status_code == 200
    assert QuestionSet.objects.count() == 0 and Question.objects.count() == 0
    response = confirm(teacher_client, preview, title="Kirov questions")
    qset = QuestionSet.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("quiz:set_detail", args=[qset.pk])
    assert (qset.title, qset.owner, qset.visibility) == ("Kirov questions", teacher, "private")
    assert Question.objects.count() == 2
    follow = teacher_client.get(response.url)
    assert "Imported 2 questions into “Kirov questions” (private)." in follow.content.decode()


def test_confirming_twice_imports_once(teacher_client):
    preview = upload(teacher_client, "kirov.gift", GIFT)
    first = confirm(teacher_client, preview)
    second = confirm(teacher_client, preview)
    assert QuestionSet.objects.count() == 1 and Question.objects.count() == 2
    assert second.status_code == 302 and second.url == first.url
    page = teacher_client.get(second.url).content.decode()
    assert "already imported; nothing was imported twice" in page


def test_a_made_up_token_is_refused(teacher_client):
    upload(teacher_client, "kirov.gift", GIFT)
    for token in ["A" * 32, "../../etc", "", "x" * 200]:
        response = teacher_client.post(CONFIRM, {"token": token, "title": "Stolen"})
        assert response.status_code == 400
        assert "Upload the file again" in response.content.decode()
    assert QuestionSet.objects.count() == 0


def test_another_teachers_token_is_useless(client, teacher, other_teacher):
    client.force_login(teacher)
    token = upload(client, "kirov.gift", GIFT).context["confirm"].initial["token"]
    client.force_login(other_teacher)
    response = client.post(CONFIRM, {"token": token, "title": "Stolen"})
    assert response.status_code == 400
    assert QuestionSet.objects.count() == 0


def test_posted_question_data_is_ignored(teacher_client):
    preview = upload(teacher_client, "kirov.gift", GIFT)
    token = preview.context["confirm"].initial["token"]
    teacher_client.post(
        CONFIRM, {"token": token, "title": "T", "prompt": "Injected?", "questions": '[{"prompt": "Injected?"}]'}
    )
    assert set(Question.objects.values_list("prompt", flat=True)) == {"Who led Leningrad?", "Kirov died in 1934."}


def test_an_empty_title_shows_the_preview_again_and_saves_nothing(teacher_client):
    preview = upload(teacher_client, "kirov.gift", GIFT)
    response = confirm(teacher_client, preview, title="   ")
    assert response.status_code == 400
    assert "Who led Leningrad?" in response.content.decode()
    assert QuestionSet.objects.count() == 0
    # The same preview can still be confirmed once the title is given.
    assert confirm(teacher_client, preview, title="Fixed").status_code == 302
    assert QuestionSet.objects.get().title == "Fixed"


def test_confirm_is_post_only(teacher_client):
    assert teacher_client.get(CONFIRM).status_code == 405


def test_a_file_with_nothing_importable_offers_no_confirm_button(teacher_client):
    preview = upload(teacher_client, "sa.gift", "Who? {=Kirov}\n")
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "None of the questions in this file can be imported" in page
    assert CONFIRM not in page


def test_the_import_page_has_a_labelled_file_input(teacher_client):
    page = teacher_client.get(reverse("quiz:interop_import")).content.decode()
    assert '<label for="id_file">Question file</label>' in page
    assert 'enctype="multipart/form-data"' in page


def test_a_teacher_without_sets_can_still_import(client):
    newcomer = make_user("newteacher", teacher=True)
    client.force_login(newcomer)
    preview = upload(client, "kirov.gift", GIFT)
    confirm(client, preview)
    assert QuestionSet.objects.get().owner == newcomer


def test_students_can_play_imported_questions(client, teacher, student):
    """Imported kinds (multiple choice, true/false, cloze, matching, ordering) play in the quiz."""
    from pathlib import Path

    from quiz.models import Attempt, Option
    from quiz.scoring import option_token

    client.force_login(teacher)
    content = (Path(__file__).parent / "data" / "interop_realistic.xml").read_text()
    confirm(client, upload(client, "terror.xml", content))
    qset = QuestionSet.objects.get()
    QuestionSet.objects.filter(pk=qset.pk).update(visibility="public")

    client.force_login(student)
    response = client.post(reverse("quiz:start_set", args=[qset.pk]))
    attempt = Attempt.objects.get(student=student)
    assert response.status_code == 302 and attempt.question_count == 5
    for item in attempt.items.select_related("question").order_by("position"):
        question = item.question
        options = list(Option.objects.filter(question=question))

        def token(option_id, question=question):
            return option_token(attempt.pk, question.pk, option_id)

        if question.mode.name == "single":
            data = {"choice": token(next(o.pk for o in options if o.is_correct))}
        elif question.mode.name == "ordering":
            data = {f"rank-{token(o.pk)}": o.correct_position for o in options}
        else:
            data = {f"match-{token(o.pk)}": token(o.match_id) for o in options if o.side == "left"}
        assert client.get(reverse("quiz:attempt", args=[attempt.pk])).status_code == 200  # shows the question
        answer = client.post(reverse("quiz:answer", args=[attempt.pk, item.position]), data)
        assert answer.status_code == 302, answer.content.decode()[-800:]
        page = client.get(reverse("quiz:item", args=[attempt.pk, item.position]))
        assert page.status_code == 200
        assert question.prompt in page.content.decode()
    attempt.refresh_from_db()
    assert attempt.correct_count == 5


def test_upload_redirects_to_a_preview_page_that_can_be_reloaded(teacher_client):
    response = teacher_client.post(
        reverse("quiz:interop_import"), {"file": SimpleUploadedFile("kirov.gift", GIFT.encode())}
    )
    assert response.status_code == 302
    for _ in range(2):
        page = teacher_client.get(response.url)
        assert page.status_code == 200 and "2 questions ready to import" in page.content.decode()
    assert QuestionSet.objects.count() == 0
    confirm(teacher_client, page)
    # After the import the old preview address leads to the new set.
    again = teacher_client.get(response.url)
    assert again.status_code == 302 and again.url == reverse("quiz:set_detail", args=[QuestionSet.objects.get().pk])


def test_an_unknown_preview_is_404(teacher_client):
    assert teacher_client.get(reverse("quiz:interop_preview", args=["B" * 32])).status_code == 404


def test_confirming_takes_the_same_queries_for_few_or_many_questions(client, teacher):
    client.force_login(teacher)
    counts = []
    for n in (3, 30):
        gift = "\n\n".join(
            f"Q{i}? {{=a ~b}}" if i % 3 == 0 else f"M{i}. {{=x -> y =z -> w}}" if i % 3 == 1 else f"T{i}. {{T}}"
            for i in range(n)
        )
        preview = upload(client, f"f{n}.gift", gift)
        with CaptureQueriesContext(connection) as queries:
            assert confirm(client, preview).status_code == 302
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert Question.objects.count() == 33


def test_a_confirmation_racing_another_imports_nothing(client, teacher):
    """A second confirmation that loaded the session before the first one saved (a double
    click served by two server processes) must not import again."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory

    from quiz.views.interop import import_confirm

    client.force_login(teacher)
    preview = upload(client, "kirov.gift", GIFT)
    token = preview.context["confirm"].initial["token"]
    stale = SessionStore(session_key=client.session.session_key)
    assert token in stale["interop_imports"]  # loaded now, before the first confirmation

    assert confirm(client, preview).status_code == 302
    request = RequestFactory().post(CONFIRM, {"token": token, "title": "Twice"})
    request.user, request.session = teacher, stale
    response = import_confirm(request)
    assert response.status_code == 409
    assert "already been saved" in response.content.decode()
    assert QuestionSet.objects.count() == 1 and Question.objects.count() == 2
