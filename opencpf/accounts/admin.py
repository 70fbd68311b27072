from django.contrib import admin

from opencpf.accounts.models import SmsOutbox


@admin.register(SmsOutbox)
class SmsOutboxAdmin(admin.ModelAdmin):
    """The sandbox SMS gateway's phone: read only."""

    list_display = ("created_at", "to", "body")
    search_fields = ("to",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
