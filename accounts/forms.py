from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, UserCreationForm

from .names import DistinctUsernameMixin, VisibleNameField, VisibleUsernameField


class LoginForm(AuthenticationForm):
    # Unticked by default: a remembered browser is let in while someone else's guesses hold the
    # account, so it must be the user's own (accounts/login_limits.py).
    remember_device = forms.BooleanField(
        required=False,
        label="Remember this device: only on your own computer or phone, never a shared one",
        help_text="Then, if someone else’s wrong guesses lock your account, you can still log in here.",
    )

    def clean_username(self):
        # AuthenticationForm sets max_length only on the widget: say plainly that an over-long
        # name is no username here rather than checking it against any password.
        username = self.cleaned_data["username"]
        if len(username) > self.fields["username"].max_length:
            raise forms.ValidationError("That is not a username here: usernames are at most 150 characters.")
        return username


class SignupForm(DistinctUsernameMixin, UserCreationForm):
    first_name = VisibleNameField(max_length=150, required=False, label="First name (shown to your teacher)")
    email = forms.EmailField(
        required=False,
        label="E-mail (optional)",
        help_text="Used only to reset your password if you forget it.",
    )
    join_code = forms.CharField(
        max_length=12, required=False, label="Class join code (optional)", help_text="Your teacher gives you this."
    )

    class Meta(UserCreationForm.Meta):
        fields = ("username", "first_name", "email")
        field_classes = {"username": VisibleUsernameField}


class ResetRequestForm(PasswordResetForm):
    email = forms.EmailField(
        label="E-mail address", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
