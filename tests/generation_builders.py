"""Hand-built content for the generation tests: small, explicit, with the traps in plain sight."""

from history.dates import parse_partial
from history.models import Alias, Claim, Event, Figure, Passage, Role, Source
from quiz.generation import generate
from quiz.models import Question


def source():
    return Source.objects.get_or_create(key="gen-source", defaults={"title": "Test interview", "interviewee": "Prof"})[
        0
    ]


def figure(key, name=None, short=None, *, aliases=(), spelling="", participant=False, **fields):
    """A figure and its aliases; `fields` sets any other Figure field (bio, birth_year...)."""
    short = short or key.title()
    name = name or f"Firstname {short}"
    fig = Figure.objects.create(
        key=key, name=name, short_name=short, interview_spelling=spelling, is_participant=participant, **fields
    )
    for alias in aliases:
        Alias.objects.create(figure=fig, name=alias)
    return fig


def speaker():
    return Figure.objects.filter(key="maskharashvili").first() or figure(
        "maskharashvili", "Simon Maskharashvili", "Maskharashvili", participant=True
    )


def span(start, end=None):
    """The start and end fields of a Role or an Event from partial dates ("1934", "1934-07",
    "1934-07-10"); no `end`, no end date."""
    start_date, start_precision = parse_partial(start)
    end_date, end_precision = parse_partial(end) if end else (None, "day")
    return {
        "start_date": start_date,
        "start_precision": start_precision,
        "end_date": end_date,
        "end_precision": end_precision,
    }


def role(fig, title, start, end=None, *, key=None, organisation="", wording=""):
    key = key or f"{fig.key}-{title.lower().replace(' ', '-')[:40]}-{start}"
    return Role.objects.create(
        key=key, figure=fig, title=title, organisation=organisation, interview_wording=wording, **span(start, end)
    )


# Offices the interview speaks of, by role key: title, start, end and the interview's wording.
OFFICES = {
    "yagoda-nkvd": ("People's Commissar for Internal Affairs", "1934-07", "1936-09", "the minister of state security"),
    "tukh-deputy": (
        "First Deputy People's Commissar of Defence",
        "1936-04",
        "1937-05",
        "the first deputy of the defense commissar",
    ),
    "stalin-gs": (
        "General Secretary of the Central Committee",
        "1922-04",
        "1952-10",
        "the secretary general of the party",
    ),
}


def office(fig, key, *, organisation=""):
    """`fig` holding the office OFFICES names `key`."""
    title, start, end, wording = OFFICES[key]
    return role(fig, title, start, end, key=key, organisation=organisation, wording=wording)


def event(key, name, date, end=None, *, participants=(), dating="", description=""):
    ev = Event.objects.create(key=key, name=name, description=description, interview_dating=dating, **span(date, end))
    ev.participants.set(participants)
    return ev


def passage(text):
    src = source()
    position = src.passages.count() + 1
    return Passage.objects.create(source=src, position=position, speaker_label="SM", speaker=speaker(), text=text)


# What a claim() says of the historians' view unless told otherwise.
ASSESSED = {"assessment": "corroborated", "note": "Historians agree.", "reference": "A standard history, p. 1."}


def claim(key, statement, text, *, figures=(), events=(), psg=None, **fields):
    """A claim quoting `text` in the passage `psg` (a new passage of `text` when not given);
    `fields` sets any other Claim field (quote, assessment, note, reference)."""
    psg = psg or passage(text)
    fields = {"quote": text, **ASSESSED, **fields}
    obj = Claim.objects.create(key=key, statement=statement, speaker=psg.speaker or speaker(), passage=psg, **fields)
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
