"""Password reset by email: Django's views with our forms, templates and audit."""

from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy

from opencpf.accounts import services
from opencpf.utils.client import client_info
from opencpf.www.accounts_views.forms import (
    PasswordResetForm,
    SetPasswordForm,
)

# --- password reset (Django's views, DSFR templates, no account enumeration) ------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")
    extra_context = {"page_title": gettext_lazy("Forgot your password?")}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"
    extra_context = {"page_title": gettext_lazy("Check your emails")}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    extra_context = {"page_title": gettext_lazy("Choose a new password")}

    def form_valid(self, form):
        services.password_reset_complete(
            user=form.user, new_password=form.cleaned_data["new_password1"], ip=client_info(self.request).ip
        )
        self.request.session.pop(auth_views.INTERNAL_RESET_SESSION_TOKEN, None)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
    extra_context = {"page_title": gettext_lazy("Password changed")}
