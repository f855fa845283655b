"""For the GIFT / Moodle XML tests: upload a file to the importer and confirm it over HTTP,
export a set, and what a question must keep through a round trip (`shape`)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from quiz.models import Kind, Option, QuestionSet


def upload(client, name, content, **extra):
    data = content.encode("utf-8") if isinstance(content, str) else content
    # The upload redirects to the preview page (post/redirect/get); errors answer directly.
    return client.post(reverse("quiz:interop_import"), {"file": SimpleUploadedFile(name, data), **extra}, follow=True)


def confirm(client, preview, title=None):
    form = preview.context["confirm"]
    return client.post(
        reverse("quiz:interop_import_confirm"),
        {"token": form.initial["token"], "title": title if title is not None else form.initial["title"]},
    )


def import_file(client, name, content):
    """Upload and confirm; return the new set."""
    before = set(QuestionSet.objects.values_list("pk", flat=True))
    preview = upload(client, name, content)
    assert preview.status_code == 200, (preview.context or {}).get("import_error") or preview.context["form"].errors
    response = confirm(client, preview)
    assert response.status_code == 302
    (new,) = QuestionSet.objects.exclude(pk__in=before)
    return new


def shape(question):
    """What must survive a round trip, independent of database ids."""
    options = list(question.options.order_by("position", "id"))
    if question.kind == Kind.MATCHING:
        lefts = [o for o in options if o.side == Option.Side.LEFT]
        used = {o.match_id for o in lefts}
        return {
            "pairs": [(o.text, o.match.text) for o in lefts],
            "distractors": sorted(o.text for o in options if o.side == Option.Side.RIGHT and o.pk not in used),
        }
    if question.kind == Kind.CHRONOLOGY:
        return {"order": [o.text for o in sorted(options, key=lambda o: o.correct_position)]}
    return {"options": [(o.text, o.is_correct, o.feedback) for o in options]}


def set_questions(qset):
    return [item.question for item in qset.items.select_related("question").order_by("position")]


def export(client, qset, fmt):
    response = client.get(reverse(f"quiz:interop_export_{fmt}", args=[qset.pk]))
    assert response.status_code == 200
    return response.content.decode("utf-8")
