"""How log-in attempts are limited, on every log-in path: our log-in page and the admin's both
call authenticate(), where LoginLimitBackend stands first.

- Per account, across every address: 5 failures a day from browsers the account does not know
  are free; after that each attempt waits a minute after the last failure, twice as long after
  each further one, up to an hour (accounts/throttle.py). Guessing one account from many
  addresses is slow.
- Known devices (OWASP's "device cookie" defence against lock-out attacks): a browser in which
  the account has logged in carries a signed cookie naming the account. Its attempts are not
  held by the account's count, so whoever runs that count up (a pupil at the school's shared
  address, guessing the teacher's password) cannot lock the owner out. They have a limit of
  their own instead: after 5 failures in a day the cookie stops counting and the browser is
  treated like any other.
- Per address, across accounts: 100 failures an hour, with the same cool-off. A whole school
  shares one address, so the allowance is wide; a password spray from one address is stopped.

A known device's failures count only against the device. An attempt that is held is refused
before any password is checked, and is not a failure. A successful log-in clears the account's
failures (or the device's, for a known device) and gives the browser a fresh cookie; a password
reset, by e-mail or by a teacher, clears the account's failures.

Why not django-axes, which the app used before: its handler keys one failure count on fixed
request parameters with one failure limit and one cool-off, so it has no room for a separate
per-device count, different allowances per account and per address, or a cool-off that grows
with each failure; expressing those would have meant replacing its handler wholesale.
"""

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver

from . import throttle
from .clients import client_key

logger = logging.getLogger(__name__)

COOKIE = "known_device"
SALT = "accounts.known_device"
COOKIE_AGE = timedelta(days=90)


def account_key(username: str) -> str:
    # Usernames differing only in case are one account to the limits (sign-up refuses them anyway).
    return username.casefold()


@dataclass
class LoginAttempt:
    account: str
    device: str | None  # the known device it came from, if any
    admission: throttle.Admission


def known_device(request, account: str) -> str | None:
    """The device id of a valid known-device cookie for `account` that still counts."""
    value = request.COOKIES.get(COOKIE)
    if not value:
        return None
    try:
        data = signing.loads(value, salt=SALT, max_age=COOKIE_AGE)
    except signing.BadSignature:  # forged, tampered with, or expired
        return None
    if not isinstance(data, dict) or data.get("user") != account or not isinstance(data.get("device"), str):
        return None
    device = data["device"]
    if throttle.used(throttle.LOGIN_PER_DEVICE, device) >= throttle.LOGIN_PER_DEVICE.allowed:
        return None
    return device


def device_cookie(user) -> str:
    return signing.dumps({"user": account_key(user.get_username()), "device": secrets.token_urlsafe(16)}, salt=SALT)


def begin(request, username: str) -> LoginAttempt:
    """Admit an attempt (counted as a failure until it succeeds) or raise Throttled."""
    account = account_key(username)
    device = known_device(request, account)
    if device:
        claims = [(throttle.LOGIN_PER_DEVICE, device)]
    else:
        claims = [(throttle.LOGIN_PER_ACCOUNT, account), (throttle.LOGIN_PER_ADDRESS, client_key(request))]
    try:
        admission = throttle.admit(
            *claims,
            title="Too many failed log-ins",
            reason="Too many failed log-ins",
            template="registration/locked_out.html",
        )
    except throttle.Throttled:
        logger.warning("log-in held: account=%r address=%s", account[:150], client_key(request))
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
        if attempt.device:
            throttle.forget(throttle.LOGIN_PER_DEVICE, attempt.device)
        else:
            throttle.forget(throttle.LOGIN_PER_ACCOUNT, attempt.account)
    # Every log-in (a sign-up's too) makes this browser known to the account, with a new device id.
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
