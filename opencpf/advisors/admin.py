"""Read-only views of the advisor directory for agents: sites change through `load_advisor_sites`, advisors through
`create_advisor`, appointments through the services (holders' and advisors' pages)."""

from django.contrib import admin

from opencpf.advisors.models import AdvisorMembership, AdvisorSite, AdvisorSiteNetwork, Appointment


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NetworkInline(admin.TabularInline):
    model = AdvisorSiteNetwork
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MembershipInline(NetworkInline):
    model = AdvisorMembership


@admin.register(AdvisorSite)
class AdvisorSiteAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "postal_code", "city", "status", "remote_only")
    list_filter = ("status", "remote_only", "networks__network")
    search_fields = ("code", "name", "postal_code", "city")
    inlines = [NetworkInline, MembershipInline]


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ("pk", "site", "status", "mode", "created_at", "proposed_at")
    list_filter = ("status", "mode", "network")
    # Agents see the request's course, not what the holder shared with the advisor.
    fields = ("site", "network", "subject", "mode", "status", "created_at", "proposed_at", "advisor")
    readonly_fields = fields
