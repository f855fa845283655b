"""Teacher pages: question sets, authoring, preview, classes, assignments, results.

Thin views over quiz/teaching/*. Every page works with plain form posts and full-page
responses (the set editor, with its htmx fragments, is quiz/views/set_editor.py). Objects a
teacher does not own (or may not see) are 404s, never 403s.
"""

import secrets

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts import throttle
from accounts.clients import client_key
from config.errors import ApplicationError, Conflict, Invalid, NotFound

from ..attempts import option_order_for
from ..models import Kind, Question, QuestionSet, Visibility
from ..roles import teacher_required
from ..scoring import displayed_options
from ..teaching import access, authoring, classes, item_analysis, passwords, results
from ..teaching import sets as set_service
from ..teaching.forms import AssignForm, ClassForm, JoinForm, QuestionForm, SetForm
from .refusals import refuse, status_for

# --- Home ------------------------------------------------------------------------------


@teacher_required
def teacher_home(request):
    user = request.user
    my_sets = (
        QuestionSet.objects.filter(owner=user)
        .annotate(question_count=Count("items", distinct=True), assignment_count=Count("assignments", distinct=True))
        .order_by("-updated_at", "id")
    )
    public_sets = (
        QuestionSet.objects.filter(visibility=Visibility.PUBLIC)
        .exclude(owner=user)
        .select_related("owner")
        .annotate(question_count=Count("items"))
        .order_by("title", "id")[:50]
    )
    context = {
        "my_sets": my_sets,
        "public_sets": public_sets,
        "classes": classes.classes_overview(user),
        "authored_count": Question.objects.filter(author=user).count(),
    }
    return render(request, "quiz/teach/home.html", context)


# --- Question sets ---------------------------------------------------------------------


@teacher_required
@require_http_methods(["GET", "POST"])
def set_form(request, pk=None):
    """A new set (no pk), or the settings of one of the teacher's own sets: one form for both."""
    question_set = access.own_set(request.user, pk) if pk is not None else None
    form = SetForm(request.POST or None, instance=question_set or QuestionSet(owner=request.user))
    if request.method == "POST" and form.is_valid():
        if question_set is None:
            question_set = form.save()
            messages.success(request, f"Created “{question_set.title}”. Now add questions from the bank.")
        else:
            set_service.save_settings(form)
            messages.success(request, "Settings saved.")
        return redirect("quiz:set_detail", question_set.pk)
    return render(request, "quiz/teach/set_form.html", {"form": form, "question_set": question_set})


@teacher_required
@require_POST
def set_duplicate(request, pk):
    original = access.viewable_set(request.user, pk)
    copy, skipped = set_service.duplicate_set(original, request.user)
    note = f" {skipped} retired question{'s were' if skipped != 1 else ' was'} left out." if skipped else ""
    messages.success(request, f"Made a private copy: “{copy.title}”.{note}")
    return redirect("quiz:set_detail", copy.pk)


@teacher_required
@require_http_methods(["GET", "POST"])
def set_delete(request, pk):
    question_set = access.own_set(request.user, pk)
    if request.method == "POST":
        title = question_set.title
        question_set.delete()
        messages.success(request, f"Deleted “{title}”.")
        return redirect("quiz:teacher_home")
    context = {
        "question_set": question_set,
        "assignment_count": question_set.assignments.count(),
        "attempt_count": question_set.attempts.count(),
    }
    return render(request, "quiz/teach/set_delete.html", context)


@teacher_required
@require_POST
def set_assign(request, pk):
    question_set = access.own_set(request.user, pk)
    back = reverse("quiz:set_detail", args=[pk])
    try:
        classroom = access.own_class(request.user, access.parse_id(request.POST.get("classroom", "")))
    except ValueError:
        return refuse(request, Invalid("Choose one of your classes."), back)
    data = request.POST.copy()
    data["question_set"] = question_set.pk
    form = AssignForm(data, teacher=request.user)
    if not form.is_valid():
        return refuse(request, Invalid("; ".join(e for errs in form.errors.values() for e in errs)), back)
    try:
        outcome = classes.assign(
            classroom, question_set, form.cleaned_data["due_at"], clear_due=form.cleaned_data["no_due"]
        )
    except ApplicationError as exc:
        return refuse(request, exc, back)
    (messages.success if outcome.changed else messages.info)(request, outcome.message)
    return redirect("quiz:set_detail", pk)


# --- Preview ---------------------------------------------------------------------------


def _preview_entry(question, shuffle, seed, number=1):
    order = option_order_for(question, shuffle=shuffle, seed=seed)
    key = question.mode.key(list(question.options.all()))
    # Tokens scoped to this page view: a preview's tokens are no use in any attempt.
    shown = displayed_options(question, order, scope=f"preview-{seed}")
    # The student's controls, with ids kept apart when the page shows several questions.
    return {"question": question, "shown": shown, "key": key, "id_prefix": f"p{number}-"}


def _preview_questions(queryset):
    return queryset.select_related("passage", "claim").prefetch_related("options")


@teacher_required
def question_preview(request, pk):
    question = access.previewable_question(request.user, pk)
    question = _preview_questions(Question.objects.filter(pk=question.pk)).get()
    entry = _preview_entry(question, shuffle=True, seed=secrets.token_hex(4))
    back_set = _owned_set_from(request.user, request.GET.get("set"))
    return render(request, "quiz/teach/preview.html", {"entries": [entry], "single": True, "back_set": back_set})


@teacher_required
def set_preview(request, pk):
    question_set = access.viewable_set(request.user, pk)
    questions = list(
        _preview_questions(Question.objects.live().filter(set_items__question_set=question_set)).order_by(
            "set_items__position", "set_items__id"
        )
    )
    if question_set.shuffle_questions:
        secrets.SystemRandom().shuffle(questions)
    seed = secrets.token_hex(4)
    entries = [_preview_entry(q, question_set.shuffle_options, seed, n) for n, q in enumerate(questions, start=1)]
    return render(
        request, "quiz/teach/preview.html", {"entries": entries, "question_set": question_set, "back_set": question_set}
    )


# --- Authoring -------------------------------------------------------------------------

ANSWERED_QUESTION = (
    "Students have already answered this question, so it can no longer be changed "
    "(their answers must keep their meaning). Write a new question instead."
)


@teacher_required
def question_list(request):
    questions = (
        Question.objects.filter(author=request.user)
        .annotate(set_count=Count("set_items", distinct=True), answer_count=Count("answers", distinct=True))
        .order_by("-created_at", "-id")
    )
    return render(request, "quiz/teach/questions.html", {"questions": questions, "kinds": Kind.choices})


def _owned_set_from(user, raw):
    """The teacher's own set named by an optional query/form value; None for anything else."""
    try:
        return QuestionSet.objects.filter(pk=access.parse_id(raw), owner=user).first()
    except ValueError:
        return None


def _target_set(request):
    return _owned_set_from(request.user, request.GET.get("set") or request.POST.get("set"))


@teacher_required
@require_http_methods(["GET", "POST"])
def question_create(request):
    kind = request.GET.get("kind") or request.POST.get("kind")
    target_set = _target_set(request)
    if kind not in Kind.values:
        status = 400 if kind else 200
        return render(
            request,
            "quiz/teach/question_kind.html",
            {"kinds": Kind.choices, "target_set": target_set, "bad_kind": bool(kind)},
            status=status,
        )
    form = QuestionForm(request.POST or None, kind=kind, initial=QuestionForm.initial_for_kind(kind))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        question = authoring.save_question(form.draft(), request.user, figures=data["figures"], events=data["events"])
        if target_set is not None:
            set_service.add_question(target_set, request.user, question.pk)
            messages.success(request, "Your question is saved and added to the set.")
            return redirect("quiz:set_detail", target_set.pk)
        messages.success(request, "Your question is saved. It is now in your question bank.")
        return redirect("quiz:question_list")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "kind": kind, "kind_label": Kind(kind).label, "target_set": target_set, "question": None}
    return render(request, "quiz/teach/question_form.html", context, status=status)


@teacher_required
@require_http_methods(["GET", "POST"])
def question_edit(request, pk):
    question = get_object_or_404(Question, pk=pk, author=request.user)
    if not authoring.can_edit(question, request.user):
        return refuse(request, Conflict(ANSWERED_QUESTION), reverse("quiz:question_list"))
    initial = QuestionForm.initial_from_draft(authoring.draft_from_question(question), question)
    form = QuestionForm(request.POST or None, kind=question.kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        authoring.save_question(
            form.draft(), request.user, question=question, figures=data["figures"], events=data["events"]
        )
        messages.success(request, "Question updated.")
        return redirect("quiz:question_list")
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "kind": question.kind,
        "kind_label": question.get_kind_display(),
        "target_set": None,
        "question": question,
    }
    return render(request, "quiz/teach/question_form.html", context, status=status)


# --- Classes ---------------------------------------------------------------------------


@teacher_required
@require_http_methods(["GET", "POST"])
def class_create(request):
    form = ClassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        classroom = form.save(commit=False)
        classroom.teacher = request.user
        classroom.save()
        messages.success(request, f"Created {classroom.name}. Give your students the join code {classroom.join_code}.")
        return redirect("quiz:class_detail", classroom.pk)
    return render(request, "quiz/teach/class_form.html", {"form": form})


def _class_context(request, classroom, assign_form=None):
    return {
        "classroom": classroom,
        "roster": classes.roster_rows(classroom),
        "assignments": classes.assignments_for_class(classroom),
        "assign_form": assign_form or AssignForm(teacher=request.user),
        "join_url": request.build_absolute_uri(reverse("quiz:join_class") + f"?code={classroom.join_code}"),
    }


@teacher_required
def class_detail(request, pk):
    classroom = access.own_class(request.user, pk)
    return render(request, "quiz/teach/class_detail.html", _class_context(request, classroom))


@teacher_required
@require_POST
def class_regenerate(request, pk):
    classroom = access.own_class(request.user, pk)
    code = classes.regenerate_code(classroom)
    messages.success(request, f"New join code: {code}. The old code no longer works.")
    return redirect("quiz:class_detail", pk)


@teacher_required
@require_POST
def class_remove_student(request, pk):
    classroom = access.own_class(request.user, pk)
    try:
        student = classes.remove_student(classroom, request.POST.get("student"))
    except ApplicationError as exc:
        return refuse(request, exc, reverse("quiz:class_detail", args=[pk]))
    messages.success(request, f"Removed {student.get_full_name() or student.username} from {classroom.name}.")
    return redirect("quiz:class_detail", pk)


@teacher_required
@require_POST
def class_assign(request, pk):
    classroom = access.own_class(request.user, pk)
    form = AssignForm(request.POST, teacher=request.user)
    if not form.is_valid():
        return render(request, "quiz/teach/class_detail.html", _class_context(request, classroom, form), status=400)
    data = form.cleaned_data
    try:
        outcome = classes.assign(classroom, data["question_set"], data["due_at"], clear_due=data["no_due"])
    except ApplicationError as exc:
        form.add_error("question_set", exc.message)
        context = _class_context(request, classroom, form)
        return render(request, "quiz/teach/class_detail.html", context, status=status_for(exc))
    (messages.success if outcome.changed else messages.info)(request, outcome.message)
    return redirect("quiz:class_detail", pk)


@teacher_required
def class_student(request, pk, student_id):
    classroom = access.own_class(request.user, pk)
    student = get_object_or_404(get_user_model(), pk=student_id, enrollments__classroom=classroom)
    assignments, figures, events = results.student_progress(request.user, student)
    rows = [(a, *classes.status_of(a)) for a in assignments]
    context = {
        "classroom": classroom,
        "student": student,
        "rows": rows,
        "figures": figures,
        "events": events,
        "can_reset_password": passwords.refusal(student) is None,
    }
    return render(request, "quiz/teach/student.html", context)


@teacher_required
@never_cache
@require_http_methods(["GET", "POST"])
def class_student_password(request, pk, student_id):
    """GET asks first; POST sets a new password and shows it this once (never cached)."""
    classroom = access.own_class(request.user, pk)
    student = get_object_or_404(get_user_model(), pk=student_id, enrollments__classroom=classroom)
    back = reverse("quiz:class_student", args=[pk, student_id])
    context = {"classroom": classroom, "student": student}
    try:
        if request.method == "POST":
            context["issued_password"] = passwords.reset_by_teacher(teacher=request.user, student=student)
        elif (reason := passwords.refusal(student)) is not None:
            raise passwords.ResetRefused(reason)
    except passwords.ResetRefused as exc:
        return refuse(request, exc, back)
    return render(request, "quiz/teach/student_password.html", context)


# --- Assignments and results -----------------------------------------------------------


@teacher_required
def assignment_results(request, pk):
    assignment = access.own_assignment(request.user, pk)
    found = results.assignment_results(assignment)
    context = {
        "assignment": assignment,
        "students": found.students,
        "items": found.items,
        "analysed": found.analysed,
        "flagged": found.flagged,
        "judge_min": item_analysis.MIN_RESPONSES_TO_JUDGE,
    }
    return render(request, "quiz/teach/results.html", context)


@teacher_required
def assignment_csv(request, pk):
    assignment = access.own_assignment(request.user, pk)
    found = results.assignment_results(assignment, with_items=False)
    response = HttpResponse(results.results_csv(found), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="results-assignment-{assignment.pk}-{stamp}.csv"'
    return response


@teacher_required
@require_http_methods(["GET", "POST"])
def assignment_delete(request, pk):
    """GET asks first, saying whose work is affected; only that page's form (confirm=yes)
    unassigns, so a bare post (say, from an out-of-date class page) asks too."""
    assignment = access.own_assignment(request.user, pk)
    classroom = assignment.classroom
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        classes.unassign(assignment)
        messages.success(
            request,
            f"Unassigned “{assignment.question_set.title}” from {classroom.name}. Students’ attempts are kept; "
            "assign the set to the class again and their results come back.",
        )
        return redirect("quiz:class_detail", classroom.pk)
    context = {"assignment": assignment, "reach": classes.assignment_reach(assignment)}
    return render(request, "quiz/teach/assignment_delete.html", context)


# --- Students joining a class ----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def join_class(request):
    """GET shows the form (prefilled from ?code=, naming the class); POST joins. Joining changes
    what a teacher can see of the student, so it takes a deliberate, CSRF-protected POST."""
    data = request.POST if request.method == "POST" else (request.GET if "code" in request.GET else None)
    form = JoinForm(data)
    context = {"form": form, "classroom": None, "error": None}
    if data is None:
        return render(request, "quiz/teach/join.html", context)
    if not form.is_valid():
        context["error"] = "Enter the join code your teacher gave you."
        return render(request, "quiz/teach/join.html", context, status=400)
    # Looking a code up tells whether a class has it, so GETs count too: wrong codes per student
    # and per address (accounts/throttle.py). Anything but a wrong code takes its count back.
    guess = throttle.admit(
        (throttle.JOIN_PER_USER, str(request.user.pk)),
        (throttle.JOIN_PER_ADDRESS, client_key(request)),
        title="Too many wrong join codes",
        reason="Too many wrong join codes have been tried. Check the code with your teacher.",
    )
    try:
        if request.method == "GET":
            context["classroom"] = classes.find_class(form.cleaned_data["code"])
            guess.withdraw()
            return render(request, "quiz/teach/join.html", context)
        classroom, created = classes.join(request.user, form.cleaned_data["code"])
    except ApplicationError as exc:
        if not isinstance(exc, NotFound):  # only a code no class has counts as a guess
            guess.withdraw()
        context["error"] = exc.message
        return render(request, "quiz/teach/join.html", context, status=status_for(exc))
    guess.withdraw()
    if created:
        messages.success(request, f"You joined {classroom.name}. Your assignments are listed below.")
    else:
        messages.info(request, f"You are already in {classroom.name}.")
    return redirect("home")
