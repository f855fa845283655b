"""Hand-built content for the generation tests: small, explicit, with the traps in plain sight."""

from history.dates import parse_partial
from history.models import Alias, Claim, Event, Figure, Passage, Role, Source
from quiz.generation import generate
from quiz.models import Question


def source():
    return Source.objects.get_or_create(key="gen-source", defaults={"title": "Test interview", "interviewee": "Prof"})[
        0
    ]


def figure(key, name=None, short=None, *, aliases=(), spelling="", participant=False):
    short = short or key.title()
    fig = Figure.objects.create(
        key=key,
        name=name or f"Firstname {short}",
        short_name=short,
        interview_spelling=spelling,
        is_participant=participant,
    )
    for alias in aliases:
        Alias.objects.create(figure=fig, name=alias)
    return fig


def speaker():
    return Figure.objects.filter(key="maskharashvili").first() or figure(
        "maskharashvili", "Simon Maskharashvili", "Maskharashvili", participant=True
    )


def role(fig, title, start, end=None, *, key=None, organisation="", wording=""):
    start_date, start_precision = parse_partial(start)
    end_date, end_precision = parse_partial(end) if end else (None, "day")
    return Role.objects.create(
        key=key or f"{fig.key}-{title.lower().replace(' ', '-')[:40]}-{start}",
        figure=fig,
        title=title,
        organisation=organisation,
        interview_wording=wording,
        start_date=start_date,
        start_precision=start_precision,
        end_date=end_date,
        end_precision=end_precision,
    )


def event(key, name, date, end=None, *, participants=(), dating=""):
    start_date, start_precision = parse_partial(date)
    end_date, end_precision = parse_partial(end) if end else (None, "day")
    ev = Event.objects.create(
        key=key,
        name=name,
        start_date=start_date,
        start_precision=start_precision,
        end_date=end_date,
        end_precision=end_precision,
        interview_dating=dating,
    )
    ev.participants.set(participants)
    return ev


def passage(text):
    src = source()
    position = src.passages.count() + 1
    return Passage.objects.create(source=src, position=position, speaker_label="SM", speaker=speaker(), text=text)


def claim(
    key,
    statement,
    text,
    *,
    quote=None,
    assessment="corroborated",
    figures=(),
    events=(),
    psg=None,
    note="Historians agree.",
    reference="A standard history, p. 1.",
):
    psg = psg or passage(text)
    obj = Claim.objects.create(
        key=key,
        statement=statement,
        speaker=psg.speaker or speaker(),
        passage=psg,
        quote=quote or text,
        assessment=assessment,
        note=note,
        reference=reference,
    )
    obj.figures.set(figures)
    obj.events.set(events)
    return obj


def crowd(count=6, start_year=1920):
    """Office holders who make plausible wrong answers: one distinct office each."""
    people = []
    for i in range(count):
        person = figure(f"extra{i}", f"Extra Person{i}", f"Person{i}")
        role(person, f"Commissar of Things {i}", str(start_year + i), str(start_year + i + 5))
        people.append(person)
    return people


def run(**kwargs):
    summary = generate(**kwargs)
    return summary


def live(kind=None, key=None):
    qs = Question.objects.filter(is_retired=False).prefetch_related("options")
    if kind:
        qs = qs.filter(kind=kind)
    if key:
        return qs.get(generator_key=key)
    return qs


def correct(question):
    return [o.text for o in question.options.all() if o.is_correct]


def texts(question):
    return [o.text for o in question.options.all()]


def skipped(summary, key):
    return [s.reason for s in summary.skipped if s.key == key]


def assessment_prompt(says):
    """The prompt of a claim-assessment question about what the interview `says`."""
    return f"In the interview, Maskharashvili says that {says} How do historians assess this claim?"


def assert_generated(kind, key, *, right, never_offered):
    """Generate; the question `key` has `right` as its one right answer and never offers
    `never_offered` as a choice."""
    run()
    question = live(kind, key)
    assert never_offered not in texts(question)
    assert correct(question) == [right]
