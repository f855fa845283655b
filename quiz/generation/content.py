"""A read-only snapshot of the curated content, with the facts generators ask about.

Loaded once per run with a fixed number of queries; everything is sorted by the
content's stable keys (never database ids) so generation is deterministic.
"""

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Prefetch

from history.dates import format_partial, period_end
from history.models import Claim, Event, Figure, Passage, Role
from quiz.question_rules import option_key  # the rules say when two options read the same

# An open-ended period (no end date) runs on for overlap purposes: assuming it ended
# would let a real holder of an office slip in as a "wrong" choice.
OPEN_END = dt.date(9999, 12, 31)
YEAR = re.compile(r"(?<!\d)(1[6-9]\d\d|20\d\d)(?!\d)")


def normalise(text: str) -> str:
    """Compare texts as people read them: case, punctuation, 'the' and brackets ignored."""
    text = re.sub(r"\([^)]*\)", " ", text or "").lower()
    text = text.replace("’", "'")
    words = re.findall(r"[a-z0-9]+", text)
    return " ".join(w for w in words if w != "the")


def span_of(obj) -> tuple[dt.date, dt.date]:
    """The whole period a dated row may cover, from the first day of its start to the
    last day its end could mean (open-ended when no end is known)."""
    start = obj.start_date
    if obj.end_date:
        end = period_end(obj.end_date, obj.end_precision)
    elif isinstance(obj, Event):
        end = period_end(obj.start_date, obj.start_precision)
    else:
        end = OPEN_END
    return start, end


def overlaps(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def other_spans(event: Event) -> list[tuple[dt.date, dt.date]]:
    """The periods of the datings standard accounts give an event instead (Event.other_datings)."""
    return [(date, period_end(date, precision)) for date, precision, _ in event.dated_otherwise]


def strictly_before(a, b) -> bool:
    """Event a certainly ended before event b began, at both events' precision."""
    return span_of(a)[1] < b.start_date


def span_words(obj) -> str:
    """'in 1934', 'from July 1934 to September 1936', 'from 1934' — no more precise than known."""
    start = format_partial(obj.start_date, obj.start_precision)
    end = format_partial(obj.end_date, obj.end_precision) if obj.end_date else ""
    if end and end != start:
        return f"from {start} to {end}"
    if end:
        return f"in {start}"
    return f"from {start}" if isinstance(obj, Role) else f"in {start}"


def office_text(role: Role) -> str:
    """The office as a choice: its title, with the organisation when the title alone
    ("Secretary", "Chairman") would not say which office it is."""
    title = role.title.strip()
    organisation = (role.organisation or "").strip()
    if organisation and len(normalise(title).split()) <= 2 and normalise(organisation) not in normalise(title):
        return f"{title}, {organisation}"
    return title


# Broad kinds of office, from the body that holds it: a wrong office of the same kind reads as
# a real option ("Tukhachevski of the Soviet Army – ___" offered one military post among party ones).
OFFICE_KINDS = (
    ("army", ("defence", "army", "military")),
    ("security", ("nkvd", "ogpu", "state security", "internal affairs")),
    ("party", ("party", "central committee")),
    ("soviet", ("executive committee", "soviet")),
)


# Bodies whose names hold an army word but which are not the army: a council of the
# government, a court.
NOT_ARMY = ("labour and defence", "military collegium")


def office_kind(role) -> str:
    body = f"{role.organisation} {role.title}".casefold()
    for word in NOT_ARMY:
        body = body.replace(word, "")
    return next((kind for kind, words in OFFICE_KINDS if any(w in body for w in words)), "other")


def office_in_sentence(role: Role) -> str:
    """The office inside a sentence: "was one of the chairmen of …", not "was One of …"."""
    text = office_text(role)
    first = text.split()[0]
    if first in {"Leading", "Member"}:
        return "a " + text[0].lower() + text[1:]  # "was a leading member of …"
    return text[0].lower() + text[1:] if first in {"One", "A", "An", "The"} else text


def contains_words(outer: str, inner: str) -> bool:
    """Whether the normalised words of `inner` occur, in order and together, in `outer`."""
    return bool(inner) and f" {inner} " in f" {outer} "


# Words that make an office a different, lesser one: a Deputy Commissar is not a Commissar.
SUBORDINATE = {"deputy", "vice", "assistant", "acting"}


def stems(text: str) -> set[str]:
    return {w[:6] for w in normalise(text).split() if len(w) >= 4}


def names_office(role: Role, text: str) -> bool:
    """Whether `text` names the role's office in the interview's words, inflected or not: "the
    secretarial position of the central executive committee" names "secretary of the central
    executive committee". One word ("a new minister") names no office in particular."""
    wanted = stems(role.interview_wording or "")
    return len(wanted) >= 2 and wanted <= stems(text)


# Words a title's quote may hold besides the title (a name, "of the Soviet Army").
TITLE_EXTRA_WORDS = 3


def doubts_title(claim, role: Role) -> bool:
    """Whether a claim historians doubt is about this very title: every word of the interview's
    wording is in the statement, in any order ("the party's secretary general" is about "the
    secretary general of the party"), and the quote is that wording with a few words more at
    most ("the minister of state security Yagoda"). A claim that only uses the title ("the
    central committee would elect the secretary general", wrong for 1934) doubts what it says
    of the office, not the office's name."""
    stop = {"of", "a", "an", "s", "the"}
    words = set(normalise(role.interview_wording or "").split()) - stop
    quoted = set(normalise(claim.quote).split()) - stop
    return (
        bool(words)
        and claim.assessment != "corroborated"
        and words <= set(normalise(claim.statement).split())
        and len(quoted - words) <= TITLE_EXTRA_WORDS
    )


def same_office(a: Role, b: Role) -> bool:
    """Whether two roles may be the same office. Deliberately generous: "Secretary of the
    Central Committee" and "General Secretary of the Central Committee" count as the same,
    because a General Secretary is also a secretary, so one must never be offered as the
    wrong answer for the other. "Deputy Chairman" and "Chairman" are different offices."""
    ta, tb = normalise(a.title), normalise(b.title)
    if ta != tb:
        outer, inner = (ta, tb) if len(ta) > len(tb) else (tb, ta)
        if not contains_words(outer, inner):
            return False
        extra = set(outer.split()) - set(inner.split())
        if extra & SUBORDINATE:
            return False
    oa, ob = normalise(a.organisation), normalise(b.organisation)
    return not oa or not ob or contains_words(oa, ob) or contains_words(ob, oa)


# Words too common in this content to say two claims are about the same thing.
COMMON_WORDS = {
    "about",
    "after",
    "again",
    "against",
    "agrees",
    "already",
    "also",
    "among",
    "another",
    "because",
    "before",
    "being",
    "between",
    "could",
    "during",
    "every",
    "first",
    "other",
    "people",
    "right",
    "since",
    "should",
    "their",
    "there",
    "these",
    "those",
    "through",
    "under",
    "union",
    "until",
    "where",
    "whether",
    "which",
    "while",
    "would",
    "says",
    "suggests",
    "interviewer",
    "soviet",
    "party",
    "himself",
}


# Words naming the level of a body, not the office: a republic's chair and the Union's read alike.
LEVEL_WORDS = {"ussr", "rsfsr", "all", "russian", "presidium", "of"}


def core_title(title: str) -> set[str]:
    # The commissariat was renamed in June 1934: its deputy under either name is one office.
    text = normalise(title).replace("for military and naval affairs", "of defence")
    return set(text.split()) - LEVEL_WORDS


def same_surname(a: Figure, b: Figure) -> bool:
    """Two people a student may take for one another by the surname alone (Lev and Sergei Kamenev)."""
    return a.pk != b.pk and normalise(a.name).split()[-1:] == normalise(b.name).split()[-1:]


def confusable(a: Role, b: Role) -> bool:
    """Same office, or two top posts of one body at the same time, which a reader could
    fairly take for one another ("Chairman of the Comintern's Executive Committee" and its
    "leading member (de facto head)"). A deputy's post is never confused with its chief's."""
    if same_office(a, b):
        return True
    # The same chair at two levels: "Chairman of the Supreme Soviet of the RSFSR" (Zhdanov) beside
    # "… of the Presidium of the Supreme Soviet of the USSR" (Kalinin); at any time, for Kamenev's
    # chair of the All-Russian committee in 1917 makes a student doubt the Union's of 1922.
    if core_title(a.title) == core_title(b.title):
        return True
    organisation = normalise(a.organisation)
    if not organisation or organisation != normalise(b.organisation) or not overlaps(span_of(a), span_of(b)):
        return False
    return not (set(normalise(a.title).split()) | set(normalise(b.title).split())) & SUBORDINATE


REPORTING = re.compile(
    r"^(?P<who>.+?)\s+(?P<verb>says|agrees|suggests|claims|argues|thinks|believes|states|adds|asserts|insists)"
    r"(?:\s+that)?\s+(?P<rest>\S.*)$",
    re.S,
)


# "he" as the statement's words for the speaker: "the men he names", "which he dates to 1932-34".
SPEAKERS_HE = re.compile(r"\bhe (?P<verb>names|describes|dates|places|calls|gives|mentions|lists|says)\b")


@dataclass(frozen=True)
class Reported:
    """A claim's statement split into who says it, how, and what: "Maskharashvili says
    (that) X" → ("Maskharashvili", "says", "X"). `verb` is empty when it is not phrased so."""

    who: str
    verb: str
    core: str
    clause: str = ""  # X as the statement writes it, after "says (that)"

    @property
    def who_in_sentence(self) -> str:
        return self.who[0].lower() + self.who[1:] if self.who.startswith("The ") else self.who

    def clause_naming_speaker(self) -> str:
        """The clause with the statement's "he" for the speaker named ("the men he names" →
        "the men Maskharashvili names"): out of "Maskharashvili says", "he" would point elsewhere."""
        return SPEAKERS_HE.sub(lambda m: f"{self.who} {m['verb']}", self.clause.rstrip("."))

    def sentence(self, mid_sentence=False) -> str:
        """The claim as reported speech ("Maskharashvili says that X."). These are our words,
        so never put in quotation marks: only the claim's quote is the interview's wording."""
        who = self.who_in_sentence if mid_sentence else self.who
        return f"{who} {self.verb} that {self.clause}" if self.verb else self.core


@dataclass(frozen=True)
class NameHit:
    figure: Figure
    text: str  # the words as they appear
    start: int
    end: int


# Words that make the name beside them someone who died: "___'s murder", "___ was killed", "the
# death of ___". A wrong name there would say that person was killed too.
DEATHS = r"(murder|murderer|assassination|assassin|death|killing|killer|execution|suicide)"
FATE_AFTER = re.compile(
    rf"^(?:['’]s\s+{DEATHS}|\s+(?:was|were|had been)\s+(?:killed|assassinated|murdered|shot|executed))", re.I
)
FATE_BEFORE = re.compile(rf"{DEATHS}\s+of\s+$", re.I)


def fate_beside(statement, hits) -> bool:
    """Whether the words beside a name make it someone who died ("___'s murder", "___ was
    assassinated"): every wrong name in that gap would say that person was killed."""
    return any(FATE_AFTER.search(statement[h.end :]) or FATE_BEFORE.search(statement[: h.start]) for h in hits)


def distinct_figures(hits) -> list[Figure]:
    """The people some name hits stand for, each once, in order of first appearance."""
    return list({hit.figure.key: hit.figure for hit in hits}.values())


def replace_hits(text: str, hits, replacement) -> str:
    """`text` with the given name hits replaced by replacement(hit), from the end so the
    offsets of those before stay valid."""
    for hit in sorted(hits, key=lambda h: h.start, reverse=True):
        text = text[: hit.start] + replacement(hit) + text[hit.end :]
    return text


class Content:
    """Figures, roles, events, claims and passages, with lookups the generators share."""

    def __init__(self, figures, roles, events, claims, passages):
        self.all_figures: list[Figure] = sorted(figures, key=lambda f: f.key)
        self.roles: list[Role] = sorted(roles, key=lambda r: (r.start_date, r.key))
        self.events: list[Event] = sorted(events, key=lambda e: (e.start_date, e.key))
        self.claims: list[Claim] = sorted(claims, key=lambda c: (c.passage.position, c.key))
        self.passages: list[Passage] = sorted(passages, key=lambda p: (p.source_id, p.position))

    @classmethod
    def load(cls) -> "Content":
        figures = list(Figure.objects.prefetch_related("aliases"))
        by_pk = {f.pk: f for f in figures}
        roles = list(Role.objects.all())
        for role in roles:
            role.figure = by_pk[role.figure_id]
        events = list(
            Event.objects.prefetch_related(
                Prefetch("participants", queryset=Figure.objects.only("pk")),
                Prefetch("follows", queryset=Event.objects.only("pk")),
            )
        )
        for event in events:
            event.follows_pks = {e.pk for e in event.follows.all()}
            event.participant_list = sorted((by_pk[f.pk] for f in event.participants.all()), key=lambda f: f.key)
        events_by_pk = {e.pk: e for e in events}
        passages = list(Passage.objects.all())
        passages_by_pk = {p.pk: p for p in passages}
        claims = list(
            Claim.objects.prefetch_related(
                Prefetch("figures", queryset=Figure.objects.only("pk")),
                Prefetch("events", queryset=Event.objects.only("pk")),
                Prefetch("decoys", queryset=Claim.objects.only("pk")),
            )
        )
        claims_by_pk = {c.pk: c for c in claims}
        for claim in claims:
            claim.decoy_list = [claims_by_pk[d.pk] for d in claim.decoys.all()]
            claim.speaker = by_pk[claim.speaker_id]
            claim.passage = passages_by_pk[claim.passage_id]
            claim.figure_list = sorted((by_pk[f.pk] for f in claim.figures.all()), key=lambda f: f.key)
            claim.event_list = sorted((events_by_pk[e.pk] for e in claim.events.all()), key=lambda e: e.key)
        for figure in figures:
            figure.alias_names = sorted(a.name for a in figure.aliases.all())
        return cls(figures, roles, events, claims, passages)

    # -- figures -------------------------------------------------------------------------

    @cached_property
    def subjects(self) -> list[Figure]:
        """Historical figures a question may be about (not the interview's participants)."""
        return [f for f in self.all_figures if not f.is_participant]

    @cached_property
    def default_guess(self) -> Figure | None:
        """The person a student guesses when unsure: the one more claims concern than anyone
        else, if a third or more do (Stalin, in an interview about a conspiracy against him). A
        gap keyed to them tests a guess, not a reading, so name gaps never take them."""
        counts: dict[str, int] = {}
        for claim in self.claims:
            for figure in claim.figure_list:
                counts[figure.key] = counts.get(figure.key, 0) + 1
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        if not ranked or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
            return None
        key, count = ranked[0]
        people = {f.key: f for f in self.subjects}
        return people.get(key) if count * 3 >= len(self.claims) else None

    def names(self, figure: Figure) -> list[str]:
        """Every way the content writes this person's name, longest first."""
        found = {figure.name, figure.short_name, figure.interview_spelling, *getattr(figure, "alias_names", [])}
        return sorted((n.strip() for n in found if n and n.strip()), key=lambda n: (-len(n), n))

    def name_keys(self, figure: Figure) -> set[str]:
        return {option_key(n) for n in self.names(figure)}

    def same_person_risk(self, a: Figure, b: Figure) -> bool:
        """True when two figure rows share a name form, so one could pass for the other."""
        return a.pk == b.pk or bool(self.name_keys(a) & self.name_keys(b))

    @cached_property
    def _name_pattern(self):
        entries = []
        for figure in self.subjects:
            for name in self.names(figure):
                entries.append((name, figure))
        entries.sort(key=lambda e: (-len(e[0]), e[0]))
        if not entries:
            return None, {}
        owner = {}
        for name, figure in entries:
            owner.setdefault(name, figure)
        pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n, _ in entries) + r")(?![\w-])")
        return pattern, owner

    def find_names(self, text: str) -> list[NameHit]:
        """Subjects named in a text, in order of appearance (longest name form wins)."""
        pattern, owner = self._name_pattern
        if pattern is None:
            return []
        return [NameHit(owner[m.group(1)], m.group(1), m.start(), m.end()) for m in pattern.finditer(text or "")]

    def figures_named_in(self, text: str) -> list[Figure]:
        return distinct_figures(self.find_names(text))

    # -- roles ---------------------------------------------------------------------------

    def roles_of(self, figure: Figure) -> list[Role]:
        return [r for r in self.roles if r.figure_id == figure.pk]

    def subject_roles(self) -> list[Role]:
        return [r for r in self.roles if not r.figure.is_participant]

    def asked_roles(self, figure: Figure | None = None) -> list[Role]:
        """The offices questions ask about (of one person, or of every subject). The others are
        listed only so that their holders are never offered as wrong answers for them."""
        roles = self.roles_of(figure) if figure is not None else self.subject_roles()
        return [r for r in roles if r.asked]

    def offices_named_in(self, text: str) -> list[Role]:
        """The offices a text names in the interview's words (see names_office)."""
        return [r for r in self.subject_roles() if names_office(r, text)]

    def ever_held(self, figure: Figure, role: Role) -> bool:
        """Whether `figure` held `role`'s office at any time, or one a reader could take for
        it (so it must not be offered as wrong)."""
        return any(confusable(mine, role) for mine in self.roles_of(figure))

    # -- events and claims ---------------------------------------------------------------

    def reported(self, claim: Claim, paraphrased: bool = False) -> Reported:
        """The claim's statement as reported speech; `paraphrased`, in its paraphrase where it
        has one (Claim.paraphrase: other words than the interview's)."""
        statement = " ".join(((paraphrased and claim.paraphrase) or claim.statement).split())
        match = REPORTING.match(statement)
        speaker_names = {option_key(n) for n in [*self.names(claim.speaker), claim.speaker.name]}
        if match and option_key(match["who"]) in speaker_names:
            rest = match["rest"]
            return Reported(match["who"], match["verb"], rest[0].upper() + rest[1:], clause=rest)
        return Reported(claim.speaker.short_name, "", statement)

    def claims_about_figure(self, figure: Figure) -> list[Claim]:
        return [c for c in self.claims if figure in c.figure_list]

    def claims_about_event(self, event: Event) -> list[Claim]:
        return [c for c in self.claims if event in c.event_list]

    @staticmethod
    def _corroborated_first(claims):
        # A fact question should be cited to words historians agree with, where there are any.
        return sorted(claims, key=lambda c: c.assessment != "corroborated")

    def topic_words(self, claim: Claim) -> set[str]:
        """What a claim is about, roughly: the stems of its longer words, names left out
        ("conspirators" and "conspiracy" share "conspi"; "anti-Stalinist" is a name)."""
        cached = getattr(claim, "_topic_words", None)
        if cached is None:
            names = {n.casefold() for f in self.all_figures for n in self.names(f) for n in n.split()}
            words = re.findall(r"[a-z]+", self.reported(claim).core.casefold().replace("’", "'"))
            cached = {
                w[:6]
                for w in words
                if len(w) >= 5 and w not in COMMON_WORDS and not any(w.startswith(n) for n in names if len(n) >= 4)
            }
            claim._topic_words = cached
        return cached

    def involved(self, claim: Claim) -> list[Figure]:
        """Everyone the interview connects with this claim: named in its passage or its
        statement, linked to it, or linked to a claim about the same events or the same
        thing (the interview says Svanidze took part in the conspiracy, so he must not be
        the "wrong" name in "___ was presumably one of the conspirators"). A name put into
        (or taken out of) the claim is only safely wrong when it is none of these."""
        found = {f.key: f for f in claim.figure_list}
        for text in (claim.passage.text, claim.statement, claim.quote):
            for figure in self.figures_named_in(text):
                found.setdefault(figure.key, figure)
        topic = self.topic_words(claim)
        for other in self.claims:
            if other is claim:
                continue
            if set(other.event_list) & set(claim.event_list) or topic & self.topic_words(other):
                for figure in [*other.figure_list, *self.figures_named_in(other.statement + " " + other.quote)]:
                    found.setdefault(figure.key, figure)
        return [found[k] for k in sorted(found)]

    def uninvolved(self, claim: Claim) -> list[Figure]:
        """Subjects that can stand in for a name the claim uses, as a wrong answer."""
        involved = self.involved(claim)
        return [f for f in self.subjects if not any(self.same_person_risk(f, other) for other in involved)]

    def period_of(self, claim: Claim):
        """The dates a claim is about: its events' spans, else the years its quote names."""
        spans = [span_of(e) for e in claim.event_list]
        if not spans:
            years = sorted(int(y) for y in YEAR.findall(claim.quote))
            if not years:
                return None
            return dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31)
        return min(s[0] for s in spans), max(s[1] for s in spans)

    def plausibility(self, figure: Figure, period) -> float:
        """How natural a wrong name is: someone in office at the time reads as a real option."""
        roles = self.roles_of(figure)
        if period and any(overlaps(period, span_of(r)) for r in roles):
            return 1.0
        return 0.5 if roles else 0.2

    def citation_for_role(self, role: Role):
        """A claim whose quote names this office or, failing that, this person; else None.
        Only words historians corroborate, none of them judged apart
        (content.nested_claims): a citation beside an office lends its words weight, and
        "the court case against Zinoviev, Kamenev, Bukharin and Rikov" read as support."""
        claims = [
            c
            for c in self.claims_about_figure(role.figure)
            if c.assessment == "corroborated" and not self.nested_claims(c)
        ]
        if role.interview_wording:
            wording = role.interview_wording.casefold()
            for claim in claims:
                if wording in claim.quote.casefold():
                    return claim
            for claim in self.claims:
                if (
                    claim.assessment == "corroborated"
                    and wording in claim.quote.casefold()
                    and role.figure in self.figures_named_in(claim.quote)
                    and not self.nested_claims(claim)
                ):
                    return claim
        # Words that name neither the office nor the person are no citation for them, even in a
        # passage that names the person ("He deposed Enukidze…" is Stalin, Yezhov the next sentence).
        return next((c for c in claims if role.figure in self.figures_named_in(c.quote)), None)

    def wrong_claim_with_wording(self, role: Role):
        """The contradicted claim, closest first, whose words hold the office's interview wording
        and name nobody but its holder, or None: "Tukhachevski … the first deputy of the defense
        commissar" (two years early) for his office, never for Voroshilov's "defense commissar".
        A disputed claim holding the words disputes something else (a plot), not the office."""
        wording = (role.interview_wording or "").casefold()
        for claim in sorted(self.claims_about_figure(role.figure), key=lambda c: len(c.quote)):
            named = self.figures_named_in(claim.quote)
            if claim.assessment == "contradicted" and wording in claim.quote.casefold():
                if not named or role.figure in named:
                    return claim
        return None

    def nested_claims(self, claim: Claim) -> list[Claim]:
        """Claims whose quote lies inside this claim's quote and which historians judge
        differently: "whose wife's lover used to be Kirov himself" (unverifiable) sits inside
        the quote of the Kirov murder (corroborated). A question on the outer claim must not
        drill those words under the outer claim's verdict."""
        return [
            c
            for c in self.claims
            if c is not claim
            and c.passage_id == claim.passage_id
            and c.quote
            and c.quote != claim.quote
            and c.quote in claim.quote
            and c.assessment != claim.assessment
        ]

    def nested_spans(self, claim: Claim) -> list[tuple[int, int]]:
        """Where the nested claims' words are in this claim's quote (start, end)."""
        spans = []
        for nested in self.nested_claims(claim):
            start = claim.quote.find(nested.quote)
            spans.append((start, start + len(nested.quote)))
        return spans

    def citation_for_event(self, event: Event):
        claims = self._corroborated_first(self.claims_about_event(event))
        return claims[0] if claims else None
