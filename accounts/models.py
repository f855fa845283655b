from django.db import models


class ThrottleEvent(models.Model):
    """One event a limit counts (accounts/throttle.py): a failed log-in, a wrong join code, a
    sign-up, a password-reset request; or one thing remembered: an account's last successful
    log-in from an address, a device an account has asked to be remembered. Rows are forgotten
    once older than their kind's window."""

    limit = models.CharField(max_length=40, help_text="Which limit counts it, e.g. login-account.")
    key = models.CharField(max_length=150, help_text="Who or what it is counted for: a username, an address, a device.")
    at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["limit", "key", "at"], name="throttle_count"),
            models.Index(fields=["at"], name="throttle_expiry"),
        ]

    def __str__(self):
        return f"{self.limit} {self.key} at {self.at:%Y-%m-%d %H:%M:%S}"
