"""The set editor: a teacher's set, its questions in order, beside the question bank.

The editor is one page, /teach/sets/<pk>/, and its URL holds the bank's state (filters and
page). The filter form and the pager's links carry it in their query; with htmx they ask the
same URL, get the bank alone and push the URL (as django-htmx's example pages a table). The
changes (add, remove, move) are answered at that state too: a plain form posts to an action
that carries the page's query and is sent back there (Post/Redirect/Get); an htmx post names
the page's URL in HX-Current-URL.

An htmx request gets one partial of the editor's template: the bank for a filter or a page,
the set's list for a move, both panels for an add or a removal (they change the bank's
"In this set" marks too). The words for the status line and the control that keeps the
teacher's place come with it as client events (teach:status, teach:focus) that
static/js/teach.js handles. Sets the teacher does not own are 404s (quiz/teaching/access.py).
"""

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from config.errors import ApplicationError
from config.htmx import is_fragment_request

from ..independence import give_aways
from ..models import Classroom
from ..roles import teacher_required
from ..teaching import access
from ..teaching import sets as set_service
from ..teaching.forms import BankFilterForm
from .refusals import refuse

EDITOR = "quiz/teach/set_edit.html"
# The pager's links are swapped away with the page they are on: focus goes to the new page's count.
PAGER_LINKS = ("bank-previous", "bank-next")


@teacher_required
def set_detail(request, pk):
    question_set = access.viewable_set(request.user, pk)
    if question_set.owner_id != request.user.pk:
        # Someone else's public set: read-only, with a way to copy it.
        context = {"question_set": question_set, "items": set_service.set_items(question_set)}
        return render(request, "quiz/teach/set_view.html", context)
    context = _editor_context(request, question_set, request.GET)
    if not is_fragment_request(request):
        context["assignments"] = question_set.assignments.select_related("classroom")
        context["assign_classes"] = Classroom.objects.filter(teacher=request.user)
        return render(request, EDITOR, context)
    response = render(request, f"{EDITOR}#bank", context)
    if request.htmx.trigger in PAGER_LINKS:
        _focus(response, "bank-count")
    return response


@teacher_required
@require_POST
def set_add(request, pk):
    question_set = access.own_set(request.user, pk)
    try:
        outcome = set_service.add_question(question_set, request.user, request.POST.get("question"))
    except ApplicationError as exc:
        return _refused(request, question_set, exc)
    # Focus stays on the row's button (Add has become Remove).
    focus = f"bank-{outcome.question.pk}-button"
    return _after_change(request, question_set, outcome, partial="editor", anchor="#bank", focus=focus)


@teacher_required
@require_POST
def set_remove(request, pk):
    question_set = access.own_set(request.user, pk)
    from_bank = request.POST.get("from") == "bank"  # pressed in the bank, not in the set's list
    try:
        outcome = set_service.remove_question(question_set, request.POST.get("question"))
    except ApplicationError as exc:
        return _refused(request, question_set, exc)
    if from_bank:
        anchor, focus = "#bank", f"bank-{outcome.question.pk}-button"
    else:  # the item and its buttons are gone: the list's heading
        anchor, focus = "#set-items", "items-heading"
    return _after_change(request, question_set, outcome, partial="editor", anchor=anchor, focus=focus)


@teacher_required
@require_POST
def set_move(request, pk):
    question_set = access.own_set(request.user, pk)
    direction = request.POST.get("direction")
    try:
        outcome = set_service.move_question(question_set, request.POST.get("question"), direction)
    except ApplicationError as exc:
        return _refused(request, question_set, exc)
    # The button pressed, so Enter moves the question on (teach.js picks the other one at the end).
    focus = f"move-{direction}-{outcome.question.pk}"
    return _after_change(request, question_set, outcome, partial="items", anchor="#set-items", focus=focus)


def _editor_context(request, question_set, query: QueryDict) -> dict:
    """What the editor shows, with the bank at the filters and page in `query`."""
    form = BankFilterForm(query)
    filters = form.filters()
    bank = set_service.bank_page(request.user, filters, query.get("page"))
    items = set_service.set_items(question_set)
    # The state as the page's URL writes it (a figure or event by its key): the pager's links
    # and the plain forms' actions carry it (`{% querystring page_query %}`).
    page_query = {name: "on" if value is True else getattr(value, "key", value) for name, value in filters.items()}
    return {
        "question_set": question_set,
        "items": items,
        "in_set": {item.question_id for item in items},
        # Kept, not dropped: the set is the teacher's choice (quiz/independence.py).
        "give_aways": give_aways([item.question for item in items]),
        "bank_form": form,
        "bank": bank,
        "page_query": page_query | {"page": bank.number},
    }


def _after_change(request, question_set, outcome, *, partial, anchor, focus):
    """With htmx, the `partial` of the editor that changed, the status words and the control to
    focus; otherwise back to the editor (Post/Redirect/Get) at the bank state the form's action
    carried, scrolled to `anchor`."""
    if not request.htmx:
        (messages.success if outcome.changed else messages.info)(request, outcome.message)
        query = request.GET.urlencode()
        return redirect(reverse("quiz:set_detail", args=[question_set.pk]) + (f"?{query}" if query else "") + anchor)
    context = _editor_context(request, question_set, _current_page_query(request))
    response = render(request, f"{EDITOR}#{partial}", context)
    trigger_client_event(response, "teach:status", {"message": outcome.message}, after="settle")
    return _focus(response, focus)


def _current_page_query(request) -> QueryDict:
    """The query of the editor page an htmx request came from (htmx sends the page's URL)."""
    # Only the query is read, the rest left unparsed: a malformed URL loses its filters, no more.
    return QueryDict((request.htmx.current_url or "").partition("?")[2].partition("#")[0])


def _focus(response, element_id):
    """Ask teach.js to focus `element_id` once the swap has settled, so keyboard users keep their place."""
    return trigger_client_event(response, "teach:focus", {"id": element_id}, after="settle")


def _refused(request, question_set, error):
    return refuse(request, error, reverse("quiz:set_detail", args=[question_set.pk]))
