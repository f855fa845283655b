"""The access each role has to every URL of the project, as reviewed: the table (EXPECTED, plus
the admin's rules), a concrete URL for each route in the small world (tests/world.py), and what
a response must be to match an entry. A URL that is not in the table has no reviewed access.
Read by the URL-access walk and by the escaping walk (which opens what each role may open)."""

from django.contrib.contenttypes.models import ContentType

from tests.url_walk import admin_model_for, fill
from tests.world import ROLES

# What a response may be.
LOGIN = "login"  # a redirect to the log-in page
ADMIN_LOGIN = "admin login"  # a redirect to the admin's log-in page
REDIRECT = "redirect"  # a redirect somewhere else (the request was let through)
ALLOWED = "allowed"  # let through: 200, a redirect elsewhere, or a readable 400/409 for the empty form
NO_POST = None  # not posted to in this test


def expect(anon, student, other_student, teacher, other_teacher, staff):
    return dict(zip(ROLES, (anon, student, other_student, teacher, other_teacher, staff)))


EVERYONE = expect(200, 200, 200, 200, 200, 200)
ANONYMOUS_ONLY = expect(200, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT)
LOGGED_IN = expect(LOGIN, 200, 200, 200, 200, 200)
# The student's own attempt (objects of other users are 404: they must not learn it exists).
OWN_ATTEMPT = expect(LOGIN, 200, 404, 404, 404, 404)
TEACHERS = expect(LOGIN, 403, 403, 200, 200, 200)
TEACHERS_POST = expect(LOGIN, 403, 403, ALLOWED, ALLOWED, ALLOWED)
# The teacher's own set, class, assignment or question. Staff are superusers (they pass the
# teacher check) but own none of it.
OWNER = expect(LOGIN, 403, 403, 200, 404, 404)
OWNER_POST = expect(LOGIN, 403, 403, ALLOWED, 404, 404)
# POST-only teacher endpoints: the role check comes first, then the method.
TEACHER_POST_ONLY_GET = expect(LOGIN, 403, 403, 405, 405, 405)
LOGIN_THEN_POST_ONLY = expect(LOGIN, 405, 405, 405, 405, 405)


class Spec:
    def __init__(self, get, post=NO_POST, params=None):
        self.get, self.post, self.params = get, post, params or (lambda w: {})


def _set(w):
    return {"pk": w.question_set.pk}


def _class(w):
    return {"pk": w.classroom.pk}


def _assignment(w):
    return {"pk": w.assignment.pk}


def _question(w):
    return {"pk": w.authored.pk}


def _attempt(w, position=None):
    values = {"attempt_id": w.attempt.pk}
    if position:
        values["position"] = position
    return values


EXPECTED = {
    # Public pages.
    "home": Spec(EVERYONE),
    "healthz": Spec(EVERYONE),
    "login": Spec(ANONYMOUS_ONLY, expect(200, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT)),
    "logout": Spec(expect(405, 405, 405, 405, 405, 405)),  # POST-only; posting is tested in test_csp_csrf_and_sessions
    "signup": Spec(ANONYMOUS_ONLY, expect(200, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT)),
    # Passwords: one's own (an empty form shows its errors), and a forgotten one for anybody.
    "password_change": Spec(LOGGED_IN, LOGGED_IN),
    "password_change_done": Spec(LOGGED_IN),
    "password_reset": Spec(EVERYONE, EVERYONE),
    "password_reset_done": Spec(EVERYONE),
    # A made-up link: the page says it is no longer valid.
    "password_reset_confirm": Spec(EVERYONE, EVERYONE, params=lambda w: {"uidb64": "MQ", "token": "set-password"}),
    "password_reset_complete": Spec(EVERYONE),
    "history:interview": Spec(EVERYONE),
    "history:claim": Spec(EVERYONE, params=lambda w: {"key": w.claim.key}),
    "history:figures": Spec(EVERYONE),
    "history:figure": Spec(EVERYONE, params=lambda w: {"key": w.figure.key}),
    "history:timeline": Spec(EVERYONE),
    # Taking quizzes.
    "quiz:sets": Spec(LOGGED_IN),
    "quiz:start_set": Spec(
        expect(LOGIN, 405, 405, 405, 405, 405),
        # Only students the set is assigned to may start a private set.
        expect(LOGIN, REDIRECT, 404, 404, 404, 404),
        params=lambda w: {"set_id": w.question_set.pk},
    ),
    "quiz:practice": Spec(LOGIN_THEN_POST_ONLY, expect(LOGIN, 400, 400, 400, 400, 400)),
    "quiz:attempt": Spec(OWN_ATTEMPT, params=_attempt),
    "quiz:item": Spec(OWN_ATTEMPT, params=lambda w: _attempt(w, 1)),
    # The owner has not been shown question 2 yet (every request here is rolled back), so it takes no answer.
    "quiz:answer": Spec(LOGIN_THEN_POST_ONLY, expect(LOGIN, 409, 404, 404, 404, 404), params=lambda w: _attempt(w, 2)),
    "quiz:finish": Spec(LOGIN_THEN_POST_ONLY, expect(LOGIN, REDIRECT, 404, 404, 404, 404), params=_attempt),
    # Unfinished, so the owner is sent back to the question.
    "quiz:summary": Spec(expect(LOGIN, REDIRECT, 404, 404, 404, 404), params=_attempt),
    # Progress and review.
    "quiz:progress": Spec(LOGGED_IN),
    "quiz:review_start": Spec(
        expect(405, 405, 405, 405, 405, 405), expect(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT)
    ),
    # Teacher pages.
    "quiz:teacher_home": Spec(TEACHERS),
    "quiz:set_create": Spec(TEACHERS, TEACHERS_POST),
    "quiz:set_detail": Spec(OWNER, params=_set),
    "quiz:set_settings": Spec(OWNER, OWNER_POST, params=_set),
    "quiz:set_add": Spec(TEACHER_POST_ONLY_GET, OWNER_POST, params=_set),
    "quiz:set_remove": Spec(TEACHER_POST_ONLY_GET, OWNER_POST, params=_set),
    "quiz:set_move": Spec(TEACHER_POST_ONLY_GET, OWNER_POST, params=_set),
    "quiz:set_duplicate": Spec(TEACHER_POST_ONLY_GET, OWNER_POST, params=_set),
    "quiz:set_delete": Spec(OWNER, OWNER_POST, params=_set),
    "quiz:set_assign": Spec(TEACHER_POST_ONLY_GET, OWNER_POST, params=_set),
    "quiz:set_preview": Spec(OWNER, params=_set),
    "quiz:question_list": Spec(TEACHERS),
    "quiz:question_create": Spec(TEACHERS, TEACHERS_POST),
    "quiz:question_edit": Spec(OWNER, OWNER_POST, params=_question),
    "quiz:question_preview": Spec(OWNER, params=_question),
    "quiz:class_create": Spec(TEACHERS, TEACHERS_POST),
    "quiz:class_detail": Spec(OWNER, params=_class),
    "quiz:class_regenerate": Spec(TEACHER_POST_ONLY_GET, OWNER_POST, params=_class),
    "quiz:class_remove_student": Spec(TEACHER_POST_ONLY_GET, OWNER_POST, params=_class),
    "quiz:class_assign": Spec(TEACHER_POST_ONLY_GET, OWNER_POST, params=_class),
    "quiz:class_student": Spec(OWNER, params=lambda w: {"pk": w.classroom.pk, "student_id": w.users["student"].pk}),
    # GET asks first; the owner's POST sets and shows a new password (rolled back by the walk).
    "quiz:class_student_password": Spec(
        OWNER, OWNER_POST, params=lambda w: {"pk": w.classroom.pk, "student_id": w.users["student"].pk}
    ),
    "quiz:assignment_results": Spec(OWNER, params=_assignment),
    "quiz:assignment_csv": Spec(OWNER, params=_assignment),
    "quiz:assignment_delete": Spec(OWNER, OWNER_POST, params=_assignment),
    "quiz:join_class": Spec(LOGGED_IN, expect(LOGIN, 400, 400, 400, 400, 400)),
    # GIFT / Moodle XML.
    "quiz:interop_import": Spec(TEACHERS, expect(LOGIN, 403, 403, 400, 400, 400)),
    "quiz:interop_import_confirm": Spec(TEACHER_POST_ONLY_GET, expect(LOGIN, 403, 403, 400, 400, 400)),
    # A preview lives in its uploader's session: any other token is unknown (404).
    "quiz:interop_preview": Spec(expect(LOGIN, 403, 403, 404, 404, 404), params=lambda w: {"token": "T" * 32}),
    "quiz:interop_export": Spec(OWNER, params=_set),
    "quiz:interop_export_gift": Spec(OWNER, params=_set),
    "quiz:interop_export_moodle_xml": Spec(OWNER, params=_set),
}

# The only pages anonymous visitors may see.
PUBLIC_NAMES = {
    "home",
    "healthz",
    "login",
    "signup",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "history:interview",
    "history:claim",
    "history:figures",
    "history:figure",
    "history:timeline",
}

# The admin: only staff get in; everyone else is sent to the admin's log-in page.
NOT_STAFF = ("anon", "student", "other_student", "teacher", "other_teacher")
# Admins for content only the loader writes (passages) or that records itself (the limits'
# events): no add page.
ADMIN_NO_ADD = {
    "history_passage_add",
    "accounts_throttleevent_add",
}
ADMIN_SPECIAL = {
    "admin:login": expect(200, 200, 200, 200, 200, REDIRECT),
    # Logging out takes a POST; the non-staff are first sent to the admin index.
    "admin:logout": expect(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 405),
    # Asked without its parameters, the autocomplete refuses even staff.
    "admin:autocomplete": expect(*[ADMIN_LOGIN] * 5, 403),
    "admin:view_on_site": expect(*[ADMIN_LOGIN] * 5, REDIRECT),
    "admin:<admin/(?P<url>.*)$>": expect(*[ADMIN_LOGIN] * 5, 404),
}


def admin_spec(route):
    if route.name in ADMIN_SPECIAL:
        return Spec(ADMIN_SPECIAL[route.name])
    short = route.name.removeprefix("admin:")
    staff = 200
    if short in ADMIN_NO_ADD:
        staff = 403
    elif short.startswith("<"):  # admin/<app>/<model>/<id>/ redirects to the change page
        staff = REDIRECT
    return Spec(expect(*[ADMIN_LOGIN] * 5, staff))


def spec_for(route):
    if route.name.startswith("admin:"):
        return admin_spec(route)
    return EXPECTED.get(route.name)


def url_for(route, w):
    if route.name.startswith("admin:"):
        if route.name == "admin:view_on_site":
            figure_type = ContentType.objects.get_for_model(type(w.figure))
            return fill(route.route, {"content_type_id": figure_type.pk, "object_id": w.figure.pk})
        if "app_label" in route.params:
            return "/admin/quiz/"
        if "url" in route.params:
            return "/admin/no-such-page/"
        values = {}
        if "object_id" in route.params:
            model = admin_model_for(route.route)
            obj = model.objects.order_by("pk").first()
            assert obj is not None, f"build_world makes no {model.__name__} for {route.route}"
            values["object_id"] = obj.pk
        if "id" in route.params:
            values["id"] = w.users["student"].pk
        return fill(route.route, values)
    return fill(route.route, EXPECTED[route.name].params(w))


def matches(expected, response):
    status = response.status_code
    location = response.get("Location", "")
    if expected == LOGIN:
        return status == 302 and location.startswith("/accounts/login/")
    if expected == ADMIN_LOGIN:
        return status == 302 and location.startswith("/admin/login/")
    if expected == REDIRECT:
        return status == 302 and "/login/" not in location
    if expected == ALLOWED:
        return status in (200, 400, 409) or (status == 302 and "/login/" not in location)
    return status == expected


def describe(response):
    location = response.get("Location")
    return f"{response.status_code}" + (f" → {location}" if location else "")
