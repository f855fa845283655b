"""Log-in, log-out, sign-up and passwords: Django's own views, in the site's templates, with
the per-client limits of accounts/throttle.py."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.debug import sensitive_post_parameters

from . import throttle
from .clients import client_key
from .forms import LoginForm, ResetRequestForm, SignupForm
from .login_limits import answer_remember_box, device_of, forget_failures, remember_device


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True
    authentication_form = LoginForm

    def form_valid(self, form):
        response = super().form_valid(form)
        answer_remember_box(self.request, response, form.get_user(), ticked=form.cleaned_data["remember_device"])
        return response


class LogoutView(auth_views.LogoutView):
    pass


@sensitive_post_parameters("password1", "password2")
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        # Counted per address before the form is looked at; a refused form creates nothing and
        # takes its count back. A class signing up together stays well inside the allowance.
        admission = throttle.admit(
            (throttle.SIGNUP_PER_ADDRESS, client_key(request)),
            title="Too many new accounts",
            reason="Too many new accounts from your network have been created recently.",
        )
        if form.is_valid():
            user = form.save()
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Welcome! Your account is ready.")
            code = form.cleaned_data.get("join_code")
            if code:
                return redirect(f"/classes/join/?code={code}")
            return redirect("home")
        admission.withdraw()
    return render(request, "registration/signup.html", {"form": form})


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/account_password.html"
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        # The new password voids every known-device cookie (login_limits); this browser, if it
        # was a remembered device, stays one: it just proved it knows the old password.
        device = device_of(self.request, form.user)  # read before the new password voids it
        response = super().form_valid(form)
        if device:
            remember_device(response, form.user, device)
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/account_password_changed.html"


class PasswordResetView(auth_views.PasswordResetView):
    """Always says the e-mail is on its way, registered address or not."""

    form_class = ResetRequestForm
    template_name = "registration/account_reset_request.html"
    email_template_name = "registration/account_reset_email.txt"
    subject_template_name = "registration/account_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        # Per client, and per e-mail address so that nobody can flood someone's inbox; the same
        # for registered and unknown addresses, so a 429 tells nothing either.
        throttle.admit(
            (throttle.RESET_PER_ADDRESS, client_key(self.request)),
            (throttle.RESET_PER_EMAIL, form.cleaned_data["email"].casefold()),
            title="Too many password-reset requests",
            reason="Too many password-reset requests have been made recently.",
        )
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/account_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/account_reset_new_password.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        forget_failures(self.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/account_reset_complete.html"
