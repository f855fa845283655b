"""Refusals: what the domain raises when it will not do what was asked, and why.

One small hierarchy for the whole project (the HackSoft Django Styleguide's `ApplicationError`),
so accounts and quiz refuse alike without either importing the other. A refusal carries only a
message for the user, shown as is; its class says what kind of refusal it is. Nothing here knows
about HTTP: quiz/views/refusals.py maps each kind to its status, in one table.

The domain names its own situations as subclasses of a kind where the name says something
(`quiz.attempts.CannotStart`, `quiz.answer_modes.BadAnswer`, `quiz.teaching.passwords.ResetRefused`);
elsewhere it raises a kind directly.
"""


class ApplicationError(Exception):
    """A refusal; nothing was changed. `message` is for the user and is shown as is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Invalid(ApplicationError):
    """What was sent cannot be acted on as it stands (a missing choice, a malformed file)."""


class NotAllowed(ApplicationError):
    """The thing exists and the request is well formed, but this user may not do it to it."""


class NotFound(ApplicationError):
    """Nothing such is there for this user: it does not exist, or is not theirs to see."""


class Conflict(ApplicationError):
    """The request clashes with the current state (already finished, retired, not yet shown)."""
