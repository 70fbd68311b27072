from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from opencpf.accounts.forms import AccountEmailField
from opencpf.support.enums import Subject
from opencpf.support.selectors import MAX_QUERY
from opencpf.support.services import MAX_MESSAGE, MIN_MESSAGE


class HelpSearchForm(DsfrBaseForm):
    q = forms.CharField(label=_("Search the help"), max_length=MAX_QUERY, required=False)


class ContactForm(DsfrBaseForm):
    subject = forms.ChoiceField(
        label=_("Subject"), choices=[("", _("Choose a subject")), *Subject.choices], required=True
    )
    message = forms.CharField(
        label=_("Your message"),
        min_length=MIN_MESSAGE,
        max_length=MAX_MESSAGE,
        help_text=_("Never write your password or a code you received. Give the number of the training file if any."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    email = AccountEmailField(
        label=_("Your email address"),
        help_text=_("We answer at this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
