"""Put these events in order — sets of 3 to 5 events, one set anchored on each event.

Only events that certainly follow one another are put in one set: two events whose
periods overlap at their precision (two "1934" events, or "1934" and "December 1934")
have no single right order, so they never share a set.
"""

from quiz.answer_modes import OptionDraft
from quiz.models import Kind

from .base import QuestionDraft, Skip, clamp_difficulty
from .content import option_key, span_of, strictly_before

KINDS = (Kind.CHRONOLOGY,)
SMALLEST, LARGEST = 3, 5


def orderable(a, b) -> bool:
    return strictly_before(a, b) or strictly_before(b, a)


def generate(content, rng):
    seen = {}
    for anchor in content.events:
        key = f"{Kind.CHRONOLOGY}:{anchor.key}"
        slot_rng = rng.for_key(key)
        size = slot_rng.randint(SMALLEST, LARGEST)
        chain = [anchor]
        for event in rng.rank(key, [e for e in content.events if e != anchor], key=lambda e: e.key):
            if len(chain) == size:
                break
            if all(orderable(event, other) for other in chain) and option_key(event.name) not in {
                option_key(e.name) for e in chain
            }:
                chain.append(event)
        if len(chain) < SMALLEST:
            yield Skip(Kind.CHRONOLOGY, key, "fewer than 3 events that certainly came before or after this one")
            continue
        members = frozenset(e.key for e in chain)
        if members in seen:
            yield Skip(Kind.CHRONOLOGY, key, f"the same events as {seen[members]}")
            continue
        seen[members] = key
        yield question_for(content, slot_rng, key, chain)


def question_for(content, slot_rng, key, chain):
    ordered = sorted(chain, key=lambda e: e.start_date)
    shown = list(ordered)
    slot_rng.shuffle(shown)
    if shown == ordered:  # never show the answer as the starting order
        shown = shown[1:] + shown[:1]
    options = [OptionDraft(text=e.name, correct_position=ordered.index(e) + 1) for e in shown]
    steps = "; ".join(f"{i}. {e.name} ({e.span_display})" for i, e in enumerate(ordered, start=1))
    explanation = f"The order, earliest first: {steps}."
    passage, quote = None, ""
    for event in ordered:
        claim = content.citation_for_event(event)
        if claim is not None:
            passage, quote = claim.passage, claim.quote
            # Event names are titles ("Shakhty trial"), so they go in brackets rather than mid-sentence.
            if event.interview_dating:
                explanation += (
                    f" The interview discusses one of these events ({event.name}) in §{claim.passage.position}."
                )
            else:  # linked through a claim's historians' note: the interview need not name it
                explanation += (
                    f" For what the interview says in connection with one of these events ({event.name}), "
                    f"see §{claim.passage.position}."
                )
            break
    gaps = [(b.start_date - span_of(a)[1]).days for a, b in zip(ordered, ordered[1:])]
    closeness = 1 - min(1.0, min(gaps) / 730)  # events months apart are harder to order than years apart
    figures = {f.key: f for e in ordered for f in e.participant_list if not f.is_participant}
    return QuestionDraft(
        kind=Kind.CHRONOLOGY,
        generator_key=key,
        prompt="Put these events in the order they happened, earliest first.",
        options=options,
        explanation=explanation,
        passage=passage,
        quote=quote,
        figures=[figures[k] for k in sorted(figures)],
        events=ordered,
        difficulty=clamp_difficulty(0.3 + 0.08 * (len(ordered) - SMALLEST) + 0.35 * closeness),
    )
