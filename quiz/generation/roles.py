"""Who held this office? and What office did this person hold? — one of each per role.

Answers come from the established Role records, never from the interview's wording.
Anyone who ever held the same office is never offered as a wrong choice (so two
holders of one title, at the same time or not, cannot both be right), and no wrong
choice shares a name form with the answer.
"""

from history.models import Role
from quiz.models import Kind

from .base import (
    QuestionDraft,
    Skip,
    choice_options,
    choose_distractors,
    clamp_difficulty,
    mean_closeness,
    note_opening,
    paragraphs,
    sources_line,
)
from .content import (
    doubts_title,
    normalise,
    office_in_sentence,
    office_kind,
    office_text,
    overlaps,
    same_office,
    same_surname,
    span_of,
    span_words,
)

KINDS = (Kind.WHO_HELD_ROLE, Kind.ROLE_OF_FIGURE)
MIN_DISTRACTORS = 2
# The longest lead: who held the office when, what the interview calls it and, where it fits,
# why historians reject those words.
LEAD_WORDS = 60


def citation(content, role):
    """Where the interview speaks of this office, in words historians corroborate
    (content.citation_for_role), with a sentence saying so. Words that name only the person
    ("They were Stalin's close associates" for his chair of Sovnarkom) are no source for an
    office: then only a sentence says where the interview names them, and cites nothing."""
    claim = content.citation_for_role(role)
    person = role.figure.short_name
    if claim is not None and role.interview_wording and role.interview_wording.casefold() in claim.quote.casefold():
        if role.figure in content.figures_named_in(claim.passage.text):
            return claim.passage, claim.quote, f" The interview mentions {person} in §{claim.passage.position}."
        # Cited for the office's wording ("the defense commissar"): the passage does not name them.
        return (
            claim.passage,
            claim.quote,
            f" The interview refers to this office in §{claim.passage.position}, without naming {person}.",
        )
    if role.interview_wording:
        # wording_note says where the interview names the office, and how historians judge it.
        return None, "", ""
    passage = next((p for p in content.passages if role.figure in content.figures_named_in(p.text)), None)
    if passage is not None:
        return None, "", f" The interview mentions {person} in §{passage.position}."
    unnamed = f" This comes from the historical record; the interview does not name {person}"
    # Where it names the one who held the office just before (Yenukidze, whose removal §14 tells,
    # for Akulov), that is the link to the interview (the twenty-first review).
    before = predecessor(content, role)
    said = before and next((p for p in content.passages if before.figure in content.figures_named_in(p.text)), None)
    if said:
        return (
            None,
            "",
            f"{unnamed}, but names {before.figure.short_name}, who held the office just before, in §{said.position}.",
        )
    return None, "", f"{unnamed}."


def predecessor(content, role):
    """The other holder whose term of this very office ended when this one began (within a month)."""
    text = normalise(office_text(role))
    ended = [
        r
        for r in content.roles
        if r.figure != role.figure
        and normalise(office_text(r)) == text
        and r.end_date
        and abs((role.start_date - r.end_date).days) <= 31
    ]
    return max(ended, key=lambda r: r.end_date, default=None)


def wording_note(content, role, cited=None) -> tuple[str, str, object]:
    """What to say of the interview's own name for the office: a sentence for the lead and,
    when historians reject that name ("the minister of state security" for Yagoda's post),
    their reason for what follows. Where no words historians corroborate are `cited` for the
    office, a right name in a claim judged wrong is said to be so, and why: "the first deputy
    of the defense commissar" for Tukhachevsky in 1934, two years early; "the central
    committee would elect the secretary general" of a plenum that elected none. Third, the claim
    whose reason it gives, for the sources (or None)."""
    if not role.interview_wording:
        return "", "", None
    rejected = next((c for c in content.claims_about_figure(role.figure) if doubts_title(c, role)), None)
    if rejected is not None:
        return (
            f" The interview calls this office “{role.interview_wording}” (§{rejected.passage.position}), in words"
            f" historians judge {rejected.assessment}.",
            note_opening(rejected.note),
            rejected,
        )
    if cited is not None:
        return f" The interview calls this office “{role.interview_wording}”.", "", None
    wrong = content.wrong_claim_with_wording(role)
    if wrong is not None:
        # The claim said in full: "in a claim judged contradicted" alone read as the title judged
        # wrong (the twelfth review), when it is what the claim says of 1934 that is.
        reported = content.reported(wrong)
        # What it only suggests is said as suggested: "in 1934" for Tukhachevsky's post is the
        # context's, not the interview's words (the twenty-fourth review).
        suggested = "it suggests " if reported.verb == "suggests" else ""
        said = f": {suggested}that {reported.clause_naming_speaker()}" if reported.verb else ""
        return (
            f" The interview uses the words “{role.interview_wording}” (§{wrong.passage.position}) in a claim"
            f" historians judge {wrong.assessment}{said}.",
            note_opening(wrong.note),
            wrong,
        )
    where = next((p for p in content.passages if role.interview_wording.casefold() in p.text.casefold()), None)
    at = f" (§{where.position})" if where else ""
    return f" The interview calls this office “{role.interview_wording}”{at}.", "", None


def generate(content, rng):
    for role in content.asked_roles():
        yield who_held(content, rng, role)
        yield office_of(content, rng, role)


def role_draft(
    content, rng, kind, key, role, *, prompt, right, chosen, explanation, base_difficulty, more="", also_cited=()
):
    """A question on one role, cited where the interview speaks of it: the closer its wrong
    choices, and the more of them, the harder. `explanation` is the lead (who held the office
    when); `more` and where the interview speaks of it follow it. The sources close it: the
    role's, and those of `also_cited`, the other offices its words date."""
    passage, quote, source_note = citation(content, role)
    said, because, judged = wording_note(content, role, cited=passage)
    bonus = 0.1 if len(chosen) == 3 else 0
    lead, detail = lead_and_detail(role, explanation, said, because, [more, source_note])
    return QuestionDraft(
        kind=kind,
        generator_key=key,
        prompt=prompt,
        options=choice_options(rng, key, right, chosen),
        explanation=paragraphs(
            lead,
            detail,
            # Each office dated is cited (the handbook for the 1930s is no source for Trotsky's
            # Railways of 1920: the twenty-second review), and the claim whose reason it gives
            # (the 1934 plenum's: the twenty-fourth).
            sources_line(role, *also_cited, *filter(None, [judged])),
        ),
        passage=passage,
        quote=quote,
        figures=[role.figure],
        difficulty=clamp_difficulty(base_difficulty + 0.45 * mean_closeness(chosen) + bonus),
    )


def lead_and_detail(role, explanation, said, because, rest) -> tuple[str, str]:
    """The lead (who held the office when) and what follows it. An office asked with no end
    (Stalin's General Secretaryship) is qualified at once: "from 1922" alone, beside "the plenum
    of 1934 named no General Secretary", argued with itself (the twenty-third review); the
    interview's words follow. Otherwise why historians reject those words comes with them where
    it fits (folded, it left a verdict with no reason: the twenty-second review), and the office's
    own qualification (a title out of use, a convention) opens what follows."""

    def joined(*parts) -> str:
        return " ".join(part.strip() for part in parts if part and part.strip())

    if role.note and not role.end_date:
        return joined(explanation, role.note), joined(said, because, *rest)
    lead = explanation + said
    if because and len(f"{lead} {because}".split()) <= LEAD_WORDS:
        return joined(lead, because), joined(role.note, *rest)
    return lead, joined(role.note, because, *rest)


def holder_closeness(content, role, figure) -> float:
    """How plausible a wrong holder is: in office at the same time, in the same body or one of
    the same kind (the army, the police: a civilian offered for a military post is passed over
    unread), or at least someone who held office."""
    span = span_of(role)
    organisation = normalise(role.organisation)
    kind = office_kind(role)
    theirs = content.roles_of(figure)
    score = 2.0 if any(overlaps(span, span_of(r)) for r in theirs) else 0.0
    score += 1 if organisation and any(normalise(r.organisation) == organisation for r in theirs) else 0
    score += 2.5 if kind != "other" and any(office_kind(r) == kind for r in theirs) else 0
    score += 0.5 if theirs else 0
    return score / 6.0


def other_holders_note(content, role) -> tuple[str, list[Role]]:
    """Who else held this office, with when, or one of a like name, named in the explanation
    (they are why those people are not among the wrong choices, but the note says history, not
    how the choices were drawn: the nineteenth review). A differently named office says its name
    ("Lenin held a like one (Chairman of the Council of People's Commissars)"). With the note,
    the offices it names, for their sources."""
    text = normalise(office_text(role))
    same: set[str] = set()
    terms: dict[str, list[Role]] = {}  # each other holder's terms of this very office
    like: dict[str, set[str]] = {}
    qualified: dict[str, str] = {}
    by_name: dict[str, list[Role]] = {}  # the offices behind each name, for the sources of those said

    def called(figure) -> str:
        # The full name where a namesake is in the content: "Kaganovich also held this office"
        # beside Mikhail Kaganovich among the wrong choices read as naming him (the sixteenth review).
        return figure.name if any(same_surname(figure, other) for other in content.all_figures) else figure.short_name

    # The holder's own other terms of this office come first ("Tomsky held it also from 1918 to
    # 1921"): named beside another holder's term but not his own, the note reads as his only one.
    own_roles = [
        r for r in content.roles if r is not role and r.figure == role.figure and normalise(office_text(r)) == text
    ]
    own = [span_words(r) for r in own_roles]
    for r in content.roles:
        # Only offices of a like name: the wider exclusion (two top posts of one body at one
        # time) would fill the note with every district commander.
        if r.figure == role.figure or content.same_person_risk(r.figure, role.figure) or not same_office(r, role):
            continue
        by_name.setdefault(called(r.figure), []).append(r)
        if normalise(office_text(r)) == text and r.note and not r.asked:
            # A lesser tenure listed only to keep its holder out of the wrong choices, with its
            # qualification (Lenin's Pravda "in effect rather than by title", Trotsky's the Vienna
            # émigré paper): said with it, never a bare "also held". An asked role's note
            # (a wording, a calendar) qualifies nothing: its holder held this office.
            qualified[called(r.figure)] = r.note.strip().rstrip(".")
        elif normalise(office_text(r)) == text:
            same.add(called(r.figure))
            terms.setdefault(called(r.figure), []).append(r)
        elif called(r.figure) not in {n for names in like.values() for n in names}:
            like.setdefault(office_text(r), set()).add(called(r.figure))
    # Someone named with a qualified tenure of this office is not named again for a like one
    # (Stalin, a secretary "as its General Secretary", is not also listed as General Secretary).
    for names in like.values():
        names -= set(qualified)
    if same and len(same) <= MOST_DATED_SAID:
        # By when they held it, in order: "Yezhov held it from September 1936 to November 1938".
        dated = sorted(same, key=lambda name: min(r.start_date for r in terms[name]))
        parts = [f"{name} held it {' and '.join(span_words(r) for r in terms[name])}" for name in dated]
        # "Among": the content lists some holders, not all, and a bare list read as a handover
        # (Kalinin's chair "then" Voroshilov's of 1953, with Shvernik's between: the twenty-first review).
        parts[0] = f"among its other holders, {parts[0]}"
        cited = [r for name in dated for r in terms[name]]
    else:
        cited = []
        parts = [f"{names_joined(sorted(same))} also held this office"] if same else []
    qualified = {name: note for name, note in qualified.items() if name not in same}
    if len(qualified) > MOST_QUALIFIED_SAID:
        # Six qualifications in one sentence bury the point (the twelfth review, on Pravda), and
        # lumped without them they say what is untrue of some (Trotsky's was the Vienna Pravda,
        # the seventeenth review): past a few, they are not named at all.
        qualified = {}
    for name, note in sorted(qualified.items()):
        parts.append(f"{name} also held it ({note[0].lower() + note[1:]})")
        cited += by_name.get(name, [])
    if own:
        parts.insert(0, f"{called(role.figure)} held it also {' and '.join(own)}")
    for office, names in sorted(like.items(), key=lambda item: sorted(item[1])):
        if names - same:
            # Undated, so "at one time or another": a bare list of the Central Committee's
            # secretaries read as serving together, Molotov (to 1930) beside Yezhov (from 1935).
            parts.append(f"{names_joined(sorted(names - same))} held a like one ({office}) at one time or another")
    if not parts:
        return "", []
    said = "; ".join(parts)
    return f" {said[0].upper()}{said[1:]}.", [*own_roles, *cited]


# Past this many holders with qualifications, they are named without them.
MOST_QUALIFIED_SAID = 2
# Past this many other holders, they are named without their dates.
MOST_DATED_SAID = 3


def names_joined(names) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def who_held(content, rng, role):
    key = f"{Kind.WHO_HELD_ROLE}:{role.key}"
    person = role.figure
    # Nobody dead by the office's first year: Lenin for a chair of 1953, or Stalin (died March
    # 1953) for one from later that month, is rejected without thought.
    start, end = span_of(role)
    candidates = [
        f
        for f in content.subjects
        if not content.same_person_risk(f, person)
        and not same_surname(f, person)  # "Sergei Kamenev" against Lev, whom the interview calls "Kamenev"
        and not content.ever_held(f, role)
        and not (f.death_year and f.death_year <= start.year)
        # Nor the usual guess (Stalin): offered for a deputy's chair, a district command or an
        # editorship he is ruled out by the interview itself (the fourteenth review).
        and f != content.default_guess
    ]
    # Of those who died before the office's last year, one at most: three wrong names all shot
    # in 1937 leave the survivor as the answer for a chair held to 1948; none at all left only
    # civilians for Voroshilov's Defence to 1940, the commanders shot in 1937 being ruled out
    # (the fourteenth review). An open end (Stalin's General Secretaryship, whose end is a
    # matter of convention) is asked by its start alone, so whoever was alive then is fair.
    last_year = min(end.year, role.figure.death_year or end.year) if role.end_date else start.year

    def died_in_office_years(f) -> bool:
        return bool(f.death_year and f.death_year < last_year)

    # And only people in public life then, where there are enough: Trotsky, deported in 1929,
    # for an office of 1934 is ruled out by his exile, not by knowing who held it.
    active = [f for f in candidates if in_public_life(content, f, role)]
    if len(active) >= 3:
        candidates = active
    # And, where there are enough, only people alive to its last year: one dead in the office's
    # years is ruled out by his death alone (Sergei Kamenev, d. 1936, for a post to 1937: the
    # twenty-sixth review). Unless only the dead are of the office's own kind (the commanders shot
    # in 1937, for Voroshilov's Defence): then the group rule below allows one of them.
    survivors = [f for f in candidates if not died_in_office_years(f)]
    kind = office_kind(role)

    def alike(f) -> bool:
        return kind != "other" and any(office_kind(r) == kind for r in content.roles_of(f))

    if len(survivors) >= 3 and (any(alike(f) for f in survivors) or not any(alike(f) for f in candidates)):
        candidates = survivors
    chosen = choose_distractors(
        rng,
        key,
        candidates,
        text=lambda f: f.name,
        closeness=lambda f: holder_closeness(content, role, f),
        forbidden=content.names(person),
        # One Kamenev at a time, and one of those who died in the office's years.
        group=lambda f: "died" if died_in_office_years(f) else normalise(f.name).split()[-1],
    )
    if len(chosen) < MIN_DISTRACTORS:
        return Skip(Kind.WHO_HELD_ROLE, key, "too few people who could plausibly, but wrongly, be named")
    office = office_in_sentence(role)
    more, also_cited = other_holders_note(content, role)
    return role_draft(
        content,
        rng,
        Kind.WHO_HELD_ROLE,
        key,
        role,
        prompt=f"Which of these people was {office} {span_words(role)}?",
        right=person.name,
        chosen=chosen,
        explanation=f"{person.name} was {office} {span_words(role)}.",
        more=more,
        also_cited=also_cited,
        base_difficulty=0.25,
    )


# Out of every office this long before another's start, a person's career reads as over.
PUBLIC_LIFE_YEARS = 3


def in_public_life(content, figure, role) -> bool:
    """Whether the figure's career was not over by the role's start: some office of theirs ends
    after the years just before it, or starts later (a rising man), or none is known."""
    start = span_of(role)[0]
    since = start.replace(year=start.year - PUBLIC_LIFE_YEARS, day=1)
    held = content.roles_of(figure)
    return not held or any(span_of(r)[1] >= since for r in held)


def office_closeness(role, other) -> float:
    """How plausible a wrong office is: held at the same time, in the same body or of the same
    kind (an army post for a soldier: beside three civilian ones the key is found unread)."""
    organisation = normalise(role.organisation)
    kind = office_kind(role)
    score = 2.0 if overlaps(span_of(role), span_of(other)) else 0.0
    score += 1 if organisation and normalise(other.organisation) == organisation else 0
    # Of the same kind, a civilian post among civilian ones too: Rykov's Communications among
    # three army posts was the only civilian choice (the fourteenth review).
    score += 2.5 if office_kind(other) == kind else 0
    return score / 5.5


def office_existence(content, role):
    """The years the office is known to have existed: from its first holder's start to its
    last holder's end, among the holders the content lists."""
    text = normalise(office_text(role))
    spans = [span_of(r) for r in content.roles if normalise(office_text(r)) == text]
    return min(start for start, _ in spans), max(end for _, end in spans)


def wrong_offices(content, rng, key, role):
    """Offices the person never held, nor anyone of the same surname, of any other
    holder; ties between the same office held by several people collapse because the text
    repeats."""
    person = role.figure
    own_offices = [office_text(r) for r in content.roles_of(person)]
    own_normalised = {normalise(t) for t in own_offices}
    # Nor an office a namesake held: "Chief of Staff of the Red Army" for Lev Kamenev traps a
    # student who half-remembers that a Kamenev (Sergei) held it.
    namesakes = [f for f in content.all_figures if same_surname(f, person)]
    candidates = [
        r
        for r in content.asked_roles()
        if r.figure != person
        and not content.ever_held(person, r)
        and not any(content.ever_held(f, r) for f in namesakes)
        and normalise(office_text(r)) not in own_normalised
    ]
    # An office nobody held in the question's years (a commissariat set up later, one abolished
    # before) is rejected by its date alone, so it is never offered.
    candidates = [r for r in candidates if overlaps(span_of(role), office_existence(content, r))]
    # Nor one only the usual guess held: "General Secretary" for anyone but Stalin is struck out
    # by every student (the thirteenth review), leaving three choices in effect.
    guess = content.default_guess
    if guess is not None and person != guess:
        candidates = [r for r in candidates if holders_of(content, r) != {guess.pk}]
    return choose_distractors(
        rng,
        key,
        candidates,
        text=office_text,
        closeness=lambda other: office_closeness(role, other),
        forbidden=own_offices,
        identity=normalise,
        # One office of a body: the Comintern's chair and its "leading member" side by side
        # read as one post twice.
        group=lambda other: normalise(other.organisation) or other.key,
    )


def same_span_roles(content, role) -> list:
    """The person's other offices held over exactly the same span (Yezhov's Central Committee
    secretaryship and Party Control chairmanship, both February 1935 to March 1939)."""
    return [r for r in content.roles_of(role.figure) if r != role and span_words(r) == span_words(role)]


def holders_of(content, role) -> set[int]:
    """Everyone the content lists as holding the role's office, by its name."""
    text = normalise(office_text(role))
    return {r.figure_id for r in content.roles if normalise(office_text(r)) == text}


def office_prompt(content, role) -> str:
    person = role.figure
    # Two offices held over the same span would make two questions with one prompt and two
    # different answers: name the other one in the prompt.
    same_span = same_span_roles(content, role)
    if same_span:
        return (
            f"Besides being {office_in_sentence(same_span[0])}, which of these offices did {person.name} "
            f"hold {span_words(role)}?"
        )
    return f"Which of these offices did {person.name} hold {span_words(role)}?"


def office_of(content, rng, role):
    key = f"{Kind.ROLE_OF_FIGURE}:{role.key}"
    # Of offices held over one span, one is asked, the other named in its prompt: asked both
    # ways, each prompt gives the other's answer.
    asked = content.asked_roles(role.figure)
    earlier = [r for r in same_span_roles(content, role) if r in asked and asked.index(r) < asked.index(role)]
    if earlier:
        return Skip(Kind.ROLE_OF_FIGURE, key, f"named in the prompt of {Kind.ROLE_OF_FIGURE}:{earlier[0].key}")
    chosen = wrong_offices(content, rng, key, role)
    if len(chosen) < MIN_DISTRACTORS:
        return Skip(Kind.ROLE_OF_FIGURE, key, "too few other offices to offer as wrong choices")
    return role_draft(
        content,
        rng,
        Kind.ROLE_OF_FIGURE,
        key,
        role,
        prompt=office_prompt(content, role),
        right=office_text(role),
        chosen=chosen,
        explanation=f"{role.figure.name} was {office_in_sentence(role)} {span_words(role)}.",
        base_difficulty=0.3,
        # An office named in the prompt beside it is dated by it too.
        also_cited=same_span_roles(content, role),
    )
