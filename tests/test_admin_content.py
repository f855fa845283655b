"""The admin is where content is curated: every page loads, search finds aliases, filters and actions work."""

import pytest
from django.contrib import admin
from django.urls import reverse

from history.models import Assessment, Claim, Event, Figure, Passage, Role

pytestmark = pytest.mark.django_db


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_registered_model_has_working_changelist_and_forms(staff_client, interview):
    for model, model_admin in admin.site._registry.items():
        response = staff_client.get(admin_url(model, "changelist"))
        assert response.status_code == 200, model
        if model_admin.has_add_permission(response.wsgi_request):
            assert staff_client.get(admin_url(model, "add")).status_code == 200, model
        obj = model.objects.first()
        if obj is not None:
            assert staff_client.get(admin_url(model, "change", obj.pk)).status_code == 200, model


@pytest.mark.parametrize(
    "term, expected", [("Tukhachevski", "tukhachevsky"), ("Rikov", "rykov"), ("orjonikidze", "ordzhonikidze")]
)
def test_figure_search_finds_aliases(staff_client, interview, term, expected):
    response = staff_client.get(admin_url(Figure, "changelist"), {"q": term})
    keys = [f.key for f in response.context["cl"].result_list]
    assert expected in keys


def test_claim_filters_and_readable_strings(staff_client, interview):
    response = staff_client.get(admin_url(Claim, "changelist"), {"assessment__exact": "contradicted"})
    results = list(response.context["cl"].result_list)
    assert results and all(c.assessment == "contradicted" for c in results)
    assert "[Contradicted by historians]" in str(results[0])
    assert str(Passage.objects.get(position=1)).startswith("§1 GJ:")


def test_event_year_filter_and_role_organisation_filter(staff_client, interview):
    response = staff_client.get(admin_url(Event, "changelist"), {"year": "1934"})
    events = list(response.context["cl"].result_list)
    assert events and all(e.start_date.year == 1934 for e in events)
    assert staff_client.get(admin_url(Event, "changelist"), {"year": "not-a-year"}).status_code == 200

    organisation = Role.objects.exclude(organisation="").values_list("organisation", flat=True).first()
    response = staff_client.get(admin_url(Role, "changelist"), {"organisation": organisation})
    roles = list(response.context["cl"].result_list)
    assert roles and all(r.organisation == organisation for r in roles)


def test_mark_assessment_action(staff_client, interview):
    claims = list(Claim.objects.filter(assessment=Assessment.DISPUTED)[:2])
    response = staff_client.post(
        admin_url(Claim, "changelist"),
        {"action": "mark_unverifiable", "_selected_action": [c.pk for c in claims]},
        follow=True,
    )
    assert "2 claim(s) marked" in response.content.decode()
    assert all(c.assessment == Assessment.UNVERIFIABLE for c in Claim.objects.filter(pk__in=[c.pk for c in claims]))


def test_figure_autocomplete_matches_aliases(staff_client, interview):
    response = staff_client.get(
        "/admin/autocomplete/",
        {"app_label": "history", "model_name": "claim", "field_name": "figures", "term": "Rikov"},
    )
    assert response.status_code == 200
    assert any("Rykov" in r["text"] for r in response.json()["results"])


def test_admin_rejects_a_claim_quote_not_in_its_passage(staff_client, interview):
    claim = Claim.objects.select_related("passage").first()
    url = admin_url(Claim, "change", claim.pk)
    form = staff_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(
        quote="Invented words.", figures=[f.pk for f in claim.figures.all()], events=[e.pk for e in claim.events.all()]
    )
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "does not occur in passage" in response.content.decode()
    claim.refresh_from_db()
    assert claim.quote != "Invented words."


def test_passages_are_read_only_source_text(staff_client, interview):
    passage = Passage.objects.first()
    assert staff_client.get(admin_url(Passage, "add")).status_code == 403
    staff_client.post(admin_url(Passage, "change", passage.pk), {"text": "changed", "speaker": passage.speaker_id})
    passage.refresh_from_db()
    assert passage.text != "changed"


def test_admin_requires_staff(student_client):
    response = student_client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
