"""What every generated question must be, and how drafts become stable Question rows.

A generator yields QuestionDraft (or Skip) records. A draft is validated against the
rules every question obeys (quiz/question_rules.py, as the GENERATOR audience reads them),
fingerprinted (its content plus the seed), and saved:

- a question with the same fingerprint exists: it is kept as it is (if generation had
  retired it because its facts changed and they have changed back, it is restored);
- otherwise a live question in the same slot (generator_key) is retired with the reason
  "source facts changed" and a new one is created, so answers already given keep
  pointing at the question as it was asked;
- slots no longer produced at all are retired with the reason "content removed".
"""

import hashlib
import json
import random
import re
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone

from history.models import Claim, Passage
from quiz.answer_modes import OptionDraft, mode_for, save_options
from quiz.models import Origin, Question, SetItem
from quiz.question_rules import GENERATOR

from .content import REPORTING, office_kind, option_key
from .facts import FactReader, Facts
from .sentences import split

DEFAULT_SEED = 1934
FACTS_CHANGED = "source facts changed"
CONTENT_REMOVED = "content removed"
# Reasons generation itself gives; a question retired for any other reason (an admin's) stays retired.
AUTOMATIC_REASONS = {FACTS_CHANGED, CONTENT_REMOVED}


def _digest(*parts) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()


class KeyedRandom(random.Random):
    """A seeded generator that hands out an independent generator per question slot, so
    adding content does not reshuffle questions about other content."""

    def __init__(self, seed=DEFAULT_SEED, scope=""):
        self.seed_value = seed
        super().__init__(int(_digest(seed, "scope", scope)[:16], 16))

    def for_key(self, key: str) -> random.Random:
        # Seeded for reproducible question generation; nothing secret depends on it.
        return random.Random(int(_digest(self.seed_value, "key", key)[:16], 16))  # nosec B311

    def rank(self, slot: str, items, key):
        """Items in a seeded order private to `slot`. Each item's place depends only on the
        slot and the item, so a new item moves others down at most one place."""
        return sorted(items, key=lambda item: _digest(self.seed_value, slot, key(item)))


# The Question columns a draft fills in (the same names on both); origin, key, fingerprint and
# author are the saver's to set.
QUESTION_FIELDS = ("kind", "prompt", "explanation", "passage", "quote", "claim", "difficulty")


@dataclass
class QuestionDraft:
    kind: str
    generator_key: str
    prompt: str
    options: list[OptionDraft]
    explanation: str
    passage: Passage | None = None
    quote: str = ""
    claim: Claim | None = None
    figures: list = field(default_factory=list)
    events: list = field(default_factory=list)
    difficulty: float = 0.5
    # Facts the generator states itself, beyond those the saver reads from the draft
    # (quiz/generation/facts.py). Not in the payload: students never see them.
    asks: list[str] = field(default_factory=list)
    reveals: list[str] = field(default_factory=list)

    @property
    def mode(self):
        """How it is answered (quiz/answer_modes.py), as Question.mode."""
        return mode_for(self.kind)

    def question_fields(self) -> dict:
        return {name: getattr(self, name) for name in QUESTION_FIELDS}

    def payload(self) -> dict:
        """Everything a student sees or is scored on, by stable keys rather than row ids."""
        return {
            "kind": str(self.kind),
            "key": self.generator_key,
            "prompt": self.prompt,
            "options": [[o.text, o.is_correct, o.correct_position, o.side, o.match, o.feedback] for o in self.options],
            "explanation": self.explanation,
            "passage": [self.passage.source_id, self.passage.position] if self.passage else None,
            "quote": self.quote,
            "claim": self.claim.key if self.claim else None,
            "figures": sorted(f.key for f in self.figures),
            "events": sorted(e.key for e in self.events),
            "difficulty": round(self.difficulty, 2),
        }

    def fingerprint(self, seed) -> str:
        text = json.dumps(self.payload(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(f"{seed}\x1f{text}".encode()).hexdigest()

    def touches(self, figures=(), events=(), claims=()) -> bool:
        return (
            any(f.pk in figures for f in self.figures)
            or any(e.pk in events for e in self.events)
            or (self.claim is not None and self.claim.pk in claims)
        )


@dataclass(frozen=True)
class Skip:
    kind: str
    key: str
    reason: str


def clamp_difficulty(value: float) -> float:
    return round(min(0.95, max(0.05, value)), 2)


# --- The rules ------------------------------------------------------------------------------


def validate(draft: QuestionDraft) -> list[str]:
    """Every rule a question must obey (quiz/question_rules.py), in the generation summary's
    terse words; an empty list means the draft may be saved."""
    return GENERATOR.messages(draft)


# --- Saving ---------------------------------------------------------------------------------


@dataclass
class KindStats:
    created: int = 0
    kept: int = 0
    restored: int = 0
    retired: int = 0
    skipped: int = 0


@dataclass
class Summary:
    seed: int
    stats: dict = field(default_factory=dict)  # kind value -> KindStats
    skipped: list = field(default_factory=list)  # Skip records
    produced: Counter = field(default_factory=Counter)  # drafts that passed validation, per kind
    corrected_in_sets: int = 0  # set items moved to the corrected version of their question

    def for_kind(self, kind) -> KindStats:
        return self.stats.setdefault(str(kind), KindStats())

    def skip(self, record: Skip):
        self.skipped.append(record)
        self.for_kind(record.kind).skipped += 1

    @property
    def totals(self) -> KindStats:
        total = KindStats()
        for stats in self.stats.values():
            for name in ("created", "kept", "restored", "retired", "skipped"):
                setattr(total, name, getattr(total, name) + getattr(stats, name))
        return total


def follow_corrections() -> int:
    """Keep teachers' sets whole through corrections: a set item whose generated question was
    replaced because its facts changed now holds the live question of the same slot (the one
    that replaced it). Attempts keep the version they showed. Questions whose content was
    removed have no successor and stay out of new attempts. Returns the items moved."""
    live = dict(Question.objects.live().filter(origin=Origin.GENERATED).values_list("generator_key", "pk"))
    items = SetItem.objects.filter(
        question__origin=Origin.GENERATED, question__is_retired=True, question__retired_reason=FACTS_CHANGED
    ).values_list("pk", "question_set_id", "question__generator_key")
    held = set(SetItem.objects.values_list("question_set_id", "question_id"))
    moved = []
    for pk, set_id, slot in items:
        successor = live.get(slot)
        if successor is None or (set_id, successor) in held:
            continue  # nothing to move to, or the set already has it
        held.add((set_id, successor))
        moved.append(SetItem(pk=pk, question_id=successor))
    SetItem.objects.bulk_update(moved, ["question"])
    return len(moved)


def retire(queryset, reason: str) -> int:
    return queryset.live().update(is_retired=True, retired_reason=reason, retired_at=timezone.now())


def save_draft(draft: QuestionDraft, seed, stats: KindStats, reader: FactReader | None = None) -> Question:
    """Save the draft as its slot's live question; `reader` reads the facts it asks and gives
    away (quiz/generation/facts.py; a run passes one for all its drafts)."""
    fingerprint = draft.fingerprint(seed)
    facts = (reader or FactReader.load()).read(draft)
    same_slot = Question.objects.filter(origin=Origin.GENERATED, generator_key=draft.generator_key)
    existing = Question.objects.filter(fingerprint=fingerprint).first()
    if existing is not None:
        if existing.is_retired and existing.retired_reason in AUTOMATIC_REASONS:
            # The facts are back to what this question said: bring it back rather than a copy.
            stats.retired += retire(same_slot.exclude(pk=existing.pk), FACTS_CHANGED)
            existing.is_retired, existing.retired_reason, existing.retired_at = False, "", None
            existing.save(update_fields=["is_retired", "retired_reason", "retired_at"])
            stats.restored += 1
        else:
            stats.kept += 1
        record_facts(existing, facts)
        return existing
    stats.retired += retire(same_slot, FACTS_CHANGED)
    question = Question.objects.create(
        **draft.question_fields(),
        origin=Origin.GENERATED,
        generator_key=draft.generator_key,
        fingerprint=fingerprint,
        asks=facts.asks,
        reveals=facts.reveals,
    )
    save_options(question, draft.options)
    if draft.figures:
        question.figures.set(draft.figures)
    if draft.events:
        question.events.set(draft.events)
    stats.created += 1
    return question


def record_facts(question: Question, facts: Facts) -> None:
    """Bring a kept question's facts up to date in place: students never see them, so new
    content that changes them (another holder of its office) is no reason to retire it."""
    if (question.asks, question.reveals) != (facts.asks, facts.reveals):
        question.asks, question.reveals = facts.asks, facts.reveals
        question.save(update_fields=["asks", "reveals"])


# --- Helpers the kind modules share ---------------------------------------------------------


def choose_distractors(
    rng: KeyedRandom,
    slot: str,
    candidates,
    *,
    text,
    closeness,
    forbidden=(),
    count=3,
    identity=option_key,
    group=None,
):
    """Pick up to `count` wrong choices: the closest (plausible) first, ties in a seeded
    order. Texts are never empty, never repeated and never one of `forbidden` (the right
    answer and anything else that would also be right); `identity` says when two texts
    are the same. Two candidates of one `group` (a body's two chairs, two Kamenevs) are never
    both chosen: side by side they read as a trick. Returns [(candidate, text, closeness)]."""
    seen = {identity(t) for t in forbidden}
    groups: set = set()
    ranked = rng.rank(slot, candidates, key=lambda c: text(c))
    ranked.sort(key=lambda c: -closeness(c))  # stable: keeps the seeded order within a tier
    chosen = []
    for candidate in ranked:
        label = (text(candidate) or "").strip()
        if not label or identity(label) in seen:
            continue
        if group is not None and group(candidate) in groups:
            continue
        seen.add(identity(label))
        if group is not None:
            groups.add(group(candidate))
        chosen.append((candidate, label, closeness(candidate)))
        if len(chosen) == count:
            break
    return chosen


def single_choice(rng: random.Random, right: str, wrong: list[str], *, keep_order=False) -> list[OptionDraft]:
    """The right answer among the wrong ones, shuffled by the slot's own generator (or in
    the given order when it carries meaning, like years)."""
    options = [OptionDraft(text=right, is_correct=True)] + [OptionDraft(text=t) for t in wrong]
    if not keep_order:
        rng.shuffle(options)
    return options


def quoted(text) -> str:
    """The interview's words in quotation marks, closing the sentence when they do not."""
    text = text.strip()
    return f"“{text}”" if text[-1:] in ".?!…" else f"“{text}”."


# --- Explanations ---------------------------------------------------------------------------
# An explanation is a short lead whose first sentence says why the answer is right, then,
# after a blank line, anything more (Question.explanation_lead and explanation_more). The
# historians' note and reference are not copied in: they have one home, the claim, and the
# feedback and the export show them from there.

PARAGRAPH = "\n\n"
# A note's first sentence up to this long can stand as the reason in a lead; a longer one
# stays in the note, which the feedback shows folded.
REASON_WORDS = 30
# A reason added to a verdict that ends another kind's lead (attribution, cloze): long enough
# for the note's first sentence in most claims, since a bare "contradicted" explains nothing.
VERDICT_REASON_WORDS = 32


# Where a sentence ends: not after an initial or a list number ("V. M. Verkhovykh", "1. NEP")
# nor after the abbreviations references use.
def paragraphs(*parts) -> str:
    """The lead, then each further part that has anything in it, a blank line apart."""
    return PARAGRAPH.join(part.strip() for part in parts if part and part.strip())


# Two sets (of events to order, of pairs to match) sharing more than this are much the same
# question: the second is answered from the first (the eighteenth review found sets wholly inside
# others, and sets sharing three of their four).
MOST_SHARED = 2


def much_the_same(one: frozenset, other: frozenset) -> bool:
    """Whether one set holds the other or shares more than MOST_SHARED of its members."""
    return one <= other or other <= one or len(one & other) > MOST_SHARED


def sources_line(*records) -> str:
    """Where a teacher can check the dates and offices a question rests on: the distinct
    references of its events or roles, as one closing line ("" when none has one)."""
    # A reference may name several works, "; " apart: each is cited once however many records name it.
    works = [w.strip().rstrip(".") for r in records for w in (r.reference or "").split("; ")]
    works = list(dict.fromkeys(w for w in works if w))
    if not works:
        return ""
    return f"{'Source' if len(works) == 1 else 'Sources'}: {'; '.join(works)}."


def first_sentence(text) -> str:
    text = " ".join(text.split())
    spans = split(text)
    return text[: spans[0][1]].strip() if spans else text


def note_opening(note: str) -> str:
    """What a note says first: its first sentence, with the next when the first is only a
    verdict ("Wrong title."), so the reason comes with it."""
    text = " ".join(note.split())
    spans = split(text)
    if not spans:
        return text
    head = text[: spans[0][1]].strip()
    if len(head.split()) < 6 and len(spans) > 1:
        longer = text[: spans[1][1]].strip()
        head = longer if len(longer.split()) <= REASON_WORDS + 10 else head
    return head


# A disputed claim's reason must say there is a debate, or it gives one side as the verdict.
DEBATE = re.compile(r"\b(?:disagree|debate|dispute|whether|differ)", re.IGNORECASE)


def short_reason(claim) -> str:
    """The opening of the claim's note when it is short enough for a lead and says more than a
    bare "Correct."; else "". For a disputed claim only a first sentence that names the debate:
    "Historians disagree. There was real opposition …" would give one side."""
    if claim.assessment == "disputed":
        sentence = first_sentence(claim.note)
        if not DEBATE.search(sentence) or len(sentence.split()) < 5:
            return ""
    else:
        sentence = note_opening(claim.note)
    return sentence if 3 <= len(sentence.split()) <= REASON_WORDS + 10 else ""


def with_reason(text: str, claim) -> str:
    """A sentence giving a doubted claim's verdict, with the claim's reason after it where it has
    one short enough (short_reason): a bare "rejected" reads as rejecting every word."""
    reason = short_reason(claim)
    return f"{text} {reason}" if reason else text


# A statement reporting what its speaker only suggests: "Maskharashvili suggests that …".
SUGGESTED = re.compile(r"^[^.,]{0,40}?\bsuggests\b")


def assessment_sentence(claim, nested=(), reason_words=VERDICT_REASON_WORDS) -> str:
    """The historians' verdict on a claim in one plain sentence, to end a lead (callers put it
    last). `nested`: claims inside its quote that historians judge differently
    (content.nested_claims): the lead says at once that the verdict does not cover all the
    quoted words, and a paragraph after it names each one with its own verdict. The reason
    is added when it has at most `reason_words` words (a caller with a longer lead gives less)."""
    if claim.assessment == "corroborated":
        verdict = "Historians agree with the interview here."
    else:
        label = claim.get_assessment_display().lower()
        # A claim the interview only suggests is not one it "says" (the nineteenth review).
        said = "suggests" if SUGGESTED.match(claim.statement) else "says"
        verdict = f"Careful: this is what the interview {said}, not established fact — the claim is {label}."
    # Say what is wrong, or a student may take the verdict to deny the whole sentence ("Yagoda …
    # contradicted" read as: Yagoda did not head the police); and what is right, with its
    # qualification ("named to a post in the Transcaucasian Federation, which he never took up").
    reason = short_reason(claim)
    fits = bool(reason) and len(reason.split()) <= reason_words
    verdict += f" {reason}" if fits else ""
    # Too long for the lead, the reason opens what follows: a bare label says nothing of why
    # (the twelfth review found thirteen such leads).
    return paragraphs(verdict + nested_clause(nested), "" if fits else reason, nested_lines(nested, asked=claim))


# A lead read at a glance: what makes the key right, then the verdict with its reason.
LEAD_WORDS = 60


def after_lead(lead: str, claim, nested=()) -> str:
    """`lead` followed by the historians' verdict (assessment_sentence), whose reason is given
    when it fits in what is left of LEAD_WORDS."""
    bare = assessment_sentence(claim, nested, reason_words=0).split(PARAGRAPH)[0]
    room = LEAD_WORDS - len(f"{lead} {bare}".split())
    return f"{lead} {assessment_sentence(claim, nested, reason_words=min(room, VERDICT_REASON_WORDS))}"


def nested_clause(nested) -> str:
    """One sentence (with its leading space) saying that part of the quote is judged apart."""
    if not nested:
        return ""
    if len(nested) == 1:
        return " Part of the quoted words is judged separately."
    return " Parts of the quoted words are judged separately."


def nested_lines(nested, asked=None) -> str:
    """Each nested claim's words with its own verdict, one line each. A claim whose words hold
    the `asked` claim's ("The most active members were … Yagoda" around "the minister of state
    security Yagoda") is named by what it says: its words quoted whole would set the asked
    words under a second verdict."""

    def shares_words(claim) -> bool:
        # Two listed claims on the same words ("They were Stalin's close associates" of
        # Tukhachevsky, "Stalin's close associates" of Yagoda) told apart by their words alone read
        # as one saying contradicted and corroborated at once (the twenty-fourth review).
        return any(o is not claim and (o.quote in claim.quote or claim.quote in o.quote) for o in nested)

    return "\n".join(
        # Why, or "contradicted" beside a name reads as denying the person's part, and
        # "corroborated" beside a doubted claim as vouching for all it names.
        with_reason(separate_claim(c, asked, by_statement=shares_words(c)), c)
        for c in nested
    )


def about_someone_else(claim, asked) -> bool:
    """Whether a claim on the asked claim's words is about other people only: "his old
    friends" said of Yenukidze, inside the same words said of Tukhachevsky. One that shares a
    person with it ("whose wife's lover used to be Kirov", inside Kirov's murder) is a further
    assertion on its own words. Stalin, whom nearly every claim concerns, does not count."""
    people = {f.key for f in getattr(claim, "figure_list", [])} - {"stalin"}
    asked_people = {f.key for f in getattr(asked, "figure_list", [])} - {"stalin"}
    return bool(people) and bool(asked_people) and not people & asked_people


def separate_claim(claim, asked=None, by_statement=False) -> str:
    label = claim.get_assessment_display().lower()
    # Named by what it says: its words alone, beside the asked claim's, would read as a verdict
    # on the asked claim's person.
    if by_statement or (asked is not None and (asked.quote in claim.quote or about_someone_else(claim, asked))):
        said = REPORTING.match(" ".join(claim.statement.split()))
        if said:
            return f"That {said['rest'].rstrip('.')} is a separate claim: {label}."
        return f"The words “{elided(claim.quote, [asked.quote] if asked is not None else [])}” are a separate claim: {label}."
    return f"The words “{claim.quote.strip()}” are a separate claim: {label}."


def elided(quote: str, parts) -> str:
    """A quote with the words of claims inside it left out, so what is left is only what its own
    verdict covers: "in 1934, …, assassinated Kirov" for the murder, without the killer's
    state of mind and the affair, which are judged apart."""
    text = quote
    for part in sorted(parts, key=len, reverse=True):
        text = text.replace(part, "…")
    return re.sub(r"…(?:[\s,;–-]*…)+", "…", text).strip()


# The gap in a sentence or quotation that a question asks to fill.
BLANK = "_____"


# In a kind whose answers are people, offices or dates, no one answer keys more than this share
# of its questions: a student who always picks the usual answer must not pass.
MOST_KEYED_SHARE = 0.2


def balance(rng: KeyedRandom, kind, items, answer_of, share=MOST_KEYED_SHARE):
    """`items` (drafts and skips) with no answer keying more than `share` of the drafts: the
    drafts over the limit, in a seeded order, become Skips saying why. Answers are compared as
    `answer_of(draft)` returns them."""
    drafts = [i for i in items if isinstance(i, QuestionDraft)]
    by_answer: dict[str, list] = {}
    for draft in drafts:
        by_answer.setdefault(answer_of(draft), []).append(draft)
    dropped: set[str] = set()
    # Dropping drafts shrinks the total, so the limit is met against what is kept.
    while True:
        kept = len(drafts) - len(dropped)
        limit = max(1, int(share * kept))
        over = [
            (a, ds) for a, ds in by_answer.items() if len([d for d in ds if d.generator_key not in dropped]) > limit
        ]
        if not over:
            break
        answer, group = max(over, key=lambda pair: (len(pair[1]), pair[0]))
        live = rng.rank(
            f"balance:{kind}:{answer}",
            [d for d in group if d.generator_key not in dropped],
            key=lambda d: d.generator_key,
        )
        dropped.add(live[-1].generator_key)
    for item in items:
        if isinstance(item, QuestionDraft) and item.generator_key in dropped:
            yield Skip(kind, item.generator_key, f"too many questions of this kind keyed “{answer_of(item)}”")
        else:
            yield item


def choice_options(rng: KeyedRandom, slot: str, right: str, chosen) -> list[OptionDraft]:
    """The right answer among the wrong choices choose_distractors picked, shuffled by the
    slot's own generator."""
    return single_choice(rng.for_key(slot), right, [text for _, text, _ in chosen])


def mean_closeness(chosen) -> float:
    """How plausible the picked wrong choices are on average: the harder the question."""
    return sum(closeness for _, _, closeness in chosen) / len(chosen)


# A statement naming this many people is a list, and a list gives its members away
# ("Zinoviev, Kamenev, ___ and Rykov").
LIST_OF_NAMES = 4


def name_gap_fault(content, claim, person, text) -> str:
    """Why a gap for `person` in `text` (the claim's statement or quote) would test a guess rather
    than a reading, or "" when it would not."""
    if len(content.figures_named_in(text)) >= LIST_OF_NAMES:
        return "a list of names gives its members away"
    if any(content.ever_held(person, office) for office in content.offices_named_in(claim.quote)):
        return "the office the quote names gives the name away (the office questions ask it)"
    # Words inside another claim's quote, judged alike and about the same person: that claim's
    # gap asks the same name. (Judged differently, the other claim may not blank these words,
    # so this claim's own gap is the only one, under its own verdict.)
    if any(
        c is not claim
        and c.passage_id == claim.passage_id
        and c.quote != claim.quote
        and claim.quote in c.quote
        and c.assessment == claim.assessment
        and person in c.figure_list
        for c in content.claims
    ):
        return "the claim's words lie inside another claim's, judged alike, whose gap asks the same name"
    return ""


def stand_ins_for(content, rng: KeyedRandom, slot: str, claim, person, *, text=lambda figure: figure.name):
    """Wrong names for `person` in a question on `claim`: people the interview does not
    connect with the claim, those in office at the time first, none sharing a name form
    with `person`, none dead before the claim's time (Lenin among the men of 1934 is
    rejected without reading) and none who held an office the quote names; `text` writes a
    person as an option."""
    period = content.period_of(claim)
    # A claim dated by nothing of its own is about the time its passage speaks of.
    spans = [content.period_of(c) for c in content.claims if c.passage_id == claim.passage_id]
    time = period or min((span for span in spans if span), default=None)
    alive = [f for f in content.uninvolved(claim) if not (time and f.death_year and f.death_year < time[0].year)]
    # Nor anyone who held an office the quote names, at any time: "___ – secretary of the central
    # executive committee" is true of Akulov too, Yenukidze's successor.
    offices = content.offices_named_in(claim.quote)
    alive = [f for f in alive if not any(content.ever_held(f, office) for office in offices)]
    # Nor anyone the historians' note names: offered as wrong for "in ___'s case" of the new
    # faces, Beria is then named by the feedback as a real new face of 1934 (the twenty-first review).
    around = [
        c
        for c in content.claims
        if c.passage_id == claim.passage_id and c.quote and (c.quote in claim.quote or claim.quote in c.quote)
    ]
    noted = {f for c in [claim, *around] for f in content.figures_named_in(c.note)}
    alive = [f for f in alive if f not in noted]
    # Someone in the same line of work reads as a real option: soldiers for a soldier's gap.
    kinds = {office_kind(r) for r in content.roles_of(person)}
    # And someone the interview names: Molotov or Kalinin, never in it, is ruled out by anyone who
    # has read it, and the gap tests nothing (the twenty-second review).
    named = {f for p in content.passages for f in content.figures_named_in(p.text)}

    def closeness(figure):
        alike = any(office_kind(r) in kinds for r in content.roles_of(figure))
        return content.plausibility(figure, period) + (0.5 if alike else 0) + (1 if figure in named else 0)

    return choose_distractors(rng, slot, alive, text=text, closeness=closeness, forbidden=content.names(person))


def claim_draft(kind, key, claim, *, prompt, options, explanation, difficulty, figures=(), quote=None) -> QuestionDraft:
    """A question that rests on one claim: cited to its quote (or to `quote`, words of the same
    passage around it), about its events and about the people it concerns plus `figures`
    (never the interview's own participants)."""
    people = {f.key: f for f in [*claim.figure_list, *figures] if not f.is_participant}
    return QuestionDraft(
        kind=kind,
        generator_key=key,
        prompt=prompt,
        options=options,
        explanation=explanation,
        passage=claim.passage,
        quote=claim.quote if quote is None else quote,
        claim=claim,
        figures=[people[k] for k in sorted(people)],
        events=claim.event_list,
        difficulty=clamp_difficulty(difficulty),
    )
