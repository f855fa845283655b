"""Who held this office? and What office did this person hold? — one of each per role.

Answers come from the established Role records, never from the interview's wording.
Anyone who ever held the same office is never offered as a wrong choice (so two
holders of one title, at the same time or not, cannot both be right), and no wrong
choice shares a name form with the answer.
"""

from quiz.models import Kind

from .base import QuestionDraft, Skip, choose_distractors, clamp_difficulty, single_choice
from .content import contains_words, normalise, office_in_sentence, office_text, overlaps, span_of, span_words

KINDS = (Kind.WHO_HELD_ROLE, Kind.ROLE_OF_FIGURE)
MIN_DISTRACTORS = 2


def citation(content, role):
    claim = content.citation_for_role(role)
    person = role.figure.short_name
    if claim is None:
        return None, "", f" This comes from the historical record; the interview does not name {person}."
    if role.figure in content.figures_named_in(claim.passage.text):
        return claim.passage, claim.quote, f" The interview mentions {person} in §{claim.passage.position}."
    # Cited for the office's wording ("the defense commissar"): the passage does not name them.
    return claim.passage, claim.quote, f" The interview refers to this office in §{claim.passage.position}, without naming {person}."


def wording_note(content, role) -> str:
    if not role.interview_wording:
        return ""
    # The interview's name for the office may be the very thing historians reject ("the minister
    # of state security" for Yagoda's post): say so where it is quoted.
    wording = normalise(role.interview_wording)
    rejected = next(
        (c for c in content.claims_about_figure(role.figure)
         if c.assessment != "corroborated" and contains_words(normalise(c.statement), wording)),
        None,
    )
    if rejected is not None:
        return (
            f" The interview calls this office “{role.interview_wording}”, a title historians reject"
            f" (§{rejected.passage.position})."
        )
    return f" The interview calls this office “{role.interview_wording}”."


def generate(content, rng):
    for role in content.subject_roles():
        yield who_held(content, rng, role)
        yield office_of(content, rng, role)


def who_held(content, rng, role):
    key = f"{Kind.WHO_HELD_ROLE}:{role.key}"
    person = role.figure
    span = span_of(role)
    organisation = normalise(role.organisation)
    # Named in the explanation only when it is exactly this office (the exclusion is wider).
    holders = sorted({
        r.figure.short_name for r in content.roles
        if r.figure != person and normalise(office_text(r)) == normalise(office_text(role))
    })

    def closeness(figure):
        # In office at the same time, in the same body, or at least someone who held office.
        theirs = content.roles_of(figure)
        score = 2 if any(overlaps(span, span_of(r)) for r in theirs) else 0
        score += 1 if organisation and any(normalise(r.organisation) == organisation for r in theirs) else 0
        score += 0.5 if theirs else 0
        return score / 3.5

    candidates = [
        f for f in content.subjects
        if not content.same_person_risk(f, person) and not content.ever_held(f, role)
    ]
    chosen = choose_distractors(rng, key, candidates, text=lambda f: f.name, closeness=closeness,
                                forbidden=content.names(person))
    if len(chosen) < MIN_DISTRACTORS:
        return Skip(Kind.WHO_HELD_ROLE, key, "too few people who could plausibly, but wrongly, be named")
    office = office_in_sentence(role)
    passage, quote, source_note = citation(content, role)
    explanation = f"{person.name} was {office} {span_words(role)}.{wording_note(content, role)}"
    if holders:
        names = holders[0] if len(holders) == 1 else f"{', '.join(holders[:-1])} and {holders[-1]}"
        verb = "are" if len(holders) > 1 else "is"
        explanation += f" {names} also held this office and so {verb} not among the wrong choices."
    explanation += source_note
    mean = sum(c for _, _, c in chosen) / len(chosen)
    return QuestionDraft(
        kind=Kind.WHO_HELD_ROLE,
        generator_key=key,
        prompt=f"Which of these people was {office} {span_words(role)}?",
        options=single_choice(rng.for_key(key), person.name, [t for _, t, _ in chosen]),
        explanation=explanation,
        passage=passage,
        quote=quote,
        figures=[person],
        difficulty=clamp_difficulty(0.25 + 0.45 * mean + (0.1 if len(chosen) == 3 else 0)),
    )


def office_of(content, rng, role):
    key = f"{Kind.ROLE_OF_FIGURE}:{role.key}"
    person = role.figure
    span = span_of(role)
    organisation = normalise(role.organisation)
    own_offices = [office_text(r) for r in content.roles_of(person)]

    def closeness(other):
        score = 2 if overlaps(span, span_of(other)) else 0
        score += 1 if organisation and normalise(other.organisation) == organisation else 0
        return score / 3

    # Offices this person never held, of any other holder; ties between the same office
    # held by several people collapse because the text repeats.
    candidates = [r for r in content.subject_roles() if r.figure != person and not content.ever_held(person, r)]
    own_normalised = {normalise(t) for t in own_offices}
    candidates = [r for r in candidates if normalise(office_text(r)) not in own_normalised]
    chosen = choose_distractors(
        rng, key, candidates, text=office_text, closeness=closeness, forbidden=own_offices, identity=normalise
    )
    if len(chosen) < MIN_DISTRACTORS:
        return Skip(Kind.ROLE_OF_FIGURE, key, "too few other offices to offer as wrong choices")
    office = office_text(role)
    passage, quote, source_note = citation(content, role)
    explanation = f"{person.name} was {office_in_sentence(role)} {span_words(role)}.{wording_note(content, role)}{source_note}"
    mean = sum(c for _, _, c in chosen) / len(chosen)
    prompt = f"Which of these offices did {person.name} hold {span_words(role)}?"
    # Two offices held over the same span would make two questions with one prompt and two
    # different answers: name the other one in the prompt.
    same_span = [r for r in content.roles_of(person) if r != role and span_words(r) == span_words(role)]
    if same_span:
        prompt = (
            f"Besides being {office_in_sentence(same_span[0])}, which of these offices did {person.name} "
            f"hold {span_words(role)}?"
        )
    return QuestionDraft(
        kind=Kind.ROLE_OF_FIGURE,
        generator_key=key,
        prompt=prompt,
        options=single_choice(rng.for_key(key), office, [t for _, t, _ in chosen]),
        explanation=explanation,
        passage=passage,
        quote=quote,
        figures=[person],
        difficulty=clamp_difficulty(0.3 + 0.45 * mean + (0.1 if len(chosen) == 3 else 0)),
    )
