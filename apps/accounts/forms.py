from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.utils.translation import gettext_lazy as _

from apps.core.errors import ServiceError

from .roles import Role


def add_service_error(form: forms.BaseForm, error: ServiceError) -> None:
    """A service's refusal shown on the form: beside the field it names, else above the form."""
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, str(error))


class LoginForm(forms.Form):
    """Username + password. Checks the first factor only: the view asks two-factor users for a code next."""

    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user_cache = None
        super().__init__(*args, **kwargs)

    def clean(self):
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if username and password:
            self.user_cache = authenticate(
                self.request, username=username, password=password, first_factor_only=True
            )
            if self.user_cache is None or not self.user_cache.is_active:
                raise forms.ValidationError(_("Your username and password didn't match. Please try again."))
        return self.cleaned_data

    def get_user(self):
        return self.user_cache


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The 6-digit code from your authenticator app, or a recovery code"),
    )


class ProfileForm(forms.ModelForm):
    # Empty: the language the browser asks for (Accept-Language).
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("As the browser asks")), *settings.LANGUAGES]
    )

    class Meta:
        model = get_user_model()
        fields = ["display_name", "email", "language"]


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    display_name = forms.CharField(label=_("Display name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    role = forms.ChoiceField(
        label=_("Role"), choices=[(r.value, r.value) for r in Role], initial=Role.USER.value
    )


class UserEditForm(forms.ModelForm):
    role = forms.ChoiceField(label=_("Role"), choices=[(r.value, r.value) for r in Role])

    class Meta:
        model = get_user_model()
        fields = ["display_name", "email", "is_active"]


class SignupForm(forms.Form):
    """The fields of a sign-up; the username and password rules are the service's (signup.sign_up)."""

    username = forms.CharField(label=_("Username"), max_length=150)
    display_name = forms.CharField(label=_("Display name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    password1 = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Password again"), strip=False, widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


class InvitationForm(forms.Form):
    note = forms.CharField(label=_("For whom (a note)"), max_length=200, required=False)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=90,
                              initial=lambda: settings.MEDIAHUB_INVITATION_DAYS)
