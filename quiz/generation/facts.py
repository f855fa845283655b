"""The facts a generated question asks, and the facts its words give away.

Each is a fact key (quiz/independence.py says what attempts do with them):

- ``role:<role>``: who held an office, and when. Asked by "Who held this role?" and "What
  office did they hold?" (one role, both directions), by each pair of an offices matching and
  by an office blanked out of a quote.
- ``event-date:<event>``: when an event happened. Asked by "When?" and by each pair of a years
  matching.
- ``order:<event>,<event>``: which of two events came first (the keys sorted). Asked by each
  pair of events in a chronology.
- ``claim-assessment:<claim>``: how historians judge a claim. Asked by claim assessment.
- ``sentence:<claim>``: a claim's words. Asked by every attribution, cloze, find-the-evidence
  and spot-the-error item on it.
- ``evidence:<claim>``: what the verdict on a claim rests on. Asked by "What kind of evidence"
  and by a source-criticism item on what would confirm the claim.
- ``source:<kind-slot>``: a source's provenance (its publication, its interviewer).

What a question asks comes from its kind and its structured parts (the slot's role, its
events, its claim, a matching's pairs). What it gives away is what a student reads once it is
answered: its prompt, its options' feedback, its explanation, the quote it cites and, for a
question on a claim, the historians' verdict and note (never the options: a wrong choice
tells nothing). Read from those:

- an office and a holder of it named in one sentence, or a holder of the office the question
  itself asks about named anywhere ("Zinoviev also held this office");
- an event's name and the year it began in one sentence (its date, however written); two
  dated events give their order away too;
- a claim's quote or its statement in our words: its sentence;
- its own claim's verdict, and the verdict of any other claim whose historians' note it gives
  or whose words it names as a separate claim with their own verdict (base.nested_lines).

Texts are compared as folded words (case and punctuation ignored, brackets kept: a
chronology gives its dates in brackets), phrases whole: "Secretary of the Central Committee"
inside "General Secretary of the Central Committee" is the longer office only.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from quiz.models import Kind

from .content import Content, office_text

# What a fact is about, by its key's prefix, as a count of pairs of questions reads ("98 on a sentence").
FACT_KINDS = {
    "role": "on an office",
    "event-date": "on a date",
    "order": "on an order of events",
    "claim-assessment": "on a verdict",
    "sentence": "on a sentence",
    "evidence": "on the evidence for a claim",
    "source": "on the source",
}
# Shorter texts (a one-word quote, "Wrong.") say too little to tell one claim from another.
FEWEST_WORDS = 4
SENTENCE_END = re.compile(r"(?<=[.;!?])\s+|\n+")
WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """A text as its words: lower case, apostrophes and punctuation gone, brackets' words kept."""
    return " ".join(WORD.findall((text or "").casefold().replace("’", "'").replace("'", "")))


def within(outer: str, phrase: str) -> bool:
    """Whether the folded `phrase` occurs whole in the folded `outer`."""
    return bool(phrase) and f" {phrase} " in f" {outer} "


def role_fact(role) -> str:
    return f"role:{role.key}"


def date_fact(event) -> str:
    return f"event-date:{event.key}"


def order_facts(event_keys) -> set[str]:
    return {f"order:{a},{b}" for a, b in combinations(sorted(set(event_keys)), 2)}


@dataclass(frozen=True)
class Facts:
    asks: list[str]
    reveals: list[str]


class FactReader:
    """Reads drafts against one snapshot of the content (generation's Content)."""

    def __init__(self, content: Content):
        self.content = content
        self.roles = {role.key: role for role in content.roles}
        self.offices: dict[str, list] = {}  # folded office phrase -> the roles it names
        for role in content.roles:
            for phrase in office_phrases(role):
                self.offices.setdefault(phrase, []).append(role)
        phrases = sorted(self.offices, key=lambda p: (-len(p), p))
        # Longest first: at one place the longer office wins, and its words are not read again.
        alternatives = "|".join(map(re.escape, phrases))
        self.office_pattern = re.compile(rf"(?<![a-z0-9])({alternatives})(?![a-z0-9])") if phrases else None
        self.events = [(event, fold(event.name), str(event.start_date.year)) for event in content.events]
        # A matching's pairs as its options write them: (left, right) -> the fact the pair asks.
        self.pairs = {(fold(r.figure.name), fold(office_text(r))): role_fact(r) for r in content.roles}
        self.pairs |= {(fold(e.name), str(e.year)): date_fact(e) for e in content.events}
        self.claims = [
            (claim, long_enough(claim.quote), long_enough(content.reported(claim).core), long_enough(claim.note))
            for claim in content.claims
        ]

    @classmethod
    def load(cls) -> "FactReader":
        return cls(Content.load())

    def read(self, draft) -> Facts:
        """The draft's facts, with any its generator stated itself (QuestionDraft.asks/reveals)."""
        asks = ASKS.get(str(draft.kind), claim_sentence)(self, draft) | set(draft.asks)
        reveals = self.revealed(draft, asks) | set(draft.reveals)
        return Facts(sorted(asks), sorted(reveals))

    # -- what its words give away ---------------------------------------------------------

    def revealed(self, draft, asks) -> set[str]:
        text = "\n".join(t for t in shown_texts(draft) if t)
        sentences = [s for s in SENTENCE_END.split(text) if s.strip()]
        dated = set().union(*(self.dated_in(fold(s)) for s in sentences))
        facts = self.offices_in(text, sentences, asks) | dated
        facts |= order_facts(fact.partition(":")[2] for fact in dated)
        return facts | self.claims_in(fold(text), draft.claim)

    def offices_in(self, text, sentences, asks) -> set[str]:
        facts = set()
        for sentence in sentences:
            named = {f.pk for f in self.content.figures_named_in(sentence)}
            if not named or self.office_pattern is None:
                continue
            for phrase in self.office_pattern.findall(fold(sentence)):
                facts |= {role_fact(r) for r in self.offices[phrase] if r.figure_id in named}
        # The office the question asks about is its subject: any holder of it named gives theirs away.
        named = {f.pk for f in self.content.figures_named_in(text)}
        for role in self.asked_roles(asks):
            facts |= {role_fact(r) for r in self.same_office(role) if r.figure_id in named}
        return facts

    def dated_in(self, sentence) -> set[str]:
        # The year is enough: "from 2 to 19 December 1927" gives the date a "When?" asks.
        return {date_fact(e) for e, name, year in self.events if within(sentence, name) and within(sentence, year)}

    def claims_in(self, text, own_claim) -> set[str]:
        # The feedback gives its own claim's verdict (with the historians' note).
        facts = {f"claim-assessment:{own_claim.key}"} if own_claim is not None else set()
        for claim, quote, core, note in self.claims:
            if within(text, quote) or within(text, core):
                facts.add(f"sentence:{claim.key}")
            # A note, or a line giving the claim's own verdict (base.nested_lines), whatever its quote's length.
            if within(text, note) or within(text, fold(f"{claim.quote} are a separate claim")):
                facts.add(f"claim-assessment:{claim.key}")
        return facts

    # -- lookups --------------------------------------------------------------------------

    def asked_roles(self, asks):
        keys = [fact.partition(":")[2] for fact in asks if fact.startswith("role:")]
        return [self.roles[key] for key in keys if key in self.roles]

    def same_office(self, role):
        return {other for phrase in office_phrases(role) for other in self.offices.get(phrase, ())}


def shown_texts(draft) -> list[str]:
    """What a student reads of a question once it is answered (the feedback of
    templates/quiz/attempt.html): the prompt, the options' feedback, the explanation, the
    quote it cites and the historians' note on its claim."""
    note = draft.claim.note if draft.claim is not None else ""
    return [draft.prompt, *(o.feedback for o in draft.options), draft.explanation, draft.quote, note]


def office_phrases(role) -> set[str]:
    """The ways texts name an office: as a choice, its title, the interview's specific wording."""
    phrases = {fold(office_text(role)), fold(role.title)}
    wording = fold(role.interview_wording)
    if len([w for w in wording.split() if w not in {"a", "an"}]) >= 3:
        phrases.add(wording)
    return phrases - {""}


def long_enough(text) -> str:
    folded = fold(text)
    return folded if len(folded.split()) >= FEWEST_WORDS else ""


# -- what each kind asks ------------------------------------------------------------------


def slot_role(reader, draft) -> set[str]:
    """Both directions of one role: the slot is "<kind>:<role key>"."""
    return {f"role:{draft.generator_key.partition(':')[2]}"}


def event_dates(reader, draft) -> set[str]:
    return {date_fact(e) for e in draft.events}


def event_order(reader, draft) -> set[str]:
    return order_facts(e.key for e in draft.events)


def matched_pairs(reader, draft) -> set[str]:
    """Each (person, office) or (event, year) pair the matching asks."""
    options = draft.options
    pairs = {(fold(o.text), fold(options[o.match].text)) for o in options if o.match is not None}
    return {reader.pairs[pair] for pair in pairs if pair in reader.pairs}


def claim_assessment(reader, draft) -> set[str]:
    return {f"claim-assessment:{draft.claim.key}"} if draft.claim else set()


def claim_sentence(reader, draft) -> set[str]:
    return {f"sentence:{draft.claim.key}"} if draft.claim else set()


def claim_evidence(reader, draft) -> set[str]:
    """What a claim's verdict rests on: asked by "What kind of evidence" and given away by a
    source-criticism item that says nothing on record settles the claim (and the reverse)."""
    return {f"evidence:{draft.claim.key}"} if draft.claim else set()


def source_fact(reader, draft) -> set[str]:
    """A source's provenance, one fact per question ("publication", "interviewer"); an item
    on what would confirm a claim asks what its verdict rests on."""
    if draft.claim is not None:
        return claim_evidence(reader, draft)
    return {f"source:{draft.generator_key.partition(':')[2]}"}


def cloze_gap(reader, draft) -> set[str]:
    """The sentence, and the office when the gap is one: a person's office in the interview's words."""
    answers = {fold(o.text) for o in draft.options if o.is_correct}
    offices = {
        role_fact(r)
        for figure in draft.figures
        for r in reader.content.roles_of(figure)
        if r.interview_wording and fold(r.interview_wording) in answers
    }
    return claim_sentence(reader, draft) | offices


# A kind not listed asks, if it rests on a claim, that claim's sentence: kept apart from the
# other items on the sentence until it says what more it asks.
ASKS: dict[str, Callable[[Any, Any], set[str]]] = {
    Kind.WHO_HELD_ROLE: slot_role,
    Kind.ROLE_OF_FIGURE: slot_role,
    Kind.WHEN: event_dates,
    Kind.CHRONOLOGY: event_order,
    Kind.MATCHING: matched_pairs,
    Kind.CLAIM_ASSESSMENT: claim_assessment,
    Kind.ATTRIBUTION: claim_sentence,
    Kind.CLOZE: cloze_gap,
    # Finding a claim's sentence, or spotting it as the error, asks for its words as attribution does.
    Kind.FIND_EVIDENCE: claim_sentence,
    Kind.SPOT_ERROR: claim_sentence,
    Kind.EVIDENCE_KIND: claim_evidence,
    Kind.SOURCE_CRITICISM: source_fact,
}
