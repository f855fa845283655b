"""The question bank in the admin: browse and filter, retire, and generate for chosen content."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from history.models import Claim, Event, Figure
from quiz.models import Kind, Question

from .conftest import make_user
from .generation_builders import claim, crowd, event, figure, role

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:quiz_question_changelist"


def test_the_bank_can_be_browsed_and_filtered_by_kind_figure_event_and_difficulty(staff_client, question_bank):
    url = reverse(CHANGELIST)
    response = staff_client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    for title in ["By kind", "By figures", "By events", "By difficulty", "By is retired", "By origin"]:
        assert title in page, title

    response = staff_client.get(url, {"kind__exact": Kind.CLOZE})
    results = list(response.context["cl"].queryset)
    assert results and all(q.kind == Kind.CLOZE for q in results)

    kirov = Figure.objects.get(key="kirov")
    response = staff_client.get(url, {"figures__id__exact": kirov.pk})
    results = list(response.context["cl"].queryset)
    assert results and all(kirov in q.figures.all() for q in results)
    assert len({q.pk for q in results}) == len(results), "no duplicate rows from the many-to-many filter"

    murder = Event.objects.get(key="kirov-assassination")
    response = staff_client.get(url, {"events__id__exact": murder.pk})
    results = list(response.context["cl"].queryset)
    assert results and all(murder in q.events.all() for q in results)
    assert {Kind.WHEN, Kind.CHRONOLOGY} <= {q.kind for q in results}

    response = staff_client.get(url, {"difficulty": "hard"})
    results = list(response.context["cl"].queryset)
    assert results and all(q.difficulty >= 0.67 for q in results)

    response = staff_client.get(url, {"q": "Tukhachevsky"})
    assert response.status_code == 200 and response.context["cl"].result_count > 0


def test_a_generated_question_reads_as_a_record_and_an_admin_can_retire_it(staff_client, question_bank):
    question = question_bank.filter(kind=Kind.WHO_HELD_ROLE).first()
    response = staff_client.get(reverse("admin:quiz_question_change", args=[question.pk]))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "prompt" not in form.fields and "is_retired" in form.fields
    assert question.prompt in response.content.decode()

    chosen = list(question_bank.filter(kind=Kind.CLOZE).values_list("pk", flat=True)[:3])
    response = staff_client.post(
        reverse(CHANGELIST), {"action": "retire_selected", "_selected_action": chosen}, follow=True
    )
    assert "3 question(s) retired" in response.content.decode()
    for retired in Question.objects.filter(pk__in=chosen):
        assert retired.is_retired and retired.retired_reason == "retired by boss" and retired.retired_at
    # Generation respects an admin's decision.
    from quiz.generation import generate

    generate(only=[Kind.CLOZE])
    assert Question.objects.filter(pk__in=chosen, is_retired=True).count() == 3


def test_retiring_a_retired_question_again_keeps_its_reason(staff_client, db):
    old = Question.objects.create(kind=Kind.CLOZE, prompt="Old", is_retired=True, retired_reason="source facts changed")
    live = Question.objects.create(kind=Kind.CLOZE, prompt="Live")
    response = staff_client.post(
        reverse(CHANGELIST), {"action": "retire_selected", "_selected_action": [old.pk, live.pk]}, follow=True
    )
    assert "1 question(s) retired" in response.content.decode()
    old.refresh_from_db()
    assert old.retired_reason == "source facts changed" and old.retired_at is None


def test_a_teachers_question_stays_editable(staff_client, db):
    question = Question.objects.create(kind=Kind.CLOZE, prompt="Mine", origin="teacher")
    response = staff_client.get(reverse("admin:quiz_question_change", args=[question.pk]))
    assert "prompt" in response.context["adminform"].form.fields


@pytest.fixture
def content():
    kirov = figure("kirov", "Sergei Kirov", "Kirov")
    yagoda = figure("yagoda", "Genrikh Yagoda", "Yagoda")
    role(kirov, "First Secretary in Leningrad", "1926", "1934-12-01", key="kirov-leningrad")
    role(yagoda, "People's Commissar for Internal Affairs", "1934-07", "1936-09", key="yagoda-nkvd")
    crowd(4, start_year=1926)
    murder = event("kirov-assassination", "Assassination of Kirov", "1934-12-01", participants=[kirov])
    event("nkvd", "NKVD created", "1934-07-10", participants=[yagoda])
    said = claim(
        "kirov-killed",
        "Maskharashvili says Kirov was killed in 1934.",
        "In 1934 somebody assassinated Kirov.",
        figures=[kirov],
        events=[murder],
    )
    return kirov, yagoda, murder, said


def post_action(client, model, action, objects):
    url = reverse(f"admin:history_{model._meta.model_name}_changelist")
    return client.post(url, {"action": action, "_selected_action": [o.pk for o in objects]}, follow=True)


def test_generate_for_selected_figures_makes_only_their_questions(staff_client, content):
    kirov, yagoda, *_ = content
    response = post_action(staff_client, Figure, "generate_questions_for_selected", [kirov])
    assert response.status_code == 200
    created = Question.objects.all()
    assert created.exists()
    assert all(kirov in q.figures.all() for q in created)
    assert not created.filter(figures=yagoda).exclude(figures=kirov).exists()
    assert (
        f"Questions for 1 selected figures: {created.count()} created, 0 kept, 0 retired." in response.content.decode()
    )

    again = post_action(staff_client, Figure, "generate_questions_for_selected", [kirov])
    assert f"0 created, {created.count()} kept, 0 retired." in again.content.decode()


def test_generate_for_selected_events_and_claims(staff_client, content):
    _, _, murder, said = content
    post_action(staff_client, Event, "generate_questions_for_selected", [murder])
    assert Question.objects.filter(generator_key="when:kirov-assassination").exists()
    assert not Question.objects.filter(generator_key="when:nkvd").exists()
    response = post_action(staff_client, Claim, "generate_questions_for_selected", [said])
    assert "selected claims" in response.content.decode()
    assert Question.objects.filter(claim=said, kind=Kind.CLAIM_ASSESSMENT).exists()


def test_the_generate_action_needs_question_permissions(client, content):
    editor = make_user("editor")
    editor.is_staff = True
    editor.save()
    editor.user_permissions.add(*Permission.objects.filter(content_type__app_label="history"))
    client.force_login(editor)
    response = client.get(reverse("admin:history_figure_changelist"))
    assert response.status_code == 200
    assert "generate_questions_for_selected" not in response.content.decode()
    post_action(client, Figure, "generate_questions_for_selected", [content[0]])
    assert not Question.objects.exists()
