"""GIFT / Moodle XML import and export (teacher).

Import is upload → preview → confirm. The parsed questions are kept in the teacher's
session under a random token; the confirm form posts only that token (and a title), so
question data is never taken back from the browser. Confirming consumes the token, and
the import runs in one transaction.
"""

import re
import secrets
import time

from django import forms
from django.contrib import messages
from django.contrib.sessions.backends.db import SessionStore as DbSessionStore
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.errors import ApplicationError, Conflict, Invalid, NotFound

from ..interop import gift, moodle_xml
from ..interop.common import (
    FORMAT_LABELS,
    GIFT,
    KIND_LABELS,
    MOODLE_XML,
    TITLE_MAX,
    ImportFailed,
    ParsedFile,
    default_title,
    exportable_sets_for,
    read_upload,
    save_import,
    set_questions,
    slug_filename,
)
from ..roles import teacher_required
from .refusals import status_for

SESSION_KEY = "interop_imports"
DONE_KEY = "interop_imported"
KEEP_PREVIEWS = 3  # parsed previews kept per session; older ones are dropped
PREVIEW_MAX_AGE = 60 * 60  # seconds
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
PARSERS = {GIFT: gift.parse, MOODLE_XML: moodle_xml.parse}


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Question file",
        help_text="GIFT (.gift or .txt) or Moodle XML (.xml), UTF-8, at most 1 MB and 500 questions.",
        widget=forms.ClearableFileInput(attrs={"accept": ".gift,.txt,.xml"}),
    )
    format = forms.ChoiceField(
        label="Format",
        choices=[("auto", "Work it out from the file"), (GIFT, "GIFT"), (MOODLE_XML, "Moodle XML")],
        initial="auto",
        required=False,
    )
    title = forms.CharField(
        label="Title of the new question set",
        required=False,
        max_length=TITLE_MAX,
        help_text="Optional: otherwise taken from the file's category or name.",
    )


class ConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    title = forms.CharField(label="Title of the new question set", max_length=TITLE_MAX)


def _set_page(qset):
    return reverse("quiz:set_detail", args=[qset.pk])


# --- Import ----------------------------------------------------------------------------


@teacher_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    if request.method == "GET":
        return render(request, "quiz/interop/import.html", {"form": ImportForm()})
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "quiz/interop/import.html", {"form": form}, status=400)
    upload = form.cleaned_data["file"]
    try:
        text, fmt = read_upload(upload, form.cleaned_data["format"])
        parsed = PARSERS[fmt](text)
    except ImportFailed as exc:
        return render(
            request,
            "quiz/interop/import.html",
            {"form": form, "import_error": exc.message, "filename": upload.name},
            status=status_for(exc),
        )
    title = form.cleaned_data["title"].strip() or default_title(parsed, upload.name)
    token = secrets.token_urlsafe(24)
    pending = _pending(request)
    pending[token] = {"parsed": parsed.as_dict(), "filename": upload.name, "title": title, "created": time.time()}
    # Keep the session small: only the newest few previews.
    for old in sorted(pending, key=lambda t: pending[t]["created"])[:-KEEP_PREVIEWS]:
        del pending[old]
    request.session[SESSION_KEY] = pending
    # Post/redirect/get: reloading the preview must not upload the file again.
    return redirect("quiz:interop_preview", token)


@teacher_required
@require_GET
def import_preview(request, token):
    entry = _pending(request).get(token) if _TOKEN.match(token) else None
    if entry is None:
        done = (request.session.get(DONE_KEY) or {}).get(token)
        if done:
            messages.info(request, "These questions were already imported.")
            return redirect(_set_page_by_id(request, done))
        return _refuse(request, NotFound("This import preview has expired or is not valid. Upload the file again."))
    confirm = ConfirmForm(initial={"token": token, "title": entry.get("title", "")})
    context = _preview_context(ParsedFile.from_dict(entry["parsed"]), entry["filename"], confirm)
    return render(request, "quiz/interop/preview.html", context)


def _pending(request):
    pending = request.session.get(SESSION_KEY) or {}
    now = time.time()
    return {t: p for t, p in pending.items() if now - p.get("created", 0) < PREVIEW_MAX_AGE}


def _preview_context(parsed: ParsedFile, filename, confirm):
    return {
        "confirm": confirm,
        "filename": filename,
        "format_label": FORMAT_LABELS[parsed.format],
        "questions": parsed.questions,
        "skipped": parsed.skipped,
        "categories": parsed.categories,
    }


@teacher_required
@require_POST
def import_confirm(request):
    form = ConfirmForm(request.POST)
    token = request.POST.get("token", "")
    if not _TOKEN.match(token):
        return _refuse(request, Invalid("This import preview is not valid. Upload the file again."))
    done = request.session.get(DONE_KEY) or {}
    pending = _pending(request)
    if token in done:
        messages.info(request, "These questions were already imported; nothing was imported twice.")
        return redirect(_set_page_by_id(request, done[token]))
    entry = pending.get(token)
    if entry is None:
        return _refuse(request, Invalid("This import preview has expired or is not valid. Upload the file again."))
    parsed = ParsedFile.from_dict(entry["parsed"])
    if not form.is_valid():
        context = _preview_context(parsed, entry["filename"], form)
        return render(request, "quiz/interop/preview.html", context, status=400)
    try:
        with transaction.atomic():
            # Two confirmations racing (a double click, possibly on two server processes)
            # both get here; the session row lock lets only the first one import.
            if not _still_pending(request, token):
                return _refuse(
                    request, Conflict("This import has already been saved. Open your question sets to see it.")
                )
            qset = save_import(parsed, owner=request.user, title=form.cleaned_data["title"].strip())
            pending.pop(token, None)
            request.session[SESSION_KEY] = pending
            done[token] = qset.pk
            request.session[DONE_KEY] = dict(list(done.items())[-10:])
            # Saved inside the transaction, so the next confirmation sees the token consumed.
            request.session.save()
    except ImportFailed as exc:
        return _refuse(request, exc)
    count = len(parsed.questions)
    messages.success(request, f"Imported {count} question{'s' if count != 1 else ''} into “{qset.title}” (private).")
    return redirect(_set_page(qset))


def _still_pending(request, token):
    """Lock the teacher's session row and check the token is still unconsumed there (not
    just in this request's copy of the session, loaded before any lock)."""
    if not isinstance(request.session, DbSessionStore):
        # Other session engines: an atomic cache add stands in for the row lock.
        return cache.add(f"interop-import:{token}", "1", timeout=PREVIEW_MAX_AGE)
    row = Session.objects.select_for_update().filter(session_key=request.session.session_key).first()
    if row is None:
        return False
    stored = row.get_decoded()
    return token in (stored.get(SESSION_KEY) or {}) and token not in (stored.get(DONE_KEY) or {})


def _set_page_by_id(request, pk):
    qset = exportable_sets_for(request.user).filter(pk=pk).first()
    return _set_page(qset) if qset else reverse("quiz:teacher_home")


def _refuse(request, error: ApplicationError):
    # Its own page (not quiz/teach/refused.html): it leads back to the import form.
    return render(request, "quiz/interop/refused.html", {"message": error.message}, status=status_for(error))


# --- Export ----------------------------------------------------------------------------


def _export_data(request, pk):
    qset = get_object_or_404(exportable_sets_for(request.user), pk=pk)
    return qset, set_questions(qset)


@teacher_required
@require_GET
def export_page(request, pk):
    qset, questions = _export_data(request, pk)
    gift_file, xml_file = gift.export(qset, questions), moodle_xml.export(qset, questions)
    # Each question's notes: what a format leaves out of it, or leaves the whole question out for.
    notes = {}
    for label, exported in (("GIFT", gift_file), ("Moodle XML", xml_file)):
        for question, note in exported.notes:
            notes.setdefault(question.pk, []).append(f"{label}: {note}")
    rows = [
        {"question": q, "kind_label": KIND_LABELS.get(q.kind, q.kind), "notes": notes.get(q.pk, [])} for q in questions
    ]
    context = {
        "qset": qset,
        "rows": rows,
        "gift_skipped": len(gift_file.left_out),
        "xml_skipped": len(xml_file.left_out),
        "set_url": _set_page(qset),
    }
    return render(request, "quiz/interop/export.html", context)


def _download(request, pk, export, content_type, suffix):
    qset, questions = _export_data(request, pk)
    response = HttpResponse(export(qset, questions).text.encode("utf-8"), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{slug_filename(qset.title, suffix)}"'
    return response


@teacher_required
@require_GET
def export_gift(request, pk):
    return _download(request, pk, gift.export, "text/plain; charset=utf-8", "-gift.txt")


@teacher_required
@require_GET
def export_moodle_xml(request, pk):
    return _download(request, pk, moodle_xml.export, "application/xml; charset=utf-8", "-moodle.xml")
