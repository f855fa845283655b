"""For the study-page tests: small study content built from the real interview text
(`build_content`, behind the `study` fixture in conftest), and a parser for what those tests
look for in a page (`parse_page`, `names_found`).

(The curated fixture is tested separately when it is present; these tests must not depend on
its exact wording.)
"""

from html.parser import HTMLParser
from pathlib import Path

from django.urls import reverse

from history.interview_text import parse_interview
from history.models import Figure, Passage, Source

from .generation_builders import claim, event, figure, role

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
    # key, name, start, end, interview dating, participants
    ("second-five-year-plan", "Second Five-Year Plan", "1933", "1937", "1932", ["stalin"]),
    ("seventeenth-congress", "17th Party Congress", "1934-01-26", "1934-02-10", "1934", ["stalin", "kirov"]),
    ("kirov-assassination", "Assassination of Kirov", "1934-12-01", None, "1934", ["kirov"]),
    ("yagoda-replaced", "Yezhov replaces Yagoda", "1936-09", None, "1936", ["yagoda", "yezhov"]),
    (
        "first-moscow-trial",
        "Trial of Zinoviev and Kamenev",
        "1936-08-19",
        "1936-08-24",
        "soon after",
        ["zinoviev", "kamenev"],
    ),
    ("shakhty-trial", "Shakhty Trial", "1928-05", "1928-07", "", []),
]

CLAIMS = [
    # key, passage, assessment, figures, events; each quotes QUOTES[key] from its passage
    ("second-plan-1932", 2, "contradicted", [], ["second-five-year-plan"]),
    ("congress-votes", 2, "disputed", ["kirov", "stalin"], ["seventeenth-congress"]),
    # Two claims overlapping each other in passage 8, and one nested inside the first.
    ("group-members", 8, "unverifiable", ["tukhachevsky", "yenukidze"], []),
    ("tukhachevsky-deputy", 8, "corroborated", ["tukhachevsky"], []),
    ("enukidze-secretary", 8, "corroborated", ["yenukidze"], []),
    ("kirov-killed-1934", 8, "disputed", ["kirov"], ["kirov-assassination"]),
    ("yezhov-1936", 14, "corroborated", ["yagoda", "yezhov"], ["yagoda-replaced"]),
    ("trial-of-four", 14, "contradicted", ["zinoviev", "kamenev", "bukharin", "rykov"], ["first-moscow-trial"]),
]

QUOTES = {
    "second-plan-1932": "In 1932, the Soviet Union embarked on the fulfillment of the second five-year plan.",
    "congress-votes": "the congress gave more votes to Kirov than to Stalin",
    "group-members": "The most active members were Tukhachevski of the Soviet Army – the first deputy of the defense commissar (minister), Abel Enukidze",
    "tukhachevsky-deputy": "Tukhachevski of the Soviet Army – the first deputy of the defense commissar",
    "enukidze-secretary": "Abel Enukidze – secretary of the central executive committee",
    "kirov-killed-1934": "in 1934, a semi-deranged person whose wife’s lover used to be Kirov himself, assassinated Kirov",
    "yezhov-1936": "In 1936, the state security minister Yagoda was substituted by a new minister Yezhov.",
    "trial-of-four": "Stalin opened the court case against Zinoviev, Kamenev, Bukharin and Rikov",
}


def build_content(extra: int = 0) -> Source:
    """The interview with a handful of figures, events and claims; `extra` adds that many
    more figures, events and claims (for constant-query checks)."""
    parsed = parse_interview(TEXT_PATH.read_text(encoding="utf-8"))
    figures = {}
    for key, name, short, spelling, aliases, born, died, participant in FIGURES:
        life = {"bio": f"{name} <b>bio</b>.", "birth_year": born, "death_year": died}
        figures[key] = figure(key, name, short, aliases=aliases, spelling=spelling, participant=participant, **life)
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
    deputy = "First Deputy People's Commissar of Defence"
    wording = "the first deputy of the defense commissar (minister)"
    role(figures["tukhachevsky"], deputy, "1936-04", "1937-05", key="tukhachevsky-deputy-commissar", wording=wording)
    role(figures["yagoda"], "People's Commissar for Internal Affairs", "1934-07-10", "1936-09-26", key="yagoda-nkvd")
    events = {}
    for key, name, start, end, dating, participants in EVENTS:
        about = [figures[k] for k in participants]
        events[key] = event(key, name, start, end, participants=about, dating=dating, description=f"About {name}.")
    for key, position, assessment, about, about_events in CLAIMS:
        claim(
            key,
            f"Statement of {key} <i>as made</i>.",
            QUOTES[key],
            psg=passages[position],
            assessment=assessment,
            note=f"Historians' note on {key}.",
            reference=f"Reference for {key}.",
            figures=[figures[k] for k in about],
            events=[events[k] for k in about_events],
        )
    add_extra(extra)
    return source


def add_extra(count: int) -> None:
    """`count` more figures, roles, events and claims, for constant-query checks."""
    figures = {f.key: f for f in Figure.objects.filter(key__in=["maskharashvili", "stalin", "tukhachevsky"])}
    passages = {p.position: p for p in Passage.objects.all()}
    start = Figure.objects.filter(key__startswith="extra-").count()
    for n in range(start, start + count):
        person = figure(f"extra-{n}", f"Extra Person {n}", f"Extra{n}", aliases=[f"Ekstra{n}"])
        role(person, "Clerk", "1935", key=f"extra-role-{n}")
        happening = event(f"extra-event-{n}", f"Extra event {n}", "1935-03")
        happening.participants.set([person, figures["stalin"], figures["tukhachevsky"]])
        for target in (person, figures["tukhachevsky"]):
            position = 4 + (n % 3) * 2
            psg = passages[position]
            claim(
                f"extra-claim-{n}-{target.key}",
                "Extra.",
                psg.text[n : n + 30],
                psg=psg,
                assessment="unverifiable",
                note="n",
                reference="r",
                figures=[target, figures["stalin"]],
                events=[happening],
            )


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
