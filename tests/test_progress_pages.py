"""The "My progress" page and practising a weak topic, through HTTP."""

import re

import pytest
from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format
from pytest_django.asserts import assertInHTML

from quiz.models import Attempt, Question
from tests import factories as f
from tests.factories import FAST_MS, ago, make_user, take
from tests.html_support import has

pytestmark = pytest.mark.django_db

PROGRESS = "/progress/"
PRACTICE = "/practice/"  # the quiz list's practice view, which the Practise buttons post to


def section(html, element_id):
    """The markup of the element with this id, up to its closing tag (tables and sections)."""
    match = re.search(rf'<(\w+)[^>]*\bid="{element_id}"', html)
    assert match, f"no element #{element_id}"
    tag = match.group(1)
    end = html.index(f"</{tag}>", match.start())
    return html[match.start() : end]


def topic_order(html, table_id):
    return re.findall(r'data-topic="([^"]+)"', section(html, table_id))


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(PROGRESS)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/progress/")


def test_new_student_sees_what_to_do_first(student_client):
    response = student_client.get(PROGRESS)
    html = response.content.decode()
    assert response.status_code == 200
    assert "You have not taken a quiz yet" in html
    assert 'href="/quizzes/"' in html and 'href="/interview/"' in html
    assert "Review due: 0" in html
    assert "Nothing to review yet" in html
    assert "<svg" not in html


def test_history_lists_attempts_with_percentages_dates_and_resume_links(student_client, student):
    a, b, c, d = (f.single_choice(prompt=f"Q{i}") for i in range(4))
    done = take(student, [(a, True), (b, True), (c, True), (d, False)], title="Kirov and Leningrad", when=ago(days=2))
    half = take(student, [(a, True), (b, False)], title="Who held which post", when=ago(days=1))
    open_attempt = take(student, [(c, True), (d, True), (a, False)], title="Unfinished business", finished=False)

    html = student_client.get(PROGRESS).content.decode()
    history = section(html, "attempt-history")
    assert (
        history.index("Unfinished business")
        < history.index("Who held which post")
        < history.index("Kirov and Leningrad")
    )
    assert "75%" in history and "3 of 4 right" in history
    assert "50%" in history and "1 of 2 right" in history
    assert "2 of 3 answered" in history
    assert f'href="/attempts/{open_attempt.pk}/"' in history
    # Finished attempts have no resume link; the dates are in the site's locale format.
    assert f'href="/attempts/{done.pk}/"' not in history and f'href="/attempts/{half.pk}/"' not in history
    assert date_format(timezone.localtime(done.started_at), "DATE_FORMAT") in history
    assert "2\xa0days ago" in history or "2 days ago" in history
    assert "You have answered 8 questions and got 6 right (75%)" in html


def test_mastery_rows_are_weakest_first_with_counts(student_client, student):
    kirov, yagoda, zinoviev = f.figure("Kirov"), f.figure("Yagoda"), f.figure("Zinoviev")
    murder = f.event("Kirov murder")
    on_kirov = [f.single_choice(prompt=f"K{i}", figures=[kirov], events=[murder]) for i in range(3)]
    on_yagoda = [f.single_choice(prompt=f"Y{i}", figures=[yagoda]) for i in range(3)]
    on_zinoviev = [f.single_choice(prompt=f"Z{i}", figures=[zinoviev]) for i in range(6)]
    # Kirov 1 of 3, Yagoda 3 of 3, Zinoviev 2 of 6: Kirov and Zinoviev tie at a third,
    # and Zinoviev, with more answers, comes first.
    take(student, [(q, i == 0) for i, q in enumerate(on_kirov)] + [(q, True) for q in on_yagoda])
    take(student, [(q, i < 2) for i, q in enumerate(on_zinoviev)])

    html = student_client.get(PROGRESS).content.decode()
    assert topic_order(html, "mastery-figures") == [zinoviev.key, kirov.key, yagoda.key]
    figures = section(html, "mastery-figures")
    for name, count in (("Zinoviev", "2 of 6"), ("Kirov", "1 of 3"), ("Yagoda", "3 of 3")):
        assert re.search(rf"{name}</a></th>\s*<td class=\"num\">{count}</td>", figures), name
    assert has(figures, "meter", min="0", max="100", low="50", high="80", optimum="100", value="33")
    assert "33%" in figures and "100%" in figures
    assert topic_order(html, "mastery-events") == [murder.key]
    assert "1 of 3" in section(html, "mastery-events")
    # The practise-next list leads with the weakest topic, with a button for it.
    assert has(section(html, "mastery"), None, name="figure", value=zinoviev.key)


def test_mastery_counts_only_the_latest_twenty_answers_per_topic(student_client, student):
    kirov = f.figure("Kirov")
    questions = [f.single_choice(prompt=f"K{i}", figures=[kirov]) for i in range(25)]
    # Five early mistakes, then twenty right answers: recent mastery is complete.
    take(student, [(q, False) for q in questions[:5]], when=ago(days=3))
    take(student, [(q, True) for q in questions[5:]], when=ago(days=1))
    figures = section(student_client.get(PROGRESS).content.decode(), "mastery-figures")
    assert "20 of 20" in figures and "100%" in figures


def test_trend_chart_is_an_accessible_svg_with_a_table_alternative(student_client, student):
    a, b = f.single_choice(prompt="A"), f.single_choice(prompt="B")
    take(student, [(a, True), (b, False)], title="First go", when=ago(days=3))
    take(student, [(a, True), (b, True)], title="Second go", when=ago(days=1))

    html = student_client.get(PROGRESS).content.decode()
    svg = section(html, "trend")
    assert has(svg, None, role="img", aria_labelledby="trend-title trend-desc")
    assertInHTML('<title id="trend-title">Your scores over time</title>', svg)
    assert "2 finished attempts" in svg and "First score 50%, latest 100%" in svg
    assert svg.count('<circle class="dot"') == 2
    assert "style=" not in html
    table = section(html, "trend")[svg.index("<details") :]
    assert "First go" in table and "Second go" in table and "50%" in table and "2 of 2" in table


def test_chart_text_is_escaped(student_client, student):
    q = f.single_choice()
    take(student, [(q, True)], title='<script>alert("x")</script>')
    html = student_client.get(PROGRESS).content.decode()
    assert "One finished attempt" in html and "scored 100%" in html
    assert section(html, "trend").count('<circle class="dot"') == 1
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_another_students_progress_is_never_shown(client, student, other_student):
    kirov, yagoda = f.figure("Kirov"), f.figure("Yagoda")
    mine = f.single_choice(prompt="Mine", figures=[kirov])
    theirs = f.single_choice(prompt="Theirs", figures=[yagoda])
    take(student, [(mine, True)], title="My quiz")
    take(other_student, [(theirs, False), (mine, False)], title="Their secret quiz", when=ago(minutes=30))

    client.force_login(student)
    html = client.get(PROGRESS).content.decode()
    assert "My quiz" in html and "Their secret quiz" not in html
    assert topic_order(html, "mastery-figures") == [kirov.key]
    assert "1 of 1" in section(html, "mastery-figures")
    # Their wrong answer (due a minute later) is their card, not mine.
    assert "Review due: 0" in html
    assert "You have answered 1 question and got 1 right (100%)" in html


def test_practise_button_starts_an_attempt_on_that_topic_only(student_client, student):
    kirov, yagoda = f.figure("Kirov"), f.figure("Yagoda")
    on_kirov = [f.single_choice(prompt=f"K{i}", figures=[kirov]) for i in range(3)]
    retired = f.single_choice(prompt="Old Kirov question", figures=[kirov], is_retired=True)
    f.single_choice(prompt="About Yagoda", figures=[yagoda])
    take(student, [(on_kirov[0], False)])

    response = student_client.post(PRACTICE, {"figure": kirov.key})
    attempt = Attempt.objects.filter(student=student, mode=Attempt.Mode.PRACTICE).get()
    assert response.status_code == 302 and response["Location"] == f"/attempts/{attempt.pk}/"
    questions = set(attempt.items.values_list("question_id", flat=True))
    assert questions == {q.pk for q in on_kirov}
    assert retired.pk not in questions
    assert "Kirov" in attempt.title
    # A double-submitted button lands on the same attempt.
    again = student_client.post(PRACTICE, {"figure": kirov.key})
    assert again["Location"] == f"/attempts/{attempt.pk}/"
    assert Attempt.objects.filter(student=student, mode=Attempt.Mode.PRACTICE).count() == 1


def test_practise_puts_questions_the_student_got_wrong_first(student_client, student):
    murder = f.event("Kirov murder")
    questions = [f.single_choice(prompt=f"E{i}", events=[murder]) for i in range(12)]
    take(student, [(q, True) for q in questions[:10]] + [(questions[10], False)])
    student_client.post(PRACTICE, {"event": murder.key})
    attempt = Attempt.objects.get(student=student, mode=Attempt.Mode.PRACTICE)
    chosen = list(attempt.items.order_by("position").values_list("question_id", flat=True))
    assert len(chosen) == 10
    # Got wrong first, then never met, then the ones answered right.
    assert chosen[:2] == [questions[10].pk, questions[11].pk]
    assert set(chosen[2:]) < {q.pk for q in questions[:10]}


@pytest.mark.parametrize(
    ("data", "status", "text"),
    [
        ({}, 400, "Choose a figure or an event from the list to practise."),
        ({"figure": "kirov", "event": "murder"}, 400, "Choose a figure or an event from the list to practise."),
        ({"figure": "no-such-person"}, 400, "Choose a figure or an event from the list to practise."),
        ({"event": "no-such-event"}, 400, "Choose a figure or an event from the list to practise."),
    ],
)
def test_practise_rejects_bad_topics_and_creates_nothing(student_client, student, data, status, text):
    f.single_choice(figures=[f.figure("Kirov")])
    response = student_client.post(PRACTICE, data)
    assert response.status_code == status
    assert text in response.content.decode()
    assert not Attempt.objects.exists()


def test_practise_on_a_topic_without_live_questions_explains(student_client):
    kirov = f.figure("Kirov")
    f.single_choice(figures=[kirov], is_retired=True)
    response = student_client.post(PRACTICE, {"figure": kirov.key}, follow=True)
    assert "There are no questions about Kirov to practise yet." in response.content.decode()
    assert not Attempt.objects.exists()


def test_practise_needs_a_post_and_a_login(client, student):
    kirov = f.figure("Kirov")
    f.single_choice(figures=[kirov])
    response = client.post(PRACTICE, {"figure": kirov.key})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(student)
    assert client.get(PRACTICE, {"figure": kirov.key}).status_code == 405
    assert not Attempt.objects.exists()


def test_home_page_shows_review_due_for_students_only(client, student):
    wrong = f.single_choice(prompt="W")
    right = f.single_choice(prompt="R")
    take(student, [(wrong, False), (right, True, FAST_MS)], when=ago(minutes=10))

    assert "Review due" not in client.get("/").content.decode()
    client.force_login(student)
    html = client.get("/").content.decode()
    assert "Review due: 1" in html
    assert 'href="/progress/#review"' in html
    client.force_login(make_user("teacher-x", teacher=True))
    assert "Review due" not in client.get("/").content.decode()


def test_with_the_real_question_bank_practise_targets_the_weakest_figure(student_client, student, question_bank):
    from history.models import Figure
    from quiz.independence import independent

    kirov = Figure.objects.filter(questions__in=question_bank).annotate(n=Count("questions")).order_by("-n").first()
    # Three that can share a practice: none gives another away (quiz/independence.py).
    on_topic = independent(question_bank.filter(figures=kirov).distinct(), limit=3)
    others = list(question_bank.exclude(figures=kirov).distinct()[:5])
    take(student, [(q, False) for q in on_topic] + [(q, True) for q in others])

    html = student_client.get(PROGRESS).content.decode()
    assert topic_order(html, "mastery-figures")[0] == kirov.key
    response = student_client.post(PRACTICE, {"figure": kirov.key})
    attempt = Attempt.objects.get(student=student, mode=Attempt.Mode.PRACTICE)
    assert response["Location"] == f"/attempts/{attempt.pk}/"
    questions = Question.objects.filter(attempt_items__attempt=attempt)
    assert questions.count() == min(10, question_bank.filter(figures=kirov).count())
    assert all(kirov in q.figures.all() and not q.is_retired for q in questions)
    # The ones the student got wrong come first.
    first = set(attempt.items.order_by("position").values_list("question_id", flat=True)[:3])
    assert first == {q.pk for q in on_topic}


def test_trend_chart_says_when_it_shows_only_the_latest_attempts(student_client, student, monkeypatch):
    from quiz import progress

    monkeypatch.setattr(progress, "TREND_LIMIT", 2)
    a = f.single_choice(prompt="A")
    for days in (5, 3, 1):
        take(student, [(a, True)], title=f"Go {days}", when=ago(days=days))
    svg = section(student_client.get(PROGRESS).content.decode(), "trend")
    # Three finished attempts, two plotted: the description must not pass them off as all of them.
    assert "Your latest 2 finished attempts" in svg and svg.count('<circle class="dot"') == 2


def test_dates_read_the_same_whatever_language_the_browser_asks_for(student_client, student):
    a = f.single_choice(prompt="A")
    take(student, [(a, True)], title="Dated", when=ago(days=1))
    british = student_client.get(PROGRESS).content.decode()
    american = student_client.get(PROGRESS, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    french = student_client.get(PROGRESS, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "a.m." not in american and "p.m." not in american
    stamp = re.search(r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}", british).group(0)
    assert stamp in american and stamp in french
    assert 'lang="en-gb"' in french or 'lang="en"' in french
