"""How log-in attempts are limited, on every log-in path: our log-in page and the admin's both
call authenticate(), where LoginLimitBackend stands first.

- Per account, across every address: 5 failures a day from browsers the account does not know
  are free; after that each attempt waits a minute after the last failure, twice as long after
  each further one, up to an hour (accounts/throttle.py). Guessing one account from many
  addresses is slow.
- Known devices (OWASP's "device cookie" defence against lock-out attacks): a browser in which
  the account has logged in carries a signed cookie naming the account and bound to its
  password (a digest of the session auth hash, so a password change or reset voids every
  cookie issued before it). Its attempts are not held by the account's count, so whoever runs
  that count up (a pupil at the school's shared address, guessing the teacher's password)
  cannot lock the owner out. All of an account's known devices share one budget instead:
  10 failures a day, however many cookies someone has collected (each log-in issues one);
  after that its cookies stop counting and a browser is treated like any other.
- Per address, across accounts: 100 failures an hour, with the same cool-off, holding only
  attempts on accounts that are strangers there. An account is known at an address for 30
  days after a successful log-in from it; its attempts there are not held by the address (but
  still count), and nor are a known device's, anywhere.

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

An attempt that is held is refused before any password is checked, and is not a failure. A
successful log-in takes its own failure back, makes the account known at the address, gives the
browser a fresh cookie (so does changing one's password, for the browser that changed it), and
clears the account's failures unless it came from a known device: an owner logging in on their
own laptop must not give the pupil running up the account's count five fresh guesses, nor
collected cookies a fresh budget. A password reset, by e-mail or by a teacher, clears the
account's failures and its devices' budget.

Why not django-axes, which the app used before: its handler keys one failure count on fixed
request parameters with one failure limit and one cool-off, so it has no room for a separate
count for known devices, different allowances per account and per address, or a cool-off that
grows with each failure; expressing those would have meant replacing its handler wholesale.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

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
COOKIE_AGE = timedelta(days=90)


def account_key(username: str) -> str:
    # Usernames differing only in case are one account to the limits (sign-up refuses them anyway).
    return username.casefold()


def _seen_key(account: str, address: str) -> str:
    return f"{address} {account}"


@dataclass
class LoginAttempt:
    account: str
    known_device: bool
    admission: throttle.Admission


def _password_digest(user) -> str:
    # The session auth hash changes with the password; the cookie is signed, not encrypted, so
    # it carries a digest of that hash rather than the hash Django keeps in the session.
    return salted_hmac(SALT, user.get_session_auth_hash(), algorithm="sha256").hexdigest()


def device_cookie(user) -> str:
    return signing.dumps({"user": user.pk, "password": _password_digest(user)}, salt=SALT)


def from_known_device(request, account: str) -> bool:
    """Whether the attempt carries a valid known-device cookie for `account`, issued since its
    password was last set, while the account's known devices have failures left."""
    value = request.COOKIES.get(COOKIE)
    if not value:
        return False
    try:
        data = signing.loads(value, salt=SALT, max_age=COOKIE_AGE)
    except signing.BadSignature:  # forged, tampered with, or expired
        return False
    if not isinstance(data, dict) or type(data.get("user")) is not int or not isinstance(data.get("password"), str):
        return False
    user = get_user_model()._default_manager.filter(pk=data["user"]).first()
    if user is None or account_key(user.get_username()) != account:
        return False
    if not constant_time_compare(data["password"], _password_digest(user)):
        return False  # the password has changed since
    return throttle.used(throttle.LOGIN_ON_KNOWN_DEVICES, account) < throttle.LOGIN_ON_KNOWN_DEVICES.allowed


def begin(request, username: str) -> LoginAttempt:
    """Admit an attempt (counted as a failure until it succeeds) or raise Throttled."""
    account = account_key(username)
    address = client_key(request)
    known_device = from_known_device(request, account)
    own = (throttle.LOGIN_ON_KNOWN_DEVICES if known_device else throttle.LOGIN_PER_ACCOUNT, account)
    at_address = (throttle.LOGIN_PER_ADDRESS, address)
    if known_device or throttle.remembered(throttle.LOGGED_IN_FROM, _seen_key(account, address)):
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
    return LoginAttempt(account, known_device, admission)


def forget_failures(user) -> None:
    """The account's failed log-ins no longer count (its password was reset)."""
    account = account_key(user.get_username())
    throttle.forget(throttle.LOGIN_PER_ACCOUNT, account)
    throttle.forget(throttle.LOGIN_ON_KNOWN_DEVICES, account)


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
        if not attempt.known_device:
            throttle.forget(throttle.LOGIN_PER_ACCOUNT, attempt.account)
    address = client_key(request)
    if address:  # force_login's stand-in request has none
        throttle.remember(throttle.LOGGED_IN_FROM, _seen_key(account_key(user.get_username()), address))
    # Every log-in (a sign-up's too) makes this browser known to the account.
    issue_device_cookie(request, user)


def issue_device_cookie(request, user) -> None:
    """Have the response give this browser a known-device cookie for `user`'s current password."""
    request.new_device_cookie = device_cookie(user)


def set_device_cookie(request, response) -> None:
    value = getattr(request, "new_device_cookie", None)
    if value:
        response.set_cookie(
            COOKIE,
            value,
            max_age=int(COOKIE_AGE.total_seconds()),
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
