"""Per-client limits on what can be abused: failing to log in, guessing join codes, creating
accounts, asking for password-reset e-mails.

A limit counts events (ThrottleEvent rows) per key (an account, an address, a user) over a
sliding window. The first `allowed` events in the window are free. Past that, each
further event must wait a cool-off after the one before it: a minute after the first event over
the allowance, twice as long after each one after that, at most an hour. A client that keeps
going slows down fast; nobody is locked out for good, and no limit ever needs an administrator
to lift it.

Events live in the database, not the cache: every app server counts the same events, a restart
or a Redis outage lifts no limit (the tolerant cache reads as empty when Redis is down), and one
mechanism serves every limit. (django-ratelimit, the maintained cache-based library, was
considered: its system checks refuse the local-memory cache used in development and tests, it
does not know Django's own Redis cache, and its counter would raise through our tolerant cache
during an outage.)

Besides limits, the table keeps memories (`Record`): where each account has logged in
successfully in the last 30 days, which the per-address log-in limit uses, and the devices each
account has asked to be remembered in the last 90 (login_limits). Each kind of row is forgotten
once older than its own window.

A request asks before doing the work (`admit`). Its event is written first, and only the
events written before it are counted, so two racing requests see each other (bar the instant
between a row's id being drawn and its commit) and a burst of parallel guesses cannot all slip
under a limit. Work that turns out not to count (a right password, a right join code, a refused
form) takes its event back (`Admission.withdraw`). A request that is held leaves nothing behind.
An event can also count under a limit that does not hold it (`also_count`: a remembered device's
failed log-in adds to its address's count, but the address cannot hold the owner's browser).
"""

import hashlib
import math
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils.timezone import now

from .models import ThrottleEvent

FIRST_WAIT = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=1)


@dataclass(frozen=True)
class Limit:
    name: str  # stored with each event
    setting: str  # the setting that says how many events in the window are free
    window: timedelta

    @property
    def allowed(self) -> int:
        return getattr(settings, self.setting)

    def wait_after(self, earlier: int) -> timedelta:
        """The cool-off before one more event, after `earlier` events in the window."""
        over = earlier - self.allowed
        if over < 0:
            return timedelta(0)
        return min(LONGEST_WAIT, FIRST_WAIT * 2 ** min(over, 12))


@dataclass(frozen=True)
class Record:
    """Something remembered for a while, not limited: one row per key, renewed each time."""

    name: str
    window: timedelta


# Every limit, in one table (README "Accounts" lists them with their settings).
LOGIN_PER_ACCOUNT = Limit("login-account", "LOGIN_FAILURES_PER_ACCOUNT", timedelta(days=1))
LOGIN_PER_KNOWN_DEVICE = Limit("login-known-device", "LOGIN_FAILURES_PER_KNOWN_DEVICE", timedelta(days=1))
LOGIN_PER_ADDRESS = Limit("login-address", "LOGIN_FAILURES_PER_ADDRESS", timedelta(hours=1))
JOIN_PER_USER = Limit("join-user", "JOIN_FAILURES_PER_USER", timedelta(hours=1))
JOIN_PER_ADDRESS = Limit("join-address", "JOIN_FAILURES_PER_ADDRESS", timedelta(hours=1))
SIGNUP_PER_ADDRESS = Limit("signup-address", "SIGNUPS_PER_ADDRESS", timedelta(hours=1))
RESET_PER_ADDRESS = Limit("reset-address", "PASSWORD_RESETS_PER_ADDRESS", timedelta(hours=1))
RESET_PER_EMAIL = Limit("reset-email", "PASSWORD_RESETS_PER_EMAIL", timedelta(hours=1))
LIMITS = (
    LOGIN_PER_ACCOUNT,
    LOGIN_PER_KNOWN_DEVICE,
    LOGIN_PER_ADDRESS,
    JOIN_PER_USER,
    JOIN_PER_ADDRESS,
    SIGNUP_PER_ADDRESS,
    RESET_PER_ADDRESS,
    RESET_PER_EMAIL,
)
# An account's successful log-ins from an address (the key names both).
LOGGED_IN_FROM = Record("login-known-address", timedelta(days=30))
# The devices an account has asked to be remembered (the key: the user's id, "/", the device's).
REMEMBERED_DEVICE = Record("login-remembered-device", timedelta(days=90))
KINDS = (*LIMITS, LOGGED_IN_FROM, REMEMBERED_DEVICE)
LONGEST_WINDOW = max(kind.window for kind in KINDS)


class Throttled(Exception):
    """A request a limit holds. accounts.middleware answers it: 429, the page, Retry-After."""

    def __init__(self, wait: timedelta, *, title: str, reason: str, template: str = "throttled.html"):
        super().__init__(reason)
        self.wait, self.title, self.reason, self.template = wait, title, reason, template

    @property
    def retry_after(self) -> int:
        return max(1, math.ceil(self.wait.total_seconds()))

    @property
    def wait_text(self) -> str:
        minutes = math.ceil(self.retry_after / 60)
        return "1 minute" if minutes == 1 else f"{minutes} minutes"


@dataclass
class Admission:
    event_ids: list[int]

    def withdraw(self) -> None:
        """The work did not count (a right password, a right code, a refused form)."""
        ThrottleEvent.objects.filter(pk__in=self.event_ids).delete()
        self.event_ids = []


def key_for(text: str) -> str:
    """The stored key: as given, or a digest when too long for the column (a 5,000-character
    username posted to the admin's log-in form is just a failure, not a database error)."""
    if len(text) <= 150:
        return text
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def admit(
    *claims: tuple[Limit, str],
    title: str,
    reason: str,
    template: str = "throttled.html",
    also_count: tuple[tuple[Limit, str], ...] = (),
) -> Admission:
    """Count one event under each (limit, key) of `claims` and of `also_count`, or raise
    Throttled (counting nothing) if any of `claims` says to wait; the longest wait is the one
    reported. `also_count` adds to other limits' counts without being held by them."""
    at = now()
    _forget_old(at)
    events = [ThrottleEvent.objects.create(limit=limit.name, key=key_for(key), at=at) for limit, key in claims]
    counted = [ThrottleEvent.objects.create(limit=limit.name, key=key_for(key), at=at) for limit, key in also_count]
    ids = [event.pk for event in events + counted]
    wait = max((_wait(limit, event) for (limit, _), event in zip(claims, events)), default=timedelta(0))
    if wait > timedelta(0):
        ThrottleEvent.objects.filter(pk__in=ids).delete()
        raise Throttled(wait, title=title, reason=reason, template=template)
    return Admission(ids)


def _forget_old(at) -> None:
    """Each kind's rows once older than its window (rows of a kind no longer in the table after
    the longest)."""
    old = Q(at__lte=at - LONGEST_WINDOW)
    for kind in KINDS:
        old |= Q(limit=kind.name, at__lte=at - kind.window)
    ThrottleEvent.objects.filter(old).delete()


def _wait(limit: Limit, event: ThrottleEvent) -> timedelta:
    earlier = ThrottleEvent.objects.filter(
        limit=limit.name, key=event.key, at__gt=event.at - limit.window, pk__lt=event.pk
    ).aggregate(count=Count("pk"), latest=Max("at"))
    if not earlier["count"]:
        return timedelta(0)
    return limit.wait_after(earlier["count"]) - (event.at - earlier["latest"])


def used(limit: Limit, key: str) -> int:
    """Events counted under `key` in the limit's window."""
    return ThrottleEvent.objects.filter(limit=limit.name, key=key_for(key), at__gt=now() - limit.window).count()


def forget(kind: Limit | Record, key: str) -> None:
    """Clear `key`'s events (a successful log-in, a password reset)."""
    ThrottleEvent.objects.filter(limit=kind.name, key=key_for(key)).delete()


def remember(record: Record, key: str) -> None:
    """Remember `key` for the record's window from now (renewing it if it was remembered)."""
    forget(record, key)
    ThrottleEvent.objects.create(limit=record.name, key=key_for(key), at=now())


def remembered(record: Record, key: str) -> bool:
    return ThrottleEvent.objects.filter(limit=record.name, key=key_for(key), at__gt=now() - record.window).exists()


def keep_newest(record: Record, prefix: str, count: int) -> None:
    """Forget all but the `count` keys starting with `prefix` that were remembered last."""
    rows = ThrottleEvent.objects.filter(limit=record.name, key__startswith=prefix)
    older = list(rows.order_by("-at", "-pk").values_list("pk", flat=True)[count:])
    ThrottleEvent.objects.filter(pk__in=older).delete()
