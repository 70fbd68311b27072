"""Read-only views of the training files for agents; an agent pays an organisation with the admin action, which
goes through `services.organisation_payment_pay` (and its checks). Files move only through the services."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from opencpf.dossiers import services
from opencpf.dossiers.models import Dossier, DossierEvent, Evaluation, OrganisationPayment, Payment


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = DossierEvent
    fields = ("at", "from_state", "to_state", "action", "actor_kind", "actor", "ip_address", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdmin):
    list_display = ("id", "holder", "organisation", "offer_title", "state", "respond_before", "accept_before")
    list_filter = ("state", "ending")
    search_fields = ("id", "holder__nir", "holder__last_name", "organisation__siret", "offer_title")
    list_select_related = ("holder", "organisation")
    raw_id_fields = ("holder", "organisation", "offer", "session")
    inlines = [EventInline]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "dossier", "kind", "amount", "status", "provider", "provider_reference")
    list_filter = ("kind", "status", "provider")
    raw_id_fields = ("dossier",)


@admin.register(OrganisationPayment)
class OrganisationPaymentAdmin(ReadOnlyAdmin):
    list_display = ("dossier", "organisation", "amount", "ending", "due_on", "status", "paid_at", "reference")
    list_filter = ("status", "ending")
    search_fields = ("organisation__siret", "organisation__name", "reference")
    raw_id_fields = ("dossier", "organisation", "paid_by")
    actions = ["pay"]

    @admin.action(description=_("Pay the selected organisations now"))
    def pay(self, request, queryset):
        paid = 0
        for payment in queryset:
            try:
                services.organisation_payment_pay(payment_id=payment.pk, user=request.user)
                paid += 1
            except (services.DossierError, PermissionDenied) as error:
                self.message_user(request, f"{payment.dossier_id}: {error}", messages.ERROR)
        if paid:
            self.message_user(
                request,
                ngettext("%(count)s payment made.", "%(count)s payments made.", paid) % {"count": paid},
                messages.SUCCESS,
            )


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ("dossier", "offer", "welcome", "content", "trainers", "resources", "support", "created_at")
    raw_id_fields = ("dossier", "offer")
