"""Edits in the admin keep the question bank honest: a change to what a question rests on
retires it ("source facts changed") and puts a regenerated one in its place in the same save,
teachers' sets follow, past answers keep the question they answered, and the editor is told."""

import html
import json

import pytest
from django.urls import reverse

from history import hooks
from history.models import Assessment, Claim, Event, Figure, Role
from quiz.generation import generate
from quiz.models import Answer, Kind, Option, Question, SetItem

from . import factories
from .generation_builders import correct

pytestmark = pytest.mark.django_db

FACTS_CHANGED = "source facts changed"


@pytest.fixture
def bank(study):
    """The small study content and the questions generated from it."""
    generate()
    return {q.generator_key: q for q in Question.objects.live()}


def admin_url(obj, view="change"):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}", args=[obj.pk])


def form_data(form) -> dict:
    """What the browser posts for `form` as the page shows it: unchecked boxes and empty
    choices left out, as a browser leaves them."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[form.add_prefix(name)] = "on" if value is True else value
    return data


def change_form(client, obj) -> tuple[str, dict]:
    """The admin change page of `obj`: its address and its form's data, inlines included."""
    url = admin_url(obj)
    context = client.get(url).context
    data = form_data(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        data |= form_data(inline.formset.management_form)
        for form in inline.formset.forms:
            data |= form_data(form)
    return url, data


def save(client, obj, **changes):
    """Post `obj`'s change page with `changes` to its fields; the page after the redirect."""
    url, data = change_form(client, obj)
    response = client.post(url, data | changes, follow=True)
    assert response.redirect_chain, response.context["adminform"].form.errors
    return response


def messages_on(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def retired() -> dict[str, str]:
    """The slots whose questions were retired, and why."""
    return dict(Question.objects.filter(is_retired=True).values_list("generator_key", "retired_reason"))


def assert_only_on(**lookup) -> int:
    """Every question retired was replaced because its facts changed, those on the edited
    content (`lookup` filters questions to it) among them. Others may follow: the whole bank is
    regenerated, so a question offering the edited person as a wrong choice changes too.
    Returns how many were replaced."""
    replaced = Question.objects.filter(is_retired=True)
    assert set(retired().values()) == {FACTS_CHANGED}
    assert replaced.filter(**lookup).exists()
    return replaced.count()


def replaced_message(count, sets=None) -> str:
    """The admin's message for `count` questions replaced (and `sets` set items moved)."""
    noun = "question" if count == 1 else "questions"
    items = f"; teachers' sets updated ({sets} item{'' if sets == 1 else 's'})" if sets else ""
    return f"{count} {noun} replaced{items}."


def replacement(question) -> Question:
    """The live question in the slot `question` filled."""
    return Question.objects.live().get(generator_key=question.generator_key)


def assert_replaced(question) -> Question:
    """`question` is retired because its facts changed; returns the new live one in its slot."""
    question.refresh_from_db()
    assert question.is_retired and question.retired_reason == FACTS_CHANGED
    new = replacement(question)
    assert new.pk != question.pk
    return new


def test_a_changed_assessment_replaces_its_question_and_the_teachers_set_follows(staff_client, bank, teacher):
    old = bank["claim_assessment:congress-votes"]
    assert correct(old) == ["Disputed by historians"]
    teachers_set = factories.question_set(teacher, [old, bank["when:shakhty-trial"]])

    response = save(staff_client, Claim.objects.get(key="congress-votes"), assessment=Assessment.CORROBORATED)

    new = assert_replaced(old)
    assert correct(new) == ["Corroborated by historians"]
    count = assert_only_on(claim__key="congress-votes")
    items = SetItem.objects.filter(question_set=teachers_set).order_by("position")
    assert [item.question for item in items] == [new, bank["when:shakhty-trial"]]
    assert replaced_message(count, sets=1) in messages_on(response)


def test_past_answers_keep_the_question_they_answered(staff_client, bank, student):
    old = bank["claim_assessment:congress-votes"]
    attempt = factories.take(student, [(old, True)])

    save(staff_client, Claim.objects.get(key="congress-votes"), assessment=Assessment.CONTRADICTED)

    assert_replaced(old)
    assert list(Answer.objects.filter(item__attempt=attempt).values_list("question", flat=True)) == [old.pk]
    assert [item.question_id for item in attempt.items.all()] == [old.pk]


def test_a_changed_note_replaces_the_question_explaining_it(staff_client, bank):
    old = bank["claim_assessment:yezhov-1936"]

    response = save(staff_client, Claim.objects.get(key="yezhov-1936"), note="Yezhov took over in September 1936.")

    assert "Yezhov took over in September 1936." in assert_replaced(old).explanation
    assert replaced_message(assert_only_on(claim__key="yezhov-1936")) in messages_on(response)


def test_marking_claims_in_bulk_replaces_their_questions(staff_client, bank):
    claims = list(Claim.objects.filter(key__in=["congress-votes", "kirov-killed-1934"]))
    response = staff_client.post(
        reverse("admin:history_claim_changelist"),
        {"action": "mark_contradicted", "_selected_action": [c.pk for c in claims]},
        follow=True,
    )
    for key in ("claim_assessment:congress-votes", "claim_assessment:kirov-killed-1934"):
        assert correct(assert_replaced(bank[key])) == ["Contradicted by historians"]
    count = assert_only_on(claim__in=claims)
    assert replaced_message(count) in messages_on(response)


def test_an_edit_that_changes_nothing_replaces_nothing(staff_client, bank):
    response = save(staff_client, Claim.objects.get(key="congress-votes"))

    assert "No questions changed." in messages_on(response)
    assert set(Question.objects.live()) == set(bank.values())
    assert retired() == {}


def test_a_role_end_date_edited_on_the_figure_page_replaces_the_questions_on_that_role(staff_client, bank):
    yagoda = Figure.objects.get(key="yagoda")
    role = Role.objects.get(key="yagoda-nkvd")
    url, data = change_form(staff_client, yagoda)
    prefix = next(name[: -len("-key")] for name, value in data.items() if value == role.key)
    response = staff_client.post(url, data | {f"{prefix}-end_date": "1936-09-30"}, follow=True)

    new = assert_replaced(bank["who_held_role:yagoda-nkvd"])
    assert "30 September 1936" in new.prompt
    assert replaced_message(assert_only_on(figures=yagoda)) in messages_on(response)


def test_a_role_moved_to_another_figure_is_asked_of_its_new_holder(staff_client, bank):
    role = Role.objects.get(key="yagoda-nkvd")
    response = save(staff_client, role, figure=Figure.objects.get(key="yezhov").pk)

    new = assert_replaced(bank["who_held_role:yagoda-nkvd"])
    assert correct(new) == ["Nikolai Yezhov"]
    assert list(new.figures.all()) == [Figure.objects.get(key="yezhov")]
    assert replaced_message(assert_only_on(figures__key__in=["yagoda", "yezhov"])) in messages_on(response)


def test_a_role_no_longer_asked_retires_its_questions(staff_client, bank):
    role = Role.objects.get(key="yagoda-nkvd")
    response = save(staff_client, role, asked="")

    assert not Question.objects.live().filter(generator_key__endswith=":yagoda-nkvd").exists()
    assert retired()["who_held_role:yagoda-nkvd"]
    assert any("retired" in m for m in messages_on(response))
    # Nor is the office offered as a wrong one to anyone else: it is no longer drilled at all.
    assert not Option.objects.filter(
        question__in=Question.objects.live(), text="People's Commissar for Internal Affairs"
    ).exists()


def test_a_deleted_role_retires_its_questions(staff_client, bank):
    role = Role.objects.get(key="yagoda-nkvd")
    response = staff_client.post(admin_url(role, "delete"), {"post": "yes"}, follow=True)

    assert retired()["who_held_role:yagoda-nkvd"] == "content removed"
    # Questions that offered Yagoda as a wrong holder of another office may change too.
    assert set(retired().values()) <= {"content removed", FACTS_CHANGED}
    assert any("1 retired" in m or "1 question retired" in m for m in messages_on(response))
    assert Question.objects.live().count() == len(bank) - 1


def test_a_changed_event_date_replaces_its_when_question(staff_client, bank):
    murder = Event.objects.get(key="kirov-assassination")
    response = save(staff_client, murder, start_date="1934-12-02")

    new = assert_replaced(bank["when:kirov-assassination"])
    assert correct(new) == ["2 December 1934"]
    # Every kind is regenerated: the questions ordering or matching the murder's date go too.
    assert set(Question.objects.filter(is_retired=True).values_list("kind", flat=True)) > {Kind.WHEN}
    assert replaced_message(assert_only_on(events=murder)) in messages_on(response)


def test_a_deleted_event_retires_the_questions_that_named_it(staff_client, bank):
    trial = Event.objects.get(key="shakhty-trial")
    staff_client.post(admin_url(trial, "delete"), {"post": "yes"}, follow=True)

    assert retired()["when:shakhty-trial"] == "content removed"
    assert not Question.objects.live().filter(generator_key="when:shakhty-trial").exists()


def test_a_figure_renamed_replaces_the_questions_naming_them(staff_client, bank):
    yagoda = Figure.objects.get(key="yagoda")
    response = save(staff_client, yagoda, name="Genrikh Grigoryevich Yagoda")

    new = assert_replaced(bank["who_held_role:yagoda-nkvd"])
    assert correct(new) == ["Genrikh Grigoryevich Yagoda"]
    assert replaced_message(assert_only_on(figures=yagoda)) in messages_on(response)
    # Nor does the old name live on as a wrong choice in questions about other people.
    assert not Option.objects.filter(question__is_retired=False, text="Genrikh Yagoda").exists()


def test_the_edit_and_its_questions_are_one_save(staff_client, bank, monkeypatch):
    from quiz import content_sync

    def broken(summary):
        raise RuntimeError("regeneration failed")

    monkeypatch.setattr(content_sync, "changes_sentence", broken)
    claim = Claim.objects.get(key="congress-votes")
    url, data = change_form(staff_client, claim)
    staff_client.raise_request_exception = False
    response = staff_client.post(url, data | {"assessment": Assessment.CORROBORATED})
    assert response.status_code == 500
    claim.refresh_from_db()
    assert claim.assessment == Assessment.DISPUTED
    assert retired() == {}


@pytest.fixture
def reported(monkeypatch):
    """What the admin tells history's hook, instead of regenerating: one dict per edit."""
    calls = []
    monkeypatch.setattr(hooks, "_content_changed", [lambda **rows: calls.append(rows) or ""])
    return calls


def test_an_edit_reports_the_rows_it_named_before_and_after(staff_client, study, reported):
    kirov, stalin, yezhov, yagoda = (Figure.objects.get(key=k) for k in ("kirov", "stalin", "yezhov", "yagoda"))
    claim = Claim.objects.get(key="congress-votes")
    save(staff_client, claim, figures=[yezhov.pk])
    save(staff_client, Role.objects.get(key="yagoda-nkvd"), figure=yezhov.pk)

    congress = Event.objects.get(key="seventeenth-congress")
    assert reported == [
        {"figures": {kirov.pk, stalin.pk, yezhov.pk}, "events": {congress.pk}, "claims": {claim.pk}},
        {"figures": {yagoda.pk, yezhov.pk}, "events": set(), "claims": set()},
    ]


def test_decoys_chosen_in_the_admin_rebuild_the_find_the_evidence_question(staff_client, db):
    # Claim.decoys: a curator names the sentences on a claim's subject that do not make it.
    from .generation_builders import claim, figure, live, passage, texts

    kirov = figure("kirov", "Sergei Kirov", "Kirov")
    psg = passage(
        "The congress gave more votes to Kirov than to Stalin. The court was open to the public at the time. "
        "The congress met in Moscow in the winter."
    )
    votes = claim(
        "votes", "Maskharashvili says Kirov won more votes.", "gave more votes to Kirov", psg=psg, figures=[kirov]
    )
    claim("court", "Maskharashvili says the court sat in public.", "The court was open to the public", psg=psg)
    claim("winter", "Maskharashvili says the congress met in winter.", "The congress met in Moscow", psg=psg)
    nearby = passage("Kirov was the party secretary for Leningrad for many years.")
    secretary = claim("secretary", "Maskharashvili says Kirov led Leningrad.", nearby.text, psg=nearby, figures=[kirov])
    generate()
    assert not live(Kind.FIND_EVIDENCE).filter(generator_key="find_evidence:votes").exists()

    save(staff_client, votes, decoys=[str(secretary.pk)])

    assert list(votes.decoys.all()) == [secretary]
    assert f"§{nearby.position}: “{nearby.text}”" in texts(live(Kind.FIND_EVIDENCE, "find_evidence:votes"))


def test_wrong_wordings_given_in_the_admin_make_the_office_gap_fill(staff_client, bank):
    # An office's gap-fill is asked only with curated wrong wordings (Role.wording_misses): giving
    # them on the role's page adds it in the same save, and the editor is told.
    role = Role.objects.get(key="tukhachevsky-deputy-commissar")
    assert not any(key.startswith("cloze:office:") for key in bank)
    misses = ["the chief of staff of the army", "the commander of the Moscow military district"]
    response = save(staff_client, role, wording_misses=json.dumps(misses))

    gap = Question.objects.live().get(generator_key__startswith="cloze:office:")
    assert correct(gap) == ["the first deputy of the defense commissar (minister)"]
    assert set(gap.options.values_list("text", flat=True)) == {correct(gap)[0], *misses}
    assert any("added" in m for m in messages_on(response))


def test_a_wrong_wording_that_is_the_interviews_own_is_refused_in_the_admin(staff_client, bank):
    role = Role.objects.get(key="tukhachevsky-deputy-commissar")
    url, data = change_form(staff_client, role)
    own = json.dumps([role.interview_wording, "the chief of staff of the army"])
    response = staff_client.post(url, data | {"wording_misses": own})
    assert response.status_code == 200
    assert "The interview's own wording cannot be a wrong one." in html.unescape(response.content.decode())
    role.refresh_from_db()
    assert role.wording_misses == [] and Question.objects.filter(is_retired=True).count() == 0
