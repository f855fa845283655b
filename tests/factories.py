"""Small builders for quiz content in tests, independent of the shipped interview fixture.

    single_choice(prompt, ["right", "wrong", ...], correct=0)
    ordering(prompt, ["first", "second", "third"])           # listed in the right order
    matching(prompt, [("Kirov", "Leningrad"), ("Yagoda", "NKVD")])
    question_set(owner, [q1, q2], visibility="public")
"""

import datetime
import itertools

from history.models import Assessment, Claim, Event, Figure, Passage, Source
from quiz.models import Kind, Option, Question, QuestionSet, SetItem

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
    return Figure.objects.create(key=f"fig-{n}-{short_name.lower()}", name=f"{short_name} Full", short_name=short_name, **extra)


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


def _question(kind, prompt, *, explanation="Because the interview says so.", psg=None, quote="", figures=(), events=(), **extra):
    if psg is None and quote is not False:
        psg = passage()
        quote = quote or psg.text
    q = Question.objects.create(kind=kind, prompt=prompt, explanation=explanation, passage=psg, quote=quote or "", **extra)
    if figures:
        q.figures.add(*figures)
    if events:
        q.events.add(*events)
    return q


def single_choice(prompt="Who led Leningrad?", choices=("Kirov", "Yagoda", "Yezhov", "Zhdanov"), correct=0, *, kind=Kind.WHO_HELD_ROLE, **extra):
    q = _question(kind, prompt, **extra)
    Option.objects.bulk_create(
        Option(question=q, text=text, position=i, is_correct=(i == correct)) for i, text in enumerate(choices)
    )
    return q


def cloze(prompt="“Kirov was popular in ____.” Which word fills the gap?", choices=("Leningrad", "Moscow", "Kiev"), correct=0, **extra):
    return single_choice(prompt, choices, correct, kind=Kind.CLOZE, **extra)


def ordering(prompt="Put these in order, earliest first.", items=("First", "Second", "Third", "Fourth"), **extra):
    """`items` are given in the right order; they are stored as authored (position = rank)."""
    q = _question(Kind.CHRONOLOGY, prompt, **extra)
    Option.objects.bulk_create(
        Option(question=q, text=text, position=i, correct_position=i + 1) for i, text in enumerate(items)
    )
    return q


def matching(prompt="Match each person to their post.", pairs=(("Kirov", "Leningrad party chief"), ("Yagoda", "NKVD head"), ("Molotov", "Premier")), **extra):
    q = _question(Kind.MATCHING, prompt, **extra)
    for i, (left, right) in enumerate(pairs):
        r = Option.objects.create(question=q, text=right, side=Option.Side.RIGHT, position=100 + i)
        Option.objects.create(question=q, text=left, side=Option.Side.LEFT, position=i, match=r)
    return q


def mixed_questions(count):
    """`count` questions cycling through single choice, cloze, ordering and matching."""
    makers = [single_choice, cloze, ordering, matching]
    return [makers[i % 4](prompt=f"Question {i + 1}: " + ("Pick one." if i % 4 < 2 else "Arrange.")) for i in range(count)]


def question_set(owner=None, questions=(), *, title=None, visibility="public", **extra):
    """A set with the settings of a practice set unless told otherwise (unlimited attempts,
    score and answers after each question); tests of attempt limits and review options say
    what they use, and the safe defaults of a new set are tested through the real forms."""
    extra.setdefault("max_attempts", 0)
    extra.setdefault("show_score", "each_question")
    extra.setdefault("show_answers", "each_question")
    qs = QuestionSet.objects.create(owner=owner, title=title or f"Set {_n()}", visibility=visibility, **extra)
    SetItem.objects.bulk_create(SetItem(question_set=qs, question=q, position=i) for i, q in enumerate(questions, start=1))
    return qs
