"""How log-in attempts are limited, on every log-in path: our log-in page and the admin's both
call authenticate(), where LoginLimitBackend stands first.

- Per account, across every address: 5 failures a day from browsers that are not remembered
  devices are free; after that each attempt waits a minute after the last failure, twice as
  long after each further one, up to an hour (accounts/throttle.py). Guessing one account from
  many addresses is slow.
- Remembered devices (OWASP's "device cookie" defence against lock-out attacks): a browser in
  which someone logs in with "Remember this device" ticked carries a signed cookie naming the
  account and a device id, bound to its password (a digest of the session auth hash, so a
  password change or reset voids every cookie issued before it). Its attempts are not held by
  the account's count, so whoever runs that count up (a pupil at the school's shared address,
  guessing the teacher's password) cannot lock the owner out. Each remembered device has a
  budget of its own instead: 10 failures a day, after which its cookie stops counting and the
  browser is treated like any other. An account remembers at most 5 devices; remembering a
  sixth forgets the one remembered longest ago (its cookie no longer counts).
- Per address, across accounts: 100 failures an hour, with the same cool-off, holding only
  attempts on accounts that are strangers there. An account is known at an address for 30
  days after a successful log-in from it; its attempts there are not held by the address (but
  still count), and nor are a remembered device's, anywhere.

Why the address limit spares the accounts known at that address. A school's computer lab is
one address, with fresh browsers and private windows, so the device cookie does not help
there. Two attacks pull opposite ways: a password spray (a common password tried against many
accounts from one address) must be stopped by the address's count, and one pupil failing on
made-up names must not turn that count against every classmate. Before the password is
checked, a classmate typing the right password in a fresh browser looks exactly like a sprayer
trying that account; only what the app remembers tells them apart, and the one thing a pupil
cannot fake for somebody else is a successful log-in. The alternatives each fail one attack:
- a fixed short cool-off instead of the doubling only ends a lock-out sooner: a script that
  fails once per cool-off keeps the whole school out;
- counting distinct accounts instead of failures changes nothing for made-up names, each of
  which is a distinct account;
- exempting accounts that have not failed recently exempts exactly what a spray tries (each
  account once), so the address would stop nothing.
Sparing the accounts known at the address keeps a spray from any other address stopped (its
targets have never logged in there) and lets in every classmate who has used the app at school
in the last month; only one who never has (or has not for 30 days) can be held with the
strangers. What it does not stop: a pupil spraying classmates' accounts from the school itself.
Each of those accounts still has its own 5 failures a day, the limit that holds against
guessing from many addresses anyway.

Why a device is remembered only when asked, with a budget of its own. When every log-in made its
browser known and all of an account's devices shared one budget, a teacher who logged in once
on the classroom PC left a cookie there; a pupil spent the account's 5 failures from anywhere
and the shared 10 with that cookie, and the teacher's own laptop, right password and all, was
held. Now a browser is remembered only when its user says it is their own (the box is unticked
by default, and the form says never on a shared computer), and failures with one device's
cookie use only that device's budget, so a leftover cookie, even one ticked by mistake, can
lock out nothing but itself. Without a shared budget, collecting cookies would buy guesses, so
an account keeps at most 5 devices: whoever holds cookies (each needs a log-in with the password
and the box ticked) gets at most 50 failures a day (5 devices, 10 each) on top of the account's
5. Forgetting the oldest rather than refusing a sixth device keeps a teacher who has replaced
their laptop from being stuck with the old one, and costs nothing but that old cookie.

The box's answer at each log-in on our page is the user's say for this browser: ticked, it is
remembered (again: a browser already remembered for the account keeps its device id and budget,
and adds no device); unticked, a cookie this browser carries for that account is deleted and
its device forgotten. That is how someone who once ticked the box on a shared computer by
mistake, or a browser whose owner now shares it, undoes it: by logging in there without it. A
cookie for another account is left alone: one person's log-in does not decide for another's
device (a browser carries one cookie, so ticking the box replaces it). The admin's log-in and a
sign-up do not ask, and remember or forget nothing. Changing one's password keeps the browser
that changed it remembered if it was (same device, bound to the new password); the other
devices' cookies are void, and their rows give way as new devices are remembered or expire
after 90 days. Cookies from before the box (every log-in then remembered its browser, shared
computers too) carry no device id, so none of them counts any more.

An attempt that is held is refused before any password is checked, and is not a failure. A
successful log-in takes its own failure back, makes the account known at the address, and
clears the account's failures unless it came from a remembered device: an owner logging in on
their own laptop must not give the pupil running up the account's count five fresh guesses, nor
a collected cookie a fresh budget. A password reset, by e-mail or by a teacher, clears the
account's failures (its devices' cookies, and so their budgets, are void).

Why not django-axes, which the app used before: its handler keys one failure count on fixed
request parameters with one failure limit and one cool-off, so it has no room for a separate
count for known devices, different allowances per account and per address, or a cool-off that
grows with each failure; expressing those would have meant replacing its handler wholesale.
"""

import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.utils.crypto import constant_time_compare, salted_hmac

from . import throttle
from .clients import client_key

logger = logging.getLogger(__name__)

COOKIE = "known_device"
SALT = "accounts.known_device"
COOKIE_AGE = throttle.REMEMBERED_DEVICE.window
DEVICES_PER_ACCOUNT = 5


def account_key(username: str) -> str:
    # Usernames differing only in case are one account to the limits (sign-up refuses them anyway).
    return username.casefold()


def _seen_key(account: str, address: str) -> str:
    return f"{address} {account}"


@dataclass(frozen=True)
class Device:
    """A browser an account remembers: one REMEMBERED_DEVICE row, and its own failure budget."""

    user_pk: int
    id: str

    @property
    def key(self) -> str:
        # The account's devices share the prefix, so that the oldest past five can be forgotten.
        return f"{self.user_pk}/{self.id}"


@dataclass
class LoginAttempt:
    account: str
    device: Device | None  # the remembered device it came from, while that has failures left
    admission: throttle.Admission


def _password_digest(user) -> str:
    # The session auth hash changes with the password; the cookie is signed, not encrypted, so
    # it carries a digest of that hash rather than the hash Django keeps in the session.
    return salted_hmac(SALT, user.get_session_auth_hash(), algorithm="sha256").hexdigest()


def remembered_device(request, account: str) -> Device | None:
    """The device the request comes from, if it carries a valid cookie for `account`, issued
    since its password was last set, of a device the account still remembers."""
    value = request.COOKIES.get(COOKIE)
    if not value:
        return None
    try:
        data = signing.loads(value, salt=SALT, max_age=COOKIE_AGE)
    except signing.BadSignature:  # forged, tampered with, or expired
        return None
    if not isinstance(data, dict) or type(data.get("user")) is not int:
        return None  # not ours (cookies of the app before the box, which had no device, neither)
    if not all(isinstance(data.get(name), str) for name in ("device", "password")):
        return None
    user = get_user_model()._default_manager.filter(pk=data["user"]).first()
    if user is None or account_key(user.get_username()) != account:
        return None
    if not constant_time_compare(data["password"], _password_digest(user)):
        return None  # the password has changed since
    device = Device(user.pk, data["device"])
    return device if throttle.remembered(throttle.REMEMBERED_DEVICE, device.key) else None


def device_of(request, user) -> Device | None:
    return remembered_device(request, account_key(user.get_username()))


def begin(request, username: str) -> LoginAttempt:
    """Admit an attempt (counted as a failure until it succeeds) or raise Throttled."""
    account = account_key(username)
    address = client_key(request)
    device = remembered_device(request, account)
    if device and throttle.used(throttle.LOGIN_PER_KNOWN_DEVICE, device.key) >= throttle.LOGIN_PER_KNOWN_DEVICE.allowed:
        device = None  # its own failures are spent: a browser like any other
    own = (throttle.LOGIN_PER_KNOWN_DEVICE, device.key) if device else (throttle.LOGIN_PER_ACCOUNT, account)
    at_address = (throttle.LOGIN_PER_ADDRESS, address)
    also_count: tuple[tuple[throttle.Limit, str], ...]
    if device or throttle.remembered(throttle.LOGGED_IN_FROM, _seen_key(account, address)):
        claims, also_count = [own], (at_address,)
    else:
        claims, also_count = [own, at_address], ()
    try:
        admission = throttle.admit(
            *claims,
            also_count=also_count,
            title="Too many failed log-ins",
            reason="Too many failed log-ins",
            template="registration/locked_out.html",
        )
    except throttle.Throttled:
        logger.warning("log-in held: account=%r address=%s", account[:150], address)
        raise
    return LoginAttempt(account, device, admission)


def forget_failures(user) -> None:
    """The account's failed log-ins no longer count (its password was reset)."""
    throttle.forget(throttle.LOGIN_PER_ACCOUNT, account_key(user.get_username()))


class LoginLimitBackend:
    """First in AUTHENTICATION_BACKENDS. Holds an attempt the limits refuse, before any password
    is checked (PermissionDenied stops authenticate() there); otherwise lets the next backend
    check the password. It authenticates nobody itself, and has no get_user, so sessions and
    force_login use the ModelBackend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or username is None:
            return None
        try:
            request.login_attempt = begin(request, username)
        except throttle.Throttled as held:
            request.login_held = held  # accounts.middleware turns the form's reply into the 429 page
            raise PermissionDenied from None
        return None


@receiver(user_logged_in, dispatch_uid="accounts.login_limits.logged_in")
def _logged_in(sender, request, user, **kwargs):
    attempt = getattr(request, "login_attempt", None)
    if attempt is not None:
        attempt.admission.withdraw()
        if not attempt.device:
            throttle.forget(throttle.LOGIN_PER_ACCOUNT, attempt.account)
    address = client_key(request)
    if address:  # force_login's stand-in request has none
        throttle.remember(throttle.LOGGED_IN_FROM, _seen_key(account_key(user.get_username()), address))


def answer_remember_box(request, response, user, *, ticked: bool) -> None:
    """After a log-in on our form: remember this browser for `user` if the box was ticked, else
    forget it if it was remembered for `user`."""
    device = device_of(request, user)
    if ticked:
        remember_device(response, user, device)
    elif device:
        throttle.forget(throttle.REMEMBERED_DEVICE, device.key)
        response.delete_cookie(COOKIE, samesite="Lax")


def remember_device(response, user, device: Device | None = None) -> None:
    """Have the response give its browser a cookie for `device` (a new one if None), bound to
    `user`'s current password; renew the device and forget the account's oldest past five."""
    device = device or Device(user.pk, secrets.token_urlsafe(16))
    throttle.remember(throttle.REMEMBERED_DEVICE, device.key)
    throttle.keep_newest(throttle.REMEMBERED_DEVICE, f"{user.pk}/", DEVICES_PER_ACCOUNT)
    value = signing.dumps({"user": user.pk, "device": device.id, "password": _password_digest(user)}, salt=SALT)
    response.set_cookie(
        COOKIE,
        value,
        max_age=int(COOKIE_AGE.total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
