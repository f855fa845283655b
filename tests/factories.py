"""Small builders for quiz content in tests, independent of the shipped interview fixture.

    single_choice(prompt, ["right", "wrong", ...], correct=0)
    ordering(prompt, ["first", "second", "third"])           # listed in the right order
    matching(prompt, [("Kirov", "Leningrad"), ("Yagoda", "NKVD")])
    question_set(owner, [q1, q2], visibility="public")

and the people and answer history around them:

    make_user("kim", teacher=True)                            # a real account, with a password
    students(30)                                              # many bare accounts at once
    take(student, [(q1, True), (q2, False, FAST_MS)], when=ago(days=3))
    recorded_attempt(student, assignment, [option_a, None])   # an assignment attempt, picked options
"""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from history.models import Assessment, Claim, Event, Figure, Passage, Source
from quiz.attempts import create_attempt
from quiz.models import Answer, Attempt, AttemptItem, Kind, Option, Question, QuestionSet, SetItem
from quiz.review import record_review

_counter = itertools.count(1)


def _n():
    return next(_counter)


def source():
    src = Source.objects.filter(key="test-source").first()
    if src is None:
        src = Source.objects.create(key="test-source", title="Test interview", interviewee="Prof. Test")
    return src


def passage(text="The interviewee said that Kirov was popular in Leningrad.", position=None):
    src = source()
    if position is None:
        position = (src.passages.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    return Passage.objects.create(source=src, position=position, speaker_label="SM", text=text)


def figure(short_name=None, **extra):
    n = _n()
    short_name = short_name or f"Figure{n}"
    return Figure.objects.create(
        key=f"fig-{n}-{short_name.lower()}", name=f"{short_name} Full", short_name=short_name, **extra
    )


def event(name=None, year=1934, **extra):
    n = _n()
    name = name or f"Event {n}"
    return Event.objects.create(key=f"ev-{n}", name=name, start_date=datetime.date(year, 12, 1), **extra)


def claim(text="Kirov was popular.", *, psg=None, quote=None, speaker=None, assessment=Assessment.CORROBORATED):
    psg = psg or passage()
    quote = quote or psg.text.split(" ", 3)[-1]
    speaker = speaker or figure("Speaker")
    return Claim.objects.create(
        key=f"claim-{_n()}",
        statement=text,
        speaker=speaker,
        passage=psg,
        quote=quote,
        assessment=assessment,
        note="Historians agree on this.",
        reference="A standard history.",
    )


def _question(
    kind, prompt, *, explanation="Because the interview says so.", psg=None, quote="", figures=(), events=(), **extra
):
    if psg is None and quote is not False:
        psg = passage()
        quote = quote or psg.text
    q = Question.objects.create(
        kind=kind, prompt=prompt, explanation=explanation, passage=psg, quote=quote or "", **extra
    )
    if figures:
        q.figures.add(*figures)
    if events:
        q.events.add(*events)
    return q


def single_choice(
    prompt="Who led Leningrad?",
    choices=("Kirov", "Yagoda", "Yezhov", "Zhdanov"),
    correct=0,
    *,
    kind=Kind.WHO_HELD_ROLE,
    **extra,
):
    q = _question(kind, prompt, **extra)
    Option.objects.bulk_create(
        Option(question=q, text=text, position=i, is_correct=(i == correct)) for i, text in enumerate(choices)
    )
    return q


def cloze(
    prompt="“Kirov was popular in ____.” Which word fills the gap?",
    choices=("Leningrad", "Moscow", "Kiev"),
    correct=0,
    **extra,
):
    return single_choice(prompt, choices, correct, kind=Kind.CLOZE, **extra)


def ordering(prompt="Put these in order, earliest first.", items=("First", "Second", "Third", "Fourth"), **extra):
    """`items` are given in the right order; they are stored as authored (position = rank)."""
    q = _question(Kind.CHRONOLOGY, prompt, **extra)
    Option.objects.bulk_create(
        Option(question=q, text=text, position=i, correct_position=i + 1) for i, text in enumerate(items)
    )
    return q


def matching(
    prompt="Match each person to their post.",
    pairs=(("Kirov", "Leningrad party chief"), ("Yagoda", "NKVD head"), ("Molotov", "Premier")),
    **extra,
):
    q = _question(Kind.MATCHING, prompt, **extra)
    for i, (left, right) in enumerate(pairs):
        r = Option.objects.create(question=q, text=right, side=Option.Side.RIGHT, position=100 + i)
        Option.objects.create(question=q, text=left, side=Option.Side.LEFT, position=i, match=r)
    return q


def mixed_questions(count):
    """`count` questions cycling through single choice, cloze, ordering and matching."""
    makers = [single_choice, cloze, ordering, matching]
    return [
        makers[i % 4](prompt=f"Question {i + 1}: " + ("Pick one." if i % 4 < 2 else "Arrange.")) for i in range(count)
    ]


def question_set(owner=None, questions=(), *, title=None, visibility="public", **extra):
    """A set with the settings of a practice set unless told otherwise (unlimited attempts,
    score and answers after each question); tests of attempt limits and review options say
    what they use, and the safe defaults of a new set are tested through the real forms."""
    extra.setdefault("max_attempts", 0)
    extra.setdefault("show_score", "each_question")
    extra.setdefault("show_answers", "each_question")
    qs = QuestionSet.objects.create(owner=owner, title=title or f"Set {_n()}", visibility=visibility, **extra)
    SetItem.objects.bulk_create(
        SetItem(question_set=qs, question=q, position=i) for i, q in enumerate(questions, start=1)
    )
    return qs


def mixed_set(title):
    """A public set with one question of each answer mode, options shuffled, in this order: a
    single choice on Kirov, four events to order, a matching and a cloze."""
    return question_set(
        None,
        [
            single_choice("Who led the Leningrad party?", figures=[figure("Kirov")]),
            ordering("Put these events in order, earliest first.", items=("Congress", "Murder", "Trial", "Purge")),
            matching("Match each person to a post."),
            cloze(),
        ],
        title=title,
        shuffle_options=True,
    )


# --- People ------------------------------------------------------------------------------


def make_user(username, *, teacher=False, staff=False, password="pw-for-tests-only"):
    from quiz.demo import ensure_teacher_group

    user = get_user_model().objects.create_user(username=username, password=password, first_name=username.title())
    if teacher:
        user.groups.add(ensure_teacher_group())
    if staff:
        user.is_staff = user.is_superuser = True
        user.save()
    return user


def students(n, prefix="s"):
    """`n` accounts named prefix001, prefix002, ...; no password hashing: they only need to exist."""
    User = get_user_model()
    return User.objects.bulk_create(
        User(username=f"{prefix}{i:03d}", first_name=f"{prefix.upper()}{i:03d}") for i in range(1, n + 1)
    )


# --- Answer history ------------------------------------------------------------------------
# Answers written the way the scoring code writes them (Answer row, attempt tallies, then
# `record_review`), but with `answered_at` set in the past, so the FSRS schedule can be observed
# without waiting.

SLOW_MS = 20_000  # a correct answer this slow rates Good
FAST_MS = 3_000  # ... and this fast, Easy


def ago(**kwargs):
    return timezone.now() - datetime.timedelta(**kwargs)


def take(student, results, *, title="Quiz", when=None, finished=True, mode=Attempt.Mode.SET, review=True):
    """Create an attempt over the questions in `results` and answer them.

    `results` is a list of (question, is_correct) or (question, is_correct, time_ms);
    answers are one second apart from `when` (default: now). With finished=False the last
    question stays unanswered.
    """
    when = when or timezone.now()
    results = [(r[0], r[1], r[2] if len(r) > 2 else SLOW_MS) for r in results]
    attempt = create_attempt(student, [r[0] for r in results], mode=mode, title=title)
    items = {item.question_id: item for item in attempt.items.all()}
    answered = results if finished else results[:-1]
    at = when
    for question, is_correct, time_ms in answered:
        at = at + datetime.timedelta(seconds=1)
        answer = Answer.objects.create(
            item=items[question.pk],
            student=student,
            question=question,
            is_correct=is_correct,
            score=1.0 if is_correct else 0.0,
            time_taken_ms=time_ms,
        )
        Answer.objects.filter(pk=answer.pk).update(answered_at=at)
        answer.answered_at = at
        if review:
            with transaction.atomic():  # as in scoring: the card row is locked for the update
                record_review(answer)
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=when,
        finished_at=at if finished else None,
        answered_count=len(answered),
        correct_count=sum(1 for r in answered if r[1]),
        score=float(sum(1 for r in answered if r[1])),
    )
    attempt.refresh_from_db()
    return attempt


def recorded_attempt(student, assignment, picks, *, started=None, minutes=5, finished=True):
    """An attempt at the assignment answering question i with option picks[i] (None: skipped),
    started two hours ago unless told, taking `minutes`."""
    questions = [
        item.question for item in assignment.question_set.items.select_related("question").order_by("position")
    ]
    started = started or timezone.now() - datetime.timedelta(hours=2)
    attempt = Attempt.objects.create(
        student=student,
        question_set=assignment.question_set,
        assignment=assignment,
        title="t",
        question_count=len(questions),
    )
    items = AttemptItem.objects.bulk_create(
        AttemptItem(attempt=attempt, question=q, position=i, option_order=[o.pk for o in q.options.all()])
        for i, q in enumerate(questions, start=1)
    )
    answers = [
        Answer(
            item=item,
            student=student,
            question=item.question,
            selected_option=pick,
            is_correct=pick.is_correct,
            score=float(pick.is_correct),
        )
        for item, pick in zip(items, picks)
        if pick is not None
    ]
    Answer.objects.bulk_create(answers)
    correct = sum(a.is_correct for a in answers)
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=started,
        finished_at=started + datetime.timedelta(minutes=minutes) if finished else None,
        answered_count=len(answers),
        correct_count=correct,
        score=float(correct),
    )
    return attempt
