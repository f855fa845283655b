"""Names and usernames carry no direction overrides, invisible format characters, controls or
"filler" letters, so nobody can spoof a name on a class roster."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.names import visible_name
from quiz.models import Classroom, Enrollment

pytestmark = pytest.mark.django_db

PASSWORD = "smolny-corridor-1934"


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("Nino", "Nino"),
        ("\u202eonin", "onin"),  # RIGHT-TO-LEFT OVERRIDE
        ("Ni\u2066n\u2069o", "Nino"),  # isolates
        ("Ni\u200bno\u200f", "Nino"),  # zero-width space, right-to-left mark
        ("Ni\u00adno", "Nino"),  # soft hyphen (format)
        ("Ni\x07no\x1b", "Nino"),  # control characters
        ("\u3164", ""),  # HANGUL FILLER
        ("Nino\u115f\u1160\uffa0", "Nino"),  # choseong/jungseong fillers, halfwidth filler
        ("  Nino \u00a0 Beridze  ", "Nino Beridze"),  # odd spaces become one plain space
        ("Ნინო", "Ნინო"),  # Georgian letters stay
        ("José", "José"),
    ],
)
def test_visible_name(raw, clean):
    assert visible_name(raw) == clean


def sign_up(client, **fields):
    data = {"username": "nino", "password1": PASSWORD, "password2": PASSWORD, **fields}
    return client.post(reverse("signup"), data)


def test_sign_up_strips_invisible_characters_from_username_and_name(client):
    response = sign_up(client, username="ni\u200bno\u202e", first_name="\u202eNino\u2069 \u3164Beridze")
    assert response.status_code == 302
    user = get_user_model().objects.get()
    assert (user.username, user.first_name) == ("nino", "Nino Beridze")


def test_a_username_that_is_invisible_after_stripping_is_refused(client):
    response = sign_up(client, username="\u200b\u3164\u202e")
    assert response.status_code == 200
    assert "A username needs at least one visible letter or digit." in response.content.decode()
    assert not get_user_model().objects.exists()


def test_a_name_that_is_invisible_after_stripping_is_refused(client):
    response = sign_up(client, first_name="\u3164\u200b")
    assert response.status_code == 200
    assert "A name needs at least one visible letter." in response.content.decode()
    assert not get_user_model().objects.exists()


def test_a_stripped_username_cannot_impersonate_an_existing_one(client, teacher):
    response = sign_up(client, username=f"{teacher.username}\u200b")
    assert response.status_code == 200 and "already exists" in response.content.decode()
    assert get_user_model().objects.count() == 1


def test_the_roster_shows_the_name_without_its_spoofing_characters(teacher_client, teacher):
    from django.test import Client

    classroom = Classroom.objects.create(teacher=teacher, name="Year 8")
    # "Nino" followed by an override that would display the rest right to left ("...rehcaet").
    assert sign_up(Client(), username="nino\u2066", first_name="Nino \u202eteacher").status_code == 302
    Enrollment.objects.create(classroom=classroom, student=get_user_model().objects.get(username="nino"))
    page = teacher_client.get(reverse("quiz:class_detail", args=[classroom.pk])).content.decode()
    assert "Nino teacher" in page
    for invisible in ("\u202e", "\u2066", "\u2069", "&#x202e;"):
        assert invisible not in page


def test_the_admin_strips_names_too(staff_client, student):
    response = staff_client.post(
        reverse("admin:auth_user_change", args=[student.pk]),
        {
            "username": "stu\u200b",
            "first_name": "\u202eStu",
            "last_name": "Ber\u3164idze",
            "email": "",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
            "initial-date_joined_0": "2026-01-01",
            "initial-date_joined_1": "09:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    student.refresh_from_db()
    assert (student.username, student.first_name, student.last_name) == ("stu", "Stu", "Beridze")


def test_names_saved_before_the_fix_are_cleaned_by_the_migration(django_user_model):
    import importlib

    from django.apps import apps

    spoofed = django_user_model.objects.create(username="nino\u200b", first_name="\u202eNino", last_name="B\u3164")
    twin = django_user_model.objects.create(username="stu\u200b")
    django_user_model.objects.create(username="stu")
    importlib.import_module("accounts.migrations.0002_visible_names").strip_names(apps, None)
    spoofed.refresh_from_db()
    twin.refresh_from_db()
    assert (spoofed.username, spoofed.first_name, spoofed.last_name) == ("nino", "Nino", "B")
    assert twin.username == "stu\u200b", "left alone: it would look like the existing stu"
