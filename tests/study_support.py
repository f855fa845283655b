"""For the study-page tests: small study content built from the real interview text
(`build_content`, behind the `study` fixture in conftest), and a parser for what those tests
look for in a page (`parse_page`, `names_found`).

(The curated fixture is tested separately when it is present; these tests must not depend on
its exact wording.)
"""

import datetime as dt
from html.parser import HTMLParser
from pathlib import Path

from django.urls import reverse

from history.interview_text import parse_interview
from history.models import Alias, Claim, Event, Figure, Passage, Role, Source

TEXT_PATH = Path(__file__).resolve().parent.parent / "history" / "content" / "conspiracy-against-stalin.txt"

FIGURES = [
    # key, name, short name, interview spelling, aliases, birth, death, participant
    ("maskharashvili", "Simon Maskharashvili", "Maskharashvili", "Simon Maskharashvili", [], None, None, True),
    ("interviewer", "The interviewer", "Interviewer", "", [], None, None, True),
    ("stalin", "Joseph Stalin", "Stalin", "Stalin", ["Iosif Dzhugashvili"], 1878, 1953, False),
    ("kirov", "Sergei Kirov", "Kirov", "Sergei Kirov", [], 1886, 1934, False),
    ("tukhachevsky", "Mikhail Tukhachevsky", "Tukhachevsky", "Tukhachevski", [], 1893, 1937, False),
    ("yenukidze", "Avel Yenukidze", "Yenukidze", "Abel Enukidze", ["Enukidze"], 1877, 1937, False),
    ("yagoda", "Genrikh Yagoda", "Yagoda", "Yagoda", [], 1891, 1938, False),
    ("yezhov", "Nikolai Yezhov", "Yezhov", "Yezhov", ["Ezhov"], 1895, 1940, False),
    (
        "ordzhonikidze",
        "Grigory Ordzhonikidze",
        "Ordzhonikidze",
        "Sergo Orjonikidze",
        ["Orjonikidze", "Sergo"],
        1886,
        1937,
        False,
    ),
    ("svanidze", "Alexander Svanidze", "Svanidze", "Alexander Svanidze", [], 1886, 1941, False),
    ("zinoviev", "Grigory Zinoviev", "Zinoviev", "Zinoviev", [], 1883, 1936, False),
    ("kamenev", "Lev Kamenev", "Kamenev", "Kamenev", [], 1883, 1936, False),
    ("bukharin", "Nikolai Bukharin", "Bukharin", "Bukharin", [], 1888, 1938, False),
    ("rykov", "Alexei Rykov", "Rykov", "Rikov", [], 1881, 1938, False),
]

EVENTS = [
    # key, name, start, precision, end, precision, interview dating, participants
    (
        "second-five-year-plan",
        "Second Five-Year Plan",
        dt.date(1933, 1, 1),
        "year",
        dt.date(1937, 1, 1),
        "year",
        "1932",
        ["stalin"],
    ),
    (
        "seventeenth-congress",
        "17th Party Congress",
        dt.date(1934, 1, 26),
        "day",
        dt.date(1934, 2, 10),
        "day",
        "1934",
        ["stalin", "kirov"],
    ),
    ("kirov-assassination", "Assassination of Kirov", dt.date(1934, 12, 1), "day", None, "day", "1934", ["kirov"]),
    (
        "yagoda-replaced",
        "Yezhov replaces Yagoda",
        dt.date(1936, 9, 1),
        "month",
        None,
        "day",
        "1936",
        ["yagoda", "yezhov"],
    ),
    (
        "first-moscow-trial",
        "Trial of Zinoviev and Kamenev",
        dt.date(1936, 8, 19),
        "day",
        dt.date(1936, 8, 24),
        "day",
        "soon after",
        ["zinoviev", "kamenev"],
    ),
    ("shakhty-trial", "Shakhty Trial", dt.date(1928, 5, 1), "month", dt.date(1928, 7, 1), "month", "", []),
]

CLAIMS = [
    # key, passage, quote, assessment, figures, events
    (
        "second-plan-1932",
        2,
        "In 1932, the Soviet Union embarked on the fulfillment of the second five-year plan.",
        "contradicted",
        [],
        ["second-five-year-plan"],
    ),
    (
        "congress-votes",
        2,
        "the congress gave more votes to Kirov than to Stalin",
        "disputed",
        ["kirov", "stalin"],
        ["seventeenth-congress"],
    ),
    # Two claims overlapping each other in passage 8, and one nested inside the first.
    (
        "group-members",
        8,
        "The most active members were Tukhachevski of the Soviet Army – the first deputy of the defense commissar (minister), Abel Enukidze",
        "unverifiable",
        ["tukhachevsky", "yenukidze"],
        [],
    ),
    (
        "tukhachevsky-deputy",
        8,
        "Tukhachevski of the Soviet Army – the first deputy of the defense commissar",
        "corroborated",
        ["tukhachevsky"],
        [],
    ),
    (
        "enukidze-secretary",
        8,
        "Abel Enukidze – secretary of the central executive committee",
        "corroborated",
        ["yenukidze"],
        [],
    ),
    (
        "kirov-killed-1934",
        8,
        "in 1934, a semi-deranged person whose wife’s lover used to be Kirov himself, assassinated Kirov",
        "disputed",
        ["kirov"],
        ["kirov-assassination"],
    ),
    (
        "yezhov-1936",
        14,
        "In 1936, the state security minister Yagoda was substituted by a new minister Yezhov.",
        "corroborated",
        ["yagoda", "yezhov"],
        ["yagoda-replaced"],
    ),
    (
        "trial-of-four",
        14,
        "Stalin opened the court case against Zinoviev, Kamenev, Bukharin and Rikov",
        "contradicted",
        ["zinoviev", "kamenev", "bukharin", "rykov"],
        ["first-moscow-trial"],
    ),
]


def build_content(extra: int = 0) -> Source:
    """The interview with a handful of figures, events and claims; `extra` adds that many
    more figures, events and claims (for constant-query checks)."""
    parsed = parse_interview(TEXT_PATH.read_text(encoding="utf-8"))
    figures = {}
    for key, name, short, spelling, aliases, born, died, participant in FIGURES:
        figures[key] = Figure.objects.create(
            key=key,
            name=name,
            short_name=short,
            interview_spelling=spelling,
            bio=f"{name} <b>bio</b>.",
            birth_year=born,
            death_year=died,
            is_participant=participant,
        )
        for alias in aliases:
            Alias.objects.create(figure=figures[key], name=alias)
    source = Source.objects.create(
        key="conspiracy-against-stalin",
        title=parsed.title,
        interviewee="Prof. Simon Maskharashvili",
        interviewer="Georgian Journal",
        lead=parsed.lead,
    )
    speakers = {"SM": figures["maskharashvili"], "GJ": figures["interviewer"]}
    passages = {}
    for position, (label, text) in enumerate(parsed.turns, start=1):
        passages[position] = Passage.objects.create(
            source=source, position=position, speaker_label=label, speaker=speakers[label], text=text
        )
    Role.objects.create(
        key="tukhachevsky-deputy-commissar",
        figure=figures["tukhachevsky"],
        title="First Deputy People's Commissar of Defence",
        start_date=dt.date(1936, 4, 1),
        start_precision="month",
        end_date=dt.date(1937, 5, 1),
        end_precision="month",
        interview_wording="the first deputy of the defense commissar (minister)",
    )
    Role.objects.create(
        key="yagoda-nkvd",
        figure=figures["yagoda"],
        title="People's Commissar for Internal Affairs",
        start_date=dt.date(1934, 7, 10),
        start_precision="day",
        end_date=dt.date(1936, 9, 26),
        end_precision="day",
    )
    events = {}
    for key, name, start, start_p, end, end_p, dating, participants in EVENTS:
        events[key] = Event.objects.create(
            key=key,
            name=name,
            start_date=start,
            start_precision=start_p,
            end_date=end,
            end_precision=end_p,
            interview_dating=dating,
            description=f"About {name}.",
        )
        events[key].participants.set([figures[k] for k in participants])
    for key, position, quote, assessment, about, about_events in CLAIMS:
        claim = Claim.objects.create(
            key=key,
            statement=f"Statement of {key} <i>as made</i>.",
            speaker=figures["maskharashvili"],
            passage=passages[position],
            quote=quote,
            assessment=assessment,
            note=f"Historians' note on {key}.",
            reference=f"Reference for {key}.",
        )
        claim.figures.set([figures[k] for k in about])
        claim.events.set([events[k] for k in about_events])
    add_extra(extra)
    return source


def add_extra(count: int) -> None:
    """`count` more figures, roles, events and claims, for constant-query checks."""
    figures = {f.key: f for f in Figure.objects.filter(key__in=["maskharashvili", "stalin", "tukhachevsky"])}
    passages = {p.position: p for p in Passage.objects.all()}
    start = Figure.objects.filter(key__startswith="extra-").count()
    for n in range(start, start + count):
        figure = Figure.objects.create(key=f"extra-{n}", name=f"Extra Person {n}", short_name=f"Extra{n}")
        Alias.objects.create(figure=figure, name=f"Ekstra{n}")
        Role.objects.create(
            key=f"extra-role-{n}", figure=figure, title="Clerk", start_date=dt.date(1935, 1, 1), start_precision="year"
        )
        event = Event.objects.create(
            key=f"extra-event-{n}", name=f"Extra event {n}", start_date=dt.date(1935, 3, 1), start_precision="month"
        )
        event.participants.set([figure, figures["stalin"], figures["tukhachevsky"]])
        for target in (figure, figures["tukhachevsky"]):
            position = 4 + (n % 3) * 2
            claim = Claim.objects.create(
                key=f"extra-claim-{n}-{target.key}",
                statement="Extra.",
                speaker=figures["maskharashvili"],
                passage=passages[position],
                quote=passages[position].text[n : n + 30],
                assessment="unverifiable",
                note="n",
                reference="r",
            )
            claim.figures.set([target, figures["stalin"]])
            claim.events.set([event])


def _is_passage_text(tag, attrs):
    return tag == "p" and "passage-text" in attrs.get("class", "")


def _is_cite_mark(tag, attrs):
    classes = attrs.get("class", "")
    return tag == "mark" and ("is-cited" in classes or "cite-mark" in classes)


class PageParser(HTMLParser):
    """What the study tests look for in a page: element ids, links, the text of each
    passage, the claim links and whether any link or button sits inside another."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.links, self.claim_links = [], [], []
        self.passage_texts = {}
        self.cited_texts = []
        self.nested_interactive = False
        self._stack = []  # open elements: (tag, attrs)
        self._passage = None  # anchor of the passage whose text is being read
        self._cite_depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("a", "button") and any(t in ("a", "button") for t, _ in self._stack):
            self.nested_interactive = True
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "a" and "href" in attrs:
            self._link(attrs)
        if _is_passage_text(tag, attrs):
            passage = next((a.get("id") for t, a in reversed(self._stack) if "passage" in a.get("class", "")), None)
            self._passage = passage
            self.passage_texts[passage] = ""
        if _is_cite_mark(tag, attrs):
            self._cite_depth += 1
            self.cited_texts.append("")
        if tag not in ("br", "input", "meta", "link", "img", "hr"):
            self._stack.append((tag, attrs))

    def _link(self, attrs):
        self.links.append(attrs["href"])
        if "claim-link" in attrs.get("class", ""):
            self.claim_links.append((self._passage, attrs["href"], attrs.get("hx-get"), attrs.get("hx-target")))

    def handle_endtag(self, tag):
        while self._stack:
            open_tag, attrs = self._stack.pop()
            if _is_passage_text(open_tag, attrs):
                self._passage = None
            if self._cite_depth and _is_cite_mark(open_tag, attrs):
                self._cite_depth -= 1
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self._passage is not None:
            self.passage_texts[self._passage] += data
        if self._cite_depth:
            self.cited_texts[-1] += data


def parse_page(response):
    parser = PageParser()
    parser.feed(response.content.decode())
    parser.close()
    return parser


def names_found(client, query, **headers):
    """The keys of the figures the figure search lists for `query`, in the order shown."""
    response = client.get(reverse("history:figures"), {"q": query}, **headers)
    assert response.status_code == 200
    page = parse_page(response)
    return [link.split("/")[2] for link in page.links if link.startswith("/figures/") and link != "/figures/"]
