"""Query counts that do not grow with the quiz, and an answer key that never reaches the browser."""

import html as html_lib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quiz.attempts import create_attempt
from quiz.models import Option
from quiz.scoring import option_token
from tests import factories as f
from tests.taking_support import HTMX, answer_data, answer_url

pytestmark = pytest.mark.django_db


def _attempt(student, count):
    kirov = f.figure("Kirov")
    questions = f.mixed_questions(count)
    for q in questions:
        q.figures.add(kirov)
    return create_attempt(student, questions, mode="set", title=f"{count} questions", shuffle_options=True)


def _count(callable_):
    with CaptureQueriesContext(connection) as ctx:
        response = callable_()
    assert response.status_code in (200, 302), response.content[:500]
    return len(ctx.captured_queries)


def _costs(client, attempt):
    item1 = attempt.items.get(position=1)
    item2 = attempt.items.get(position=2)
    return {
        "question page": _count(lambda: client.get(f"/attempts/{attempt.pk}/")),
        "question fragment": _count(lambda: client.get(f"/attempts/{attempt.pk}/", **HTMX)),
        "answer (htmx)": _count(lambda: client.post(answer_url(attempt, 1), answer_data(item1), **HTMX)),
        "repeat answer": _count(lambda: client.post(answer_url(attempt, 1), answer_data(item1), **HTMX)),
        "answer (plain)": _count(lambda: client.post(answer_url(attempt, 2), answer_data(item2))),
        "feedback page": _count(lambda: client.get(f"/attempts/{attempt.pk}/items/2/")),
        "quiz list": _count(lambda: client.get("/quizzes/")),
    }


def test_question_and_answer_queries_do_not_grow_with_the_quiz(client, student, other_student):
    client.force_login(student)
    small = _costs(client, _attempt(student, 5))
    client.force_login(other_student)
    large = _costs(client, _attempt(other_student, 50))
    assert small == large
    # And they stay small in absolute terms.
    assert small["question page"] <= 10 and small["answer (htmx)"] <= 25


def test_summary_queries_do_not_grow_with_the_quiz(client, student, other_student):
    counts = []
    for user, size in ((student, 5), (other_student, 50)):
        client.force_login(user)
        attempt = _attempt(user, size)
        for it in attempt.items.select_related("question"):
            client.post(answer_url(attempt, it.position), answer_data(it, correct=it.position % 2 == 0))
        counts.append(_count(lambda attempt=attempt: client.get(f"/attempts/{attempt.pk}/summary/")))
    assert counts[0] == counts[1]


def test_quiz_list_queries_do_not_grow_with_sets_and_attempts(client, student, teacher):
    from quiz.models import Assignment, Classroom, Enrollment

    client.force_login(student)
    classroom = Classroom.objects.create(teacher=teacher, name="9B")
    Enrollment.objects.create(classroom=classroom, student=student)
    kirov = f.figure("Kirov")

    def add_sets(n):
        for i in range(n):
            qs = f.question_set(
                teacher, [f.single_choice(figures=[kirov]), f.ordering()], visibility="class" if i % 2 else "public"
            )
            if i % 2:
                Assignment.objects.create(classroom=classroom, question_set=qs)
            create_attempt(student, qs.questions.all(), mode="set", title=qs.title, question_set=qs)
            f.figure(f"Extra{i}").questions.add(qs.questions.first())

    add_sets(2)
    small = _count(lambda: client.get("/quizzes/"))
    add_sets(10)
    response = client.get("/quizzes/")
    assert response.content.decode().count("Resume") >= 12
    assert _count(lambda: client.get("/quizzes/")) == small


# --- The answer key stays on the server ---------------------------------------------------


def _question_html(client, attempt):
    return client.get(f"/attempts/{attempt.pk}/").content.decode()


def _assert_no_key_markers(html, question):
    body = html.split('id="main"', 1)[1]
    lowered = body.lower()
    for marker in ("is_correct", "correct_position", "data-correct", "data-answer", "data-match", "data-rank"):
        assert marker not in lowered
    # Explanations and quotes can give the answer away; they wait for the feedback.
    assert question.explanation not in body
    # No attribute carries a database id (ids follow authoring order, which is the key):
    # controls are named by opaque tokens, and the only numbers are display positions.
    fieldset = body.split("<fieldset", 1)[1].split("</fieldset>", 1)[0]
    token = r"[0-9a-f]{16}"
    for attr, value in re.findall(r'\s(name|id|for|value)="([^"]*)"', fieldset):
        if attr == "name":
            assert re.fullmatch(rf"choice|(rank|match)-{token}", value), value
        elif attr in ("id", "for"):
            assert re.fullmatch(rf"(choice|rank|match)-{token}|order-help", value), value
        else:
            assert value == "" or re.fullmatch(token, value) or value.isdigit(), value
    # The ordering inputs' values are display positions 1..n. (Only those inputs: a matching
    # option's token is hex and now and then all digits, which is not a position.)
    position_inputs = [tag for tag in re.findall(r"<input[^>]*>", fieldset) if "data-order-position" in tag]
    positions = [int(re.search(r'value="(\d+)"', tag).group(1)) for tag in position_inputs]
    assert positions == list(range(1, len(positions) + 1))


def test_single_choice_shows_the_attempts_order_and_no_key(client, student):
    client.force_login(student)
    q = f.single_choice(choices=[f"Choice {i}" for i in range(6)], correct=0, explanation="Choice 0 is right because.")
    attempt = create_attempt(student, [q], mode="set", title="t", shuffle_options=True, seed=3)
    order = attempt.items.get().option_order
    assert order != sorted(order)  # this seed really shuffles
    html = _question_html(client, attempt)
    shown = re.findall(r'name="choice" value="([0-9a-f]+)"', html)
    assert shown == [option_token(attempt.pk, q.pk, pk) for pk in order]
    _assert_no_key_markers(html, q)


def test_ordering_is_shown_shuffled_with_neutral_defaults(client, student):
    client.force_login(student)
    q = f.ordering(
        items=("Kirov killed", "Show trial", "Yagoda arrested", "Yezhov falls"), explanation="Dates explain it."
    )
    attempt = create_attempt(student, [q], mode="set", title="t", shuffle_options=False)
    html = html_lib.unescape(_question_html(client, attempt))
    shown_texts = re.findall(r'<label class="order-text" for="rank-[0-9a-f]+">([^<]+)</label>', html)
    by_text = {o.text: o for o in q.options.all()}
    assert sorted(shown_texts) == sorted(by_text)
    assert [by_text[t].correct_position for t in shown_texts] != [1, 2, 3, 4]
    # The pre-filled positions are the shown order (1, 2, 3 …), not the right one.
    fieldset = html.split("<fieldset", 1)[1].split("</fieldset>", 1)[0]
    assert re.findall(r'value="(\d)"', fieldset) == ["1", "2", "3", "4"]
    _assert_no_key_markers(html, q)


def test_matching_choices_do_not_mirror_the_key(client, student):
    client.force_login(student)
    pairs = [("Kirov", "Zeta post"), ("Yagoda", "Alpha post"), ("Molotov", "Mid post")]
    q = f.matching(pairs=pairs, explanation="Posts explain it.")
    attempt = create_attempt(student, [q], mode="set", title="t", shuffle_options=False)
    html = html_lib.unescape(_question_html(client, attempt))
    first_select = html.split("<select", 1)[1].split("</select>", 1)[0]
    choices = re.findall(r'<option value="[0-9a-f]+">([^<]+)</option>', first_select)
    assert choices == ["Alpha post", "Mid post", "Zeta post"]  # alphabetical, not in key order
    assert "selected" not in first_select
    _assert_no_key_markers(html, q)
    right_tokens = {option_token(attempt.pk, q.pk, o.pk) for o in Option.objects.filter(question=q, side="right")}
    assert set(re.findall(r'<option value="([0-9a-f]+)"', first_select)) == right_tokens


def test_cloze_shows_the_blank_but_not_the_quote(client, student):
    client.force_login(student)
    psg = f.passage("He said Kirov was loved in Leningrad by the workers.")
    q = f.cloze(
        '"He said Kirov was loved in ____ by the workers." Which word fills the gap?',
        psg=psg,
        quote="Kirov was loved in Leningrad",
    )
    attempt = create_attempt(student, [q], mode="set", title="t")
    html = html_lib.unescape(_question_html(client, attempt))
    assert "____" in html
    assert "Kirov was loved in Leningrad" not in html
    _assert_no_key_markers(html, q)
