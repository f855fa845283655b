"""The spaced-repetition review queue (FSRS), through the progress page and /review/start/."""

import pytest

from quiz.models import Attempt, Question, ReviewCard
from tests import factories as f
from tests.factories import FAST_MS, SLOW_MS, ago, take

pytestmark = pytest.mark.django_db

START = "/review/start/"


def review_attempts(student):
    return Attempt.objects.filter(student=student, mode=Attempt.Mode.REVIEW)


def questions_of(attempt):
    return list(attempt.items.order_by("position").values_list("question_id", flat=True))


def test_wrong_answer_comes_back_sooner_than_a_fast_right_one(student_client, student):
    wrong, fast_right = f.single_choice(prompt="Wrong"), f.single_choice(prompt="Fast right")
    take(student, [(wrong, False), (fast_right, True, FAST_MS)], when=ago(minutes=5))

    assert "Review due: 1" in student_client.get("/progress/").content.decode()
    response = student_client.post(START)
    attempt = review_attempts(student).get()
    assert response.status_code == 302 and response["Location"] == f"/attempts/{attempt.pk}/"
    assert questions_of(attempt) == [wrong.pk]
    assert attempt.title == "Review session"
    # The fast right answer is scheduled days later, the wrong one minutes later.
    cards = dict(ReviewCard.objects.filter(student=student).values_list("question_id", "due"))
    assert (cards[fast_right.pk] - cards[wrong.pk]).days >= 3


def test_a_card_answered_right_is_not_due_again_straight_away(student_client, student):
    good, easy = f.single_choice(prompt="Good"), f.single_choice(prompt="Easy")
    take(student, [(good, True, SLOW_MS), (easy, True, FAST_MS)])

    html = student_client.get("/progress/").content.decode()
    assert "Review due: 0" in html
    assert "Your next card is due" in html
    response = student_client.post(START, follow=True)
    assert "Nothing is due for review. Your next card is due" in response.content.decode()
    assert not review_attempts(student).exists()


def test_review_session_holds_exactly_the_due_questions_most_overdue_first(student_client, student):
    older, newer = f.single_choice(prompt="Older"), f.single_choice(prompt="Newer")
    not_due = f.single_choice(prompt="Known")
    take(student, [(newer, False)], when=ago(hours=1))
    take(student, [(older, False)], when=ago(hours=3))
    take(student, [(not_due, True, FAST_MS)], when=ago(hours=2))

    student_client.post(START)
    assert questions_of(review_attempts(student).get()) == [older.pk, newer.pk]


def test_review_session_takes_at_most_twenty_cards(student_client, student):
    questions = [f.single_choice(prompt=f"Q{i}") for i in range(23)]
    for hours, question in enumerate(questions, start=1):
        take(student, [(question, False)], when=ago(hours=hours))

    assert "Review due: 23" in student_client.get("/progress/").content.decode()
    student_client.post(START)
    chosen = questions_of(review_attempts(student).get())
    # The 20 answered longest ago (most overdue), oldest first.
    assert chosen == [q.pk for q in reversed(questions)][:20]


def test_retired_questions_never_enter_a_review_session(student_client, student):
    keep, retire = f.single_choice(prompt="Keep"), f.single_choice(prompt="Retire")
    take(student, [(keep, False), (retire, False)], when=ago(minutes=10))
    Question.objects.filter(pk=retire.pk).update(is_retired=True)

    assert "Review due: 1" in student_client.get("/progress/").content.decode()
    student_client.post(START)
    assert questions_of(review_attempts(student).get()) == [keep.pk]


def test_only_retired_due_cards_means_nothing_to_review(student_client, student):
    retire = f.single_choice(prompt="Retire")
    take(student, [(retire, False)], when=ago(minutes=10))
    Question.objects.filter(pk=retire.pk).update(is_retired=True)
    response = student_client.post(START, follow=True)
    assert "Nothing to review yet" in response.content.decode()
    assert not review_attempts(student).exists()


def test_nothing_due_without_any_answers_says_so(student_client, student):
    response = student_client.post(START)
    assert response.status_code == 302 and response["Location"] == "/progress/#review"
    page = student_client.get(response["Location"]).content.decode()
    assert "Nothing to review yet: answer some questions first" in page
    assert not Attempt.objects.exists()


def test_double_submitted_start_gives_one_session(student_client, student):
    q = f.single_choice()
    take(student, [(q, False)], when=ago(minutes=10))
    first = student_client.post(START)
    second = student_client.post(START)
    assert first["Location"] == second["Location"]
    assert review_attempts(student).count() == 1


def test_another_students_due_cards_are_not_mine(client, student, other_student):
    q = f.single_choice()
    take(other_student, [(q, False)], when=ago(minutes=10))
    client.force_login(student)
    client.post(START)
    assert not Attempt.objects.filter(student=student).exists()


def test_start_needs_post_and_login(client, student):
    q = f.single_choice()
    take(student, [(q, False)], when=ago(minutes=10))
    response = client.post(START)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(student)
    assert client.get(START).status_code == 405
    assert not review_attempts(student).exists()


def test_htmx_start_redirects_the_browser_to_the_session(student_client, student):
    q = f.single_choice()
    take(student, [(q, False)], when=ago(minutes=10))
    response = student_client.post(START, HTTP_HX_REQUEST="true")
    attempt = review_attempts(student).get()
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/attempts/{attempt.pk}/"


def test_htmx_start_with_nothing_due_swaps_in_when_the_next_card_is_due(student_client, student):
    q = f.single_choice()
    take(student, [(q, True, FAST_MS)])
    response = student_client.post(START, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and html.lstrip().startswith('<section id="review"')
    assert "Nothing is due for review. Your next card is due" in html
    assert "data-focus" in html and 'role="status"' in html
    assert not review_attempts(student).exists()


def test_answering_the_session_through_the_quiz_pages_reschedules_the_card(student_client, student):
    from quiz.scoring import option_token

    q = f.single_choice(prompt="Who led Leningrad?")
    take(student, [(q, False)], when=ago(minutes=10))
    before = ReviewCard.objects.get(student=student, question=q)

    location = student_client.post(START)["Location"]
    attempt = review_attempts(student).get()
    assert student_client.get(location).status_code == 200  # the question is shown (timing starts)
    right = q.options.get(is_correct=True)
    response = student_client.post(
        f"/attempts/{attempt.pk}/items/1/answer/", {"choice": option_token(attempt.pk, q.pk, right.pk)}
    )
    assert response.status_code == 302

    card = ReviewCard.objects.get(pk=before.pk)
    assert card.reviews == before.reviews + 1 and card.due > before.due
    html = student_client.get("/progress/").content.decode()
    assert "Review due: 0" in html
    assert "Review session" in html and "100%" in html
