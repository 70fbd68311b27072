"""Back-office views of the catalogue. Status changes go through the services (audit, search index); offers,
sessions and certifications are read-only here: organisations and imports write them through the services."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from opencpf.catalogue import services
from opencpf.catalogue.enums import OrganisationStatus
from opencpf.catalogue.models import Certification, Offer, Organisation, OrganisationMember, Session


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _status_action(status: OrganisationStatus):
    def action(modeladmin, request, queryset):
        for organisation in queryset:
            services.organisation_status_set(organisation=organisation, status=status, actor=request.user)
        modeladmin.message_user(
            request,
            _("%(count)s organisations are now: %(status)s.") % {"count": queryset.count(), "status": status.label},
            messages.SUCCESS,
        )

    action.__name__ = f"set_{status.value}"
    action.short_description = _("Set status: %(status)s") % {"status": status.label}
    return action


class MemberInline(admin.TabularInline):
    model = OrganisationMember
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "siret", "status", "qualiopi_expires_on", "city"]
    list_filter = ["status"]
    search_fields = ["name", "siret"]
    readonly_fields = [
        "siret",
        "status",
        "status_changed_at",
        "qualiopi_expires_on",
        "name",
        "created_at",
        "updated_at",
    ]
    inlines = [MemberInline]
    actions = [_status_action(status) for status in OrganisationStatus]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Certification)
class CertificationAdmin(ReadOnlyAdmin):
    list_display = ["code", "kind", "title", "level"]
    list_filter = ["kind"]
    search_fields = ["code", "title"]


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    can_delete = False
    fields = ["start_date", "end_date", "is_remote", "postal_code", "city", "seats", "is_active"]
    readonly_fields = fields


@admin.register(Offer)
class OfferAdmin(ReadOnlyAdmin):
    list_display = ["title", "organisation", "certification", "price", "hours", "modality", "rating_average"]
    list_filter = ["modality", "certification__kind"]
    search_fields = ["title", "organisation__name", "organisation__siret", "certification__code"]
    list_select_related = ["organisation", "certification"]
    inlines = [SessionInline]
