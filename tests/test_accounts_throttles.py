"""Join-code guesses and sign-ups are throttled per client, with limits a whole class at one
school address stays inside. A throttled request gets a readable 429 and changes nothing."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from quiz.models import Classroom, Enrollment
from tests.factories import make_user
from tests.startup_support import start_django

pytestmark = pytest.mark.django_db

PASSWORD = "smolny-corridor-1934"
SCHOOL = "192.0.2.10"


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False)
    return time_machine


@pytest.fixture
def classroom(teacher):
    return Classroom.objects.create(teacher=teacher, name="Year 8")


def guess(client, code, method="post", address=SCHOOL):
    return getattr(client, method)(reverse("quiz:join_class"), {"code": code}, REMOTE_ADDR=address)


def test_wrong_join_codes_are_throttled_per_student(clock, student_client, student, classroom):
    for n in range(10):
        assert guess(student_client, f"WRONG{n:03d}", method="get" if n % 2 else "post").status_code == 404
    held = guess(student_client, classroom.join_code)
    assert held.status_code == 429
    html = held.content.decode()
    assert "Too many wrong join codes" in html and "Wait 1 minute" in html
    assert held["Retry-After"] == "60"
    assert not Enrollment.objects.exists()
    # Looking a code up is held too (it tells whether a class has it).
    assert guess(student_client, classroom.join_code, method="get").status_code == 429
    clock.shift(61)
    assert guess(student_client, classroom.join_code).status_code == 302
    assert Enrollment.objects.filter(student=student).exists()


def test_right_codes_are_not_counted(clock, student_client, teacher):
    for n in range(15):
        code = Classroom.objects.create(teacher=teacher, name=f"C{n}").join_code
        assert guess(student_client, code, method="get").status_code == 200
        assert guess(student_client, code).status_code == 302


def test_wrong_join_codes_are_throttled_per_address(clock, classroom, settings):
    settings.JOIN_FAILURES_PER_ADDRESS = 20
    guessers = [make_user(f"guesser{n}") for n in range(5)]
    for user in guessers[:4]:  # 4 accounts, 5 wrong codes each: none hits its own limit
        client = Client()
        client.force_login(user)
        for n in range(5):
            assert guess(client, f"NOPE{n:04d}", address="198.51.100.4").status_code == 404
    client = Client()
    client.force_login(guessers[4])
    assert guess(client, classroom.join_code, address="198.51.100.4").status_code == 429
    assert guess(client, classroom.join_code, address="198.51.100.5").status_code == 302


def test_a_class_mistyping_its_code_at_one_school_address_is_not_held(clock, classroom):
    pupils = [make_user(f"pupil{n:02d}") for n in range(30)]
    for pupil in pupils:  # everyone gets it wrong twice, then right
        client = Client()
        client.force_login(pupil)
        assert guess(client, "AAAAAAAA").status_code == 404
        assert guess(client, classroom.join_code.replace(classroom.join_code[0], "0", 1)).status_code == 404
        assert guess(client, classroom.join_code).status_code == 302
    assert classroom.enrollments.count() == 30


def sign_up(client, username, address=SCHOOL):
    data = {"username": username, "password1": PASSWORD, "password2": PASSWORD}
    return client.post(reverse("signup"), data, REMOTE_ADDR=address)


def test_a_whole_class_signs_up_from_one_school_address(clock):
    for n in range(60):  # two classes in one lesson
        assert sign_up(Client(), f"pupil{n:02d}").status_code == 302
    assert get_user_model().objects.count() == 60


def test_mass_sign_ups_from_one_address_are_throttled(clock, settings):
    settings.SIGNUPS_PER_ADDRESS = 5
    for n in range(5):
        assert sign_up(Client(), f"bot{n}", address="198.51.100.3").status_code == 302
    held = sign_up(Client(), "bot5", address="198.51.100.3")
    assert held.status_code == 429
    assert (
        "Too many new accounts from your network" in held.content.decode() and "Wait 1 minute" in held.content.decode()
    )
    assert not get_user_model().objects.filter(username="bot5").exists()
    # Refused forms (a taken name, a weak password) create nothing, so they do not count.
    settings.SIGNUPS_PER_ADDRESS = 6
    for _ in range(5):
        assert sign_up(Client(), "bot0", address="198.51.100.3").status_code == 200
    assert sign_up(Client(), "bot6", address="198.51.100.3").status_code == 302
    assert sign_up(Client(), "bot7", address="198.51.100.4").status_code == 302


def test_the_default_sign_up_limit_is_configurable_from_the_environment():
    code = "from django.conf import settings as s; print(s.SIGNUPS_PER_ADDRESS, s.JOIN_FAILURES_PER_ADDRESS)"
    result = start_django(code, SIGNUPS_PER_ADDRESS="500", JOIN_FAILURES_PER_ADDRESS="900")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["500", "900"]
