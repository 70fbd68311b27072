from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from opencpf.scams.enums import ReportStatus, SanctionLevel, Situation
from opencpf.support.enums import TicketStatus

TEXT = {"max_length": 5000, "widget": forms.Textarea(attrs={"rows": 3})}


class QueueFilterForm(DsfrBaseForm):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("open", _("To handle")), ("decided", _("Decided")), *ReportStatus.choices],
    )
    situation = forms.ChoiceField(label=_("Situation"), required=False, choices=[("", _("All")), *Situation.choices])
    organisation = forms.IntegerField(label=_("Organisation (number)"), required=False, min_value=1, max_value=2**62)


class QuestionForm(DsfrBaseForm):
    question = forms.CharField(label=_("Question to the holder"), **TEXT)


class ConfirmForm(DsfrBaseForm):
    note = forms.CharField(label=_("Note (sent to the holder)"), required=False, **TEXT)


class RejectForm(DsfrBaseForm):
    reason = forms.CharField(label=_("Reason (sent to the holder)"), **TEXT)


class SanctionForm(DsfrBaseForm):
    level = forms.ChoiceField(label=_("Level"), choices=SanctionLevel.choices)
    reason = forms.CharField(label=_("Reason"), **TEXT)
    offers = forms.MultipleChoiceField(
        label=_("Offers to delist (partial delisting)"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, offer_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offers"].choices = offer_choices


class LiftForm(DsfrBaseForm):
    reason = forms.CharField(label=_("Why the sanction is lifted"), **TEXT)


class HolderSearchForm(DsfrBaseForm):
    q = forms.CharField(label=_("Social security number, name or email"), max_length=200)


class LockForm(DsfrBaseForm):
    reason = forms.CharField(label=_("Reason"), **TEXT)


class AuditFilterForm(DsfrBaseForm):
    organisation = forms.IntegerField(label=_("Organisation (number)"), required=False, min_value=1, max_value=2**62)
    holder = forms.IntegerField(label=_("Holder (number)"), required=False, min_value=1, max_value=2**62)


class AgentCreateForm(DsfrBaseForm):
    email = forms.EmailField(label=_("Email address"))
    display_name = forms.CharField(label=_("Name"), max_length=200)
    manage_agents = forms.BooleanField(label=_("May create other agents"), required=False)


class GrantForm(DsfrBaseForm):
    until = forms.DateField(
        label=_("Until (optional)"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class ApproveForm(DsfrBaseForm):
    qualiopi_certificate = forms.CharField(label=_("Qualiopi certificate number"), max_length=100)
    qualiopi_expires_on = forms.DateField(
        label=_("Qualiopi certificate valid until"), widget=forms.DateInput(attrs={"type": "date"})
    )


class TicketFilterForm(DsfrBaseForm):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *TicketStatus.choices], required=False)


class TicketNoteForm(DsfrBaseForm):
    answer = forms.CharField(
        label=_("Answer (emailed to the sender and shown in their account)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    note = forms.CharField(
        label=_("Note (for the agents only)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
