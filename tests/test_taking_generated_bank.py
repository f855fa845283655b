"""The quiz flow over the real, generated question bank: every kind renders, scores and explains."""

import html as html_lib

import pytest

from history.citations import question_citation_url
from quiz.attempts import create_attempt
from quiz.models import Answer, Kind
from tests.taking_support import HTMX, answer_data, answer_url

pytestmark = pytest.mark.django_db


def one_of_each_kind(question_bank):
    firsts = (question_bank.filter(kind=kind).order_by("id").first() for kind in Kind.values)
    return [q for q in firsts if q is not None]


def check_feedback_cites(feedback, question):
    """Feedback on a right answer, linking to its passage and saying what historians say of its claim."""
    assert "Correct" in feedback, question.kind
    if question.passage:
        assert question_citation_url(question) in feedback
        assert f"#passage-{question.passage.position}" in question_citation_url(question)
    if question.claim:
        assert "What historians say" in feedback


def test_one_question_of_every_generated_kind_can_be_taken(student_client, student, question_bank):
    questions = one_of_each_kind(question_bank)
    assert len(questions) >= 6, "the generated bank should cover most kinds"
    attempt = create_attempt(student, questions, mode="practice", title="Every kind", shuffle_options=True)
    for it in attempt.items.select_related("question__passage").order_by("position"):
        page = html_lib.unescape(student_client.get(f"/attempts/{attempt.pk}/").content.decode())
        assert it.question.prompt in page
        assert it.question.explanation not in page
        response = student_client.post(answer_url(attempt, it.position), answer_data(it), **HTMX)
        assert response.status_code == 200, response.content[:300]
        check_feedback_cites(html_lib.unescape(response.content.decode()), it.question)
    assert Answer.objects.filter(is_correct=True).count() == len(questions)
    summary = student_client.get(f"/attempts/{attempt.pk}/summary/")
    assert "100%" in summary.content.decode()


def test_quick_practice_on_a_real_figure(student_client, question_bank):
    from history.models import Figure

    figure = Figure.objects.filter(questions__is_retired=False).distinct().first()
    response = student_client.post("/practice/", {"topic": f"figure:{figure.key}"})
    assert response.status_code == 302
    page = student_client.get(response.url)
    assert page.status_code == 200 and "Quick practice" in page.content.decode()
