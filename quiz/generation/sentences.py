"""The interview's passages cut into sentences, each with the claims whose words it holds.

Shared by the source-reading kinds (find the evidence, spot the error): they offer whole
sentences of the interview as choices, so what a sentence asserts must be known from the
claims that quote it. A sentence no claim quotes is never offered: nobody has said what
historians think of it.
"""

import re
from dataclasses import dataclass, field

from history.models import Passage, without_insertions

# A full stop after these is not the end of a sentence: "Leningrad (St. Petersburg)", an
# initial ("V. M. Verkhovykh"), a reference's "pp." or "vol.".
NOT_AN_END = re.compile(r"(?:^|[\s(])(?:\w|pp?|vol|edn|eds?|no|cf|St|Dr|Mr|Mrs)\.$")
END = re.compile(r"(?<=[.!?…])[’”)]?\s+(?=[A-Z‘“(0-9])")
# Too short to stand as a choice of its own ("Yes!", "Of course it was!").
MIN_WORDS = 6
MAX_CHARS = 400


# Words pointing back to what was said before: a sentence holding them, read alone, says
# nothing a student could check ("He was the leader in that city", "These people were not
# exactly 'Trotskyites'", "… there was a huge factory operating there").
POINTS_BACK = re.compile(
    r"^\W*(?:he|his|him|she|her|it|this|these|those)\b|\b(?:they|them|their|that city)\b|\bthere\W*$",
    re.IGNORECASE,
)


@dataclass
class Sentence:
    passage: Passage
    start: int
    end: int
    claims: list = field(default_factory=list)  # claims whose quote overlaps the sentence

    @property
    def text(self) -> str:
        return self.passage.text[self.start : self.end].strip()

    @property
    def offerable(self) -> bool:
        words = len(self.text.split())
        return bool(self.claims) and words >= MIN_WORDS and len(self.text) <= MAX_CHARS

    @property
    def gloss(self) -> str:
        """The sentence with an editor's [insertions] saying whom it is about (Claim.gloss), or ""."""
        words = " ".join(self.text.split())
        return next((c.gloss.strip() for c in self.claims if c.gloss and without_insertions(c.gloss) == words), "")

    @property
    def reads_alone(self) -> bool:
        """Whether the sentence, torn from its passage, still says who or what it is about: on its
        own, or with the insertions an editor curated for it."""
        return bool(self.gloss) or not POINTS_BACK.search(self.text)

    @property
    def labels(self) -> set[str]:
        return {c.assessment for c in self.claims}

    def overlaps(self, other: "Sentence") -> bool:
        return self.passage.pk == other.passage.pk and self.start < other.end and other.start < self.end

    def holds(self, claim) -> bool:
        """Whether the whole of the claim's quote lies in this sentence."""
        start = self.passage.text.find(claim.quote)
        return start >= 0 and self.start <= start and start + len(claim.quote) <= self.end


def split(text: str) -> list[tuple[int, int]]:
    """Sentence spans of `text`, (start, end), covering it in order."""
    spans, start = [], 0
    for match in END.finditer(text):
        if NOT_AN_END.search(text[start : match.start()].rstrip("’”)")):
            continue
        spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def sentences_of(content) -> list[Sentence]:
    """Every sentence of every passage, in order, with the claims quoting words of it."""
    by_passage: dict[int, list] = {}
    for claim in content.claims:
        by_passage.setdefault(claim.passage.pk, []).append(claim)
    result = []
    for passage in content.passages:
        claims = by_passage.get(passage.pk, [])
        for start, end in split(passage.text):
            sentence = Sentence(passage, start, end)
            for claim in claims:
                begin = passage.text.find(claim.quote) if claim.quote else -1
                if begin >= 0 and begin < end and start < begin + len(claim.quote):
                    sentence.claims.append(claim)
            result.append(sentence)
    return result


def sentence_holding(sentences, claim):
    """The sentence that holds the whole of a claim's quote, or None (a quote across sentences).
    A reply too short to stand alone is read with the sentence after it: "Yes! Some new faces
    were appearing, …" is where the interview agrees Kirov was one."""
    found = next((s for s in sentences if s.passage.pk == claim.passage.pk and s.holds(claim)), None)
    if found is not None:
        return found
    for short, after in zip(sentences, sentences[1:]):
        if short.passage.pk == after.passage.pk == claim.passage.pk and len(short.text.split()) < MIN_WORDS:
            joined = Sentence(short.passage, short.start, after.end, [*short.claims, *after.claims])
            joined.claims = list(dict.fromkeys(joined.claims))
            if joined.holds(claim):
                return joined
    return None


def as_option(sentence: Sentence, glossed: bool = False) -> str:
    """The sentence as a choice; `glossed`, with the editor's insertions where it has them (only
    where a sentence must be judged alone: in "find the evidence" a name inserted into the answer
    would give it away)."""
    return f"§{sentence.passage.position}: “{(glossed and sentence.gloss) or sentence.text}”"


def covered(sentence) -> list[bool]:
    """For each character of the sentence, whether some claim's quote covers it."""
    text = sentence.passage.text
    marks = [False] * (sentence.end - sentence.start)
    for claim in sentence.claims:
        begin = text.find(claim.quote)
        for i in range(max(begin, sentence.start), min(begin + len(claim.quote), sentence.end)):
            marks[i - sentence.start] = True
    return marks


# Words this many or more in a row that no claim quotes make a statement nobody has judged.
UNJUDGED_WORDS = 4
# Trimmed from the ends of such a run: they join it to the judged words around it, or (the
# speaker's asides: "To make a long story short", "as I said") assert nothing.
CONNECTIVES = re.compile(
    r"^(?:\W|and\b|but\b|or\b|then\b|to make a long story short\b|as I said\b|in addition to that\b)+"
    r"|(?:\W|\band|\bbut|\bor|\bthen|\bthat)+$",
    re.IGNORECASE,
)


def unjudged(sentence) -> list[str]:
    """The runs of the sentence's words no claim quotes ("in most Soviet cities the industry was
    inching forward at a snail's pace"), in order: printed whole under a verdict on other words,
    they would read as vouched for (the twenty-second review)."""
    own = sentence.passage.text[sentence.start : sentence.end]
    runs: list[str] = []
    current: list[str] = []
    for ch, mark in zip(own, covered(sentence)):
        if mark:
            runs.append("".join(current))
            current = []
        else:
            current.append(ch)
    runs.append("".join(current))
    trimmed = (CONNECTIVES.sub("", " ".join(run.split())) for run in runs)
    return [run for run in trimmed if len(run.split()) >= UNJUDGED_WORDS]


def unjudged_line(sentence) -> str:
    """What the feedback says of the sentence's words nobody has judged, or ""."""
    runs = unjudged(sentence) if sentence is not None else []
    if not runs:
        return ""
    words = " and ".join(f"“{run}”" for run in runs)
    return f"No verdict is given here on the words {words}: read them as the interview’s, not as established."


def judged_apart(content, claim, sentence) -> list:
    """The other claims on a sentence offered whole that the claim's verdict does not cover:
    every one historians doubt, and every corroborated one beside a doubted claim. The student
    picks the whole sentence, so "Historians agree" must not stand over its words historians
    reject ("… and their clout was limitless"), nor over a doubted claim whose words hold the
    asked ones ("The most active members [of the plot] were … Yagoda"). A corroborated claim
    holding doubted words is left out: its verdict is on its other words ("… whose wife's lover
    used to be Kirov himself, assassinated Kirov" is corroborated for the murder, not the
    affair), and the doubted words are listed on their own."""
    nested = content.nested_claims(claim)
    listed = []
    for other in sentence.claims:
        if other is claim or other in nested:
            continue
        if other.assessment == "corroborated" and (claim.quote in other.quote or content.nested_claims(other)):
            continue
        if other.assessment == claim.assessment == "corroborated":
            continue
        listed.append(other)
    return nested + listed


def whose(content, claim) -> str:
    """ "the interviewer’s" where the claim's words are not the interviewee's, else "": the
    interviewer's framing, read as the professor's, would be misattributed."""
    who = content.reported(claim).who_in_sentence
    return f"{who}’s" if who.startswith("the ") else ""
