"""The whole bank generated from the interview: enough questions of every kind, each obeying
every rule, each right answer true to the content, and the same bank from the same seed."""

import re

import pytest
from django.db.models import Q

from history.dates import format_partial
from history.models import Claim, Event, Evidence, Figure, Passage, Role, Source, without_insertions
from quiz.generation import generate, generated_kinds
from quiz.generation.content import office_text, option_key, span_of
from quiz.models import Kind, Option, Origin, Question

pytestmark = pytest.mark.django_db

BLANK = "_____"


def name_forms(figure):
    return {
        n.casefold()
        for n in [
            figure.name,
            figure.short_name,
            figure.interview_spelling,
            *figure.aliases.values_list("name", flat=True),
        ]
        if n
    }


def names_in(figure, text):
    """Whether the text names the figure (as a word: "Zinovievites" does not name Zinoviev)."""
    return any(re.search(rf"(?<![\w-]){re.escape(form)}(?![\w-])", text.casefold()) for form in name_forms(figure))


def quoted(prompt):
    """The text between the last pair of curly quotes in a prompt."""
    return re.search(r"“([^“”]*)”\s*$", prompt).group(1)


def _single_shape(options):
    assert len(options) >= 3 and sum(o.is_correct for o in options) == 1


def _ordering_shape(options):
    assert sorted(o.correct_position for o in options) == list(range(1, len(options) + 1))
    assert 3 <= len(options) <= 5


def _matching_shape(options):
    lefts = [o for o in options if o.side == Option.Side.LEFT]
    rights = [o for o in options if o.side == Option.Side.RIGHT]
    assert len(lefts) == len(rights) >= 3 and len(lefts) + len(rights) == len(options)
    assert sorted(o.match_id for o in lefts) == sorted(o.pk for o in rights)


# The options' shape by answer mode (a cloze is answered as single choice).
MODE_SHAPES = {"single": _single_shape, "ordering": _ordering_shape, "matching": _matching_shape}


def check_structure(question, options):
    texts = [o.text for o in options]
    assert all(t.strip() for t in texts), "no empty option"
    assert len({" ".join(t.casefold().split()) for t in texts}) == len(texts), "no duplicate options"
    assert question.prompt.strip() and question.explanation.strip()
    assert 0 <= question.difficulty <= 1
    assert question.origin == Origin.GENERATED and question.generator_key and question.fingerprint
    MODE_SHAPES[question.mode.name](options)
    if question.kind in {Kind.ATTRIBUTION, Kind.CLAIM_ASSESSMENT, Kind.CLOZE}:
        assert question.passage_id and question.quote and question.claim_id, "citation present"
    if question.passage_id:
        assert question.quote in question.passage.text


def check_truth(question, options):
    """The right answer agrees with the content; no wrong answer is also right."""
    kind, _, rest = question.generator_key.partition(":")
    right = [o.text for o in options if o.is_correct]
    wrong = [o.text for o in options if not o.is_correct]
    if kind not in TRUTH_CHECKS:
        pytest.fail(f"unknown kind in {question.generator_key}")
    TRUTH_CHECKS[kind](question, options, rest, right, wrong)


def _who_held_role_is_true(question, options, rest, right, wrong):
    role = Role.objects.select_related("figure").get(key=rest)
    assert right == [role.figure.name]
    for name in wrong:
        other = Figure.objects.get(name=name)
        assert not other.is_participant
        assert name.casefold() not in name_forms(role.figure)
        assert role.title not in set(other.roles.values_list("title", flat=True))


def _role_of_figure_is_true(question, options, rest, right, wrong):
    role = Role.objects.select_related("figure").get(key=rest)
    assert right == [office_text(role)]
    own = {office_text(r) for r in role.figure.roles.all()}
    assert not own & set(wrong)


def _when_is_true(question, options, rest, right, wrong):
    event = Event.objects.get(key=rest)
    pattern = {"year": r"\d{4}", "month": r"[A-Z][a-z]+ \d{4}", "day": r"\d{1,2} [A-Z][a-z]+ \d{4}"}
    if " to " in right[0]:
        # Asked by its run: the run itself, at its ends' coarser precision, and only wrong runs
        # that start elsewhere.
        coarser = min(event.start_precision, event.end_precision, key=list(pattern).index)
        start, end = (format_partial(d, coarser) for d in (event.start_date, event.end_date))
        assert right == [f"{start} to {end}"]
        assert all(re.fullmatch(rf"{pattern[coarser]} to {pattern[coarser]}", o.text) for o in options)
        assert not any(t.startswith(f"{start} ") for t in wrong)
        return
    assert right == [format_partial(event.start_date, event.start_precision)]
    assert all(re.fullmatch(pattern[event.start_precision], o.text) for o in options)
    if event.start_precision == "year":
        start, end = span_of(event)
        assert all(not start.year <= int(t) <= end.year for t in wrong)


def _chronology_is_true(question, options, rest, right, wrong):
    ordered = [Event.objects.get(name=o.text) for o in sorted(options, key=lambda o: o.correct_position)]
    for earlier, later in zip(ordered, ordered[1:]):
        assert span_of(earlier)[1] < later.start_date


def _attribution_is_true(question, options, rest, right, wrong):
    claim = question.claim
    form, _, key = rest.partition(":")
    assert key == claim.key
    if form == "says":
        assert right[0] in claim.statement or right[0][0].lower() + right[0][1:] in claim.statement
        assert question.prompt.startswith("According to the interview")
        # The wrong choices are curated near-misses, nothing made by machine: one of the claim's
        # own, the others of claims by the same speaker beside it, none some claim's statement.
        own = {m["text"] for m in claim.near_misses}
        curated = {m["text"] for c in Claim.objects.filter(speaker=claim.speaker) for m in c.near_misses}
        assert own & set(wrong) and set(wrong) <= curated
        assert not set(wrong) & {c.statement.split(" ", 2)[-1] for c in Claim.objects.all()}
    else:
        person = Figure.objects.get(name=right[0])
        assert names_in(person, claim.statement)
        for name in wrong:
            assert not names_in(Figure.objects.get(name=name), claim.passage.text + " " + claim.statement)
    assert_the_lead_gives_the_verdict(question)


def assert_the_lead_gives_the_verdict(question):
    """What the interview says is never taught as fact: the lead gives the historians' verdict.
    Their note and reference are the claim's, which the feedback shows; they are not copied in."""
    claim = question.claim
    if claim.assessment == "corroborated":
        assert "Historians agree with the interview here." in question.explanation_lead
    else:
        assert f"the claim is {claim.get_assessment_display().lower()}." in question.explanation_lead
    assert claim.note.strip() not in question.explanation


def _claim_assessment_is_true(question, options, rest, right, wrong):
    claim = question.claim
    assert right == [claim.get_assessment_display()]
    # The lead opens with the verdict and why; the note and reference stay the claim's own.
    assert question.explanation_lead.startswith(f"{claim.get_assessment_display()}: ")
    assert claim.note.strip() and claim.reference.strip()
    assert claim.note.strip() not in question.explanation


def _cloze_is_true(question, options, rest, right, wrong):
    gap = quoted(question.prompt)
    # The explanation gives the quote's own words; a name option is the standard spelling of them.
    said = re.match(r"The missing words are “([^”]+)”", question.explanation).group(1)
    assert gap.replace(BLANK, said) == question.claim.quote
    if said != right[0]:
        person = Figure.objects.get(Q(short_name=right[0]) | Q(name=right[0]))
        assert option_key(said) in {option_key(n) for n in name_forms(person)}
        assert f"the interview’s spelling of {right[0]}" in question.explanation
    for text in wrong:
        assert gap.replace(BLANK, text) != question.claim.quote
    if ":year:" in question.generator_key:
        assert question.claim.assessment == "corroborated"
    assert_the_lead_gives_the_verdict(question)


def _matching_is_true(question, options, rest, right, wrong):
    lefts = [o for o in options if o.side == Option.Side.LEFT]
    for left in lefts:
        partner = next(o for o in options if o.pk == left.match_id)
        if rest.startswith("offices:"):
            person = Figure.objects.get(name=left.text)
            assert partner.text in {office_text(r) for r in person.roles.all()}
        else:
            assert Event.objects.get(name=left.text).start_date.year == int(partner.text)


def _sentence_of(option_text):
    """The interview's words in a sentence choice "§8: “…”", an editor's [insertions] taken out."""
    return without_insertions(option_text.split(": “", 1)[1].removesuffix("”"))


def _find_evidence_is_true(question, options, rest, right, wrong):
    claim = question.claim
    assert claim.key == rest and len(right) == 1
    assert claim.quote in _sentence_of(right[0]) and right[0].startswith(f"§{claim.passage.position}:")
    for text in wrong:
        assert claim.quote not in _sentence_of(text)


def _spot_error_is_true(question, options, rest, right, wrong):
    claim = question.claim
    assert claim.assessment == "contradicted" and claim.quote in _sentence_of(right[0])
    # Every claim quoting words of a wrong choice is corroborated.
    for text in wrong:
        sentence = _sentence_of(text)
        position = int(text[1:].split(":", 1)[0])
        for other in Claim.objects.filter(passage__position=position):
            if other.quote in sentence or sentence in other.quote:
                assert other.assessment == "corroborated", (question.generator_key, other.key)


def _evidence_kind_is_true(question, options, rest, right, wrong):
    claim = Claim.objects.get(key=rest)
    labels = dict(Evidence.choices)
    assert right == [labels[claim.evidence]]
    assert not {labels[k] for k in claim.evidence_also} & set(wrong)


def _source_criticism_is_true(question, options, rest, right, wrong):
    what, _, key = rest.partition(":")
    if what == "confirm":
        claim = Claim.objects.get(key=key)
        assert claim.evidence == "no-record" and right == [claim.would_confirm]
    elif what == "publication":
        source = Source.objects.get(key=key)
        named = ("both" if source.date else "publication but not") if source.publication else None
        assert right == ["It names neither the publication nor the date"] if named is None else named in right[0]
    else:
        assert what == "interviewer" and ("does not say" in right[0]) == (not Source.objects.get(key=key).interviewer)


TRUTH_CHECKS = {
    Kind.WHO_HELD_ROLE: _who_held_role_is_true,
    Kind.ROLE_OF_FIGURE: _role_of_figure_is_true,
    Kind.WHEN: _when_is_true,
    Kind.CHRONOLOGY: _chronology_is_true,
    Kind.ATTRIBUTION: _attribution_is_true,
    Kind.CLAIM_ASSESSMENT: _claim_assessment_is_true,
    Kind.CLOZE: _cloze_is_true,
    Kind.MATCHING: _matching_is_true,
    Kind.FIND_EVIDENCE: _find_evidence_is_true,
    Kind.SPOT_ERROR: _spot_error_is_true,
    Kind.EVIDENCE_KIND: _evidence_kind_is_true,
    Kind.SOURCE_CRITICISM: _source_criticism_is_true,
}


def test_the_interview_bank_has_every_kind_and_every_question_obeys_the_rules(interview):
    summary = generate()
    assert not [s for s in summary.skipped if s.reason.startswith("invalid")]
    live = Question.objects.filter(is_retired=False).select_related("passage", "claim").prefetch_related("options")
    assert live.count() >= 150
    assert (
        set(live.values_list("kind", flat=True))
        == set(generated_kinds())
        == {
            Kind.WHO_HELD_ROLE,
            Kind.ROLE_OF_FIGURE,
            Kind.WHEN,
            Kind.CHRONOLOGY,
            Kind.ATTRIBUTION,
            Kind.CLAIM_ASSESSMENT,
            Kind.CLOZE,
            Kind.MATCHING,
            Kind.FIND_EVIDENCE,
            Kind.SPOT_ERROR,
            Kind.EVIDENCE_KIND,
            Kind.SOURCE_CRITICISM,
        }
    )
    for question in live:
        options = list(question.options.all())
        check_structure(question, options)
        check_truth(question, options)
    # The interview's known errors are never the answer to a fact question.
    nep = Claim.objects.get(quote__contains="against the introduction of the NEP")
    assert (
        live.get(generator_key=f"claim_assessment:{nep.key}").options.get(is_correct=True).text
        != "Corroborated by historians"
    )


def test_quotation_marks_hold_only_the_interviews_own_words(interview):
    """Paraphrases, fixture datings and titles are never dressed up as quotations."""
    generate()
    words = " ".join(Passage.objects.values_list("text", flat=True))
    quoted_texts = 0
    for question in Question.objects.filter(is_retired=False):
        for quoted_text in re.findall(r"“([^”]*)”", f"{question.prompt} {question.explanation}"):
            quoted_texts += 1
            # A gap, or an ellipsis where words judged apart are left out, joins quoted parts.
            parts = [part.strip(" ,") for part in re.split(rf"{BLANK}|…", quoted_text)]
            assert all(part in words for part in parts), (question.generator_key, quoted_text)
    assert quoted_texts > 100


def test_same_seed_same_bank_and_a_second_run_creates_nothing(interview):
    first = generate(seed=7)
    bank = sorted(Question.objects.values_list("fingerprint", "prompt", "generator_key"))
    options = sorted(Option.objects.values_list("question__fingerprint", "text", "position", "is_correct"))
    again = generate(seed=7)
    assert again.totals.created == 0 and again.totals.retired == 0
    assert again.totals.kept == first.totals.created
    # A fresh bank from the same content and seed is the same bank.
    Question.objects.all().delete()
    generate(seed=7)
    assert sorted(Question.objects.values_list("fingerprint", "prompt", "generator_key")) == bank
    assert sorted(Option.objects.values_list("question__fingerprint", "text", "position", "is_correct")) == options


def test_a_different_seed_gives_different_fingerprints(interview):
    generate(seed=1)
    one = set(Question.objects.values_list("fingerprint", flat=True))
    Question.objects.all().delete()
    generate(seed=2)
    assert not one & set(Question.objects.values_list("fingerprint", flat=True))


def test_the_conftest_question_bank_fixture(question_bank):
    assert question_bank.count() >= 150
