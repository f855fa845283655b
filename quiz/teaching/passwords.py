"""New passwords a teacher sets for a student who has forgotten theirs (younger students often
have no e-mail to reset it with).

Only a student enrolled in one of the teacher's classes (the view finds them through the class,
404 otherwise), and never a teacher, staff or superuser account: otherwise a teacher could have
an administrator join their class and take the administrator's account over. Teacher-ness is
read from the permission the account holds (directly or through its groups), not has_perm(),
which says no for every inactive account: a deactivated teacher reactivated later would
otherwise come back with a password another teacher chose. Deactivated accounts are refused
whatever they are: deactivating is an administrator's decision, and so is undoing it.

The password is random and easy to read out or copy from a board: three short words and two
digits ("otter-maple-drum-42"), about 30 bits drawn with `secrets`. That is ample for an account
whose log-ins are limited (login_limits), and the student can change it once logged in.
Setting it ends the student's other sessions (Django checks each session against the password
hash) and clears the account's failed log-ins.
"""

import logging
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accounts.login_limits import forget_failures
from config.errors import NotAllowed

from ..roles import is_teacher_account

logger = logging.getLogger(__name__)

WORDS = """
acorn amber anchor apple arrow atlas autumn badger bakery banjo basket beacon beaver berry
bicycle biscuit blossom bonfire breeze bridge brook bubble bucket button cabin cactus camel
candle canoe canyon carrot castle cedar cherry chess cider circus cliff clover cobalt comet
copper coral cotton cricket crystal cupboard daisy dancer delta desert dolphin dragon drum
eagle easel echo ember falcon feather fern fiddle field finch fjord flint forest fossil fox
garden garnet gecko giant ginger glacier globe goose granite grape gravel harbour harvest
hazel hedge heron hill honey horizon iceberg indigo island ivory jacket jasmine jelly jigsaw
journey jungle kayak kettle kite koala ladder lagoon lantern lemon lily lizard lobster
magnet mango maple marble meadow melon meteor mitten monsoon moose mosaic moss muffin
nectar needle nest noodle oak oasis ocean olive onion orbit orchard otter owl paddle panda
parrot pebble pepper piano pigeon pillow pine planet plum pocket pony poppy prairie pretzel
puffin pumpkin quartz quill rabbit radish rainbow raven reef ribbon river robin rocket
saddle salmon sandal scarf seagull shadow shell silver sketch sled snail sparrow spinach
spruce squirrel star stone summit sunset swan teapot thistle thunder tiger timber toffee
tomato topaz tortoise tractor trumpet tulip tunnel turnip umbrella valley velvet violet
violin volcano wagon walnut walrus waterfall whale whistle willow window winter wizard wombat
yacht yoghurt zebra zephyr
""".split()


class ResetRefused(NotAllowed):
    """A teacher may not reset this account's password (REFUSALS says why)."""


REFUSALS = {
    "privileged": "You cannot reset the password of a teacher or an administrator. They can reset it "
    "themselves with “Forgotten your password?” on the log-in page.",
    "inactive": "You cannot reset the password of a deactivated account. Ask an administrator.",
}


def refusal(student) -> str | None:
    """Why a teacher may not reset this enrolled account's password, or None if they may."""
    if not student.is_active:
        return REFUSALS["inactive"]
    if student.is_staff or student.is_superuser or is_teacher_account(student):
        return REFUSALS["privileged"]
    return None


def readable_password(user) -> str:
    """A random password of three words and two digits that passes every validator."""
    for _ in range(20):
        candidate = "-".join(secrets.choice(WORDS) for _ in range(3)) + f"-{10 + secrets.randbelow(90)}"
        try:
            validate_password(candidate, user)
        except ValidationError:
            continue
        return candidate
    raise RuntimeError("No generated password passed the validators.")


def reset_by_teacher(*, teacher, student) -> str:
    """Give `student` a new password and return it (shown to the teacher once, never stored)."""
    reason = refusal(student)
    if reason:
        raise ResetRefused(reason)
    password = readable_password(student)
    student.set_password(password)
    student.save(update_fields=["password"])
    forget_failures(student)
    logger.info("password reset by a teacher: student=%s teacher=%s", student.pk, teacher.pk)
    return password
