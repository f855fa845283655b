from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters


class LoginForm(AuthenticationForm):
    def clean_username(self):
        # AuthenticationForm sets max_length only on the widget; an over-long name would reach
        # authenticate() and django-axes, whose failure log cannot store it (a 500 on PostgreSQL).
        username = self.cleaned_data["username"]
        if len(username) > self.fields["username"].max_length:
            raise forms.ValidationError("That is not a username here: usernames are at most 150 characters.")
        return username


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True
    authentication_form = LoginForm


class LogoutView(auth_views.LogoutView):
    pass


class SignupForm(UserCreationForm):
    first_name = forms.CharField(max_length=150, required=False, label="First name (shown to your teacher)")
    join_code = forms.CharField(
        max_length=12, required=False, label="Class join code (optional)", help_text="Your teacher gives you this."
    )

    class Meta(UserCreationForm.Meta):
        fields = ("username", "first_name")


@sensitive_post_parameters("password1", "password2")
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome! Your account is ready.")
        code = form.cleaned_data.get("join_code")
        if code:
            return redirect(f"/classes/join/?code={code}")
        return redirect("home")
    return render(request, "registration/signup.html", {"form": form})
