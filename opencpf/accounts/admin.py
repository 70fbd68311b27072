from django.contrib import admin

from opencpf.accounts.models import Holder, SmsOutbox


@admin.register(SmsOutbox)
class SmsOutboxAdmin(admin.ModelAdmin):
    """The sandbox SMS gateway's phone: read only."""

    list_display = ("created_at", "to", "body")
    search_fields = ("to",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Holder)
class HolderAdmin(admin.ModelAdmin):
    """Agents confirm, on proof, the situations that exempt a holder from the flat contribution; nothing else of
    the holder is edited here."""

    list_display = ("__str__", "status", "c2p_confirmed", "work_accident_rate")
    list_filter = ("c2p_confirmed",)
    search_fields = ("last_name",)
    fields = ("first_names", "last_name", "status", "c2p_confirmed", "work_accident_rate")
    readonly_fields = ("first_names", "last_name", "status")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
