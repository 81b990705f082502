from django.contrib import admin

from .models import ContactAnswer, ContactMessage, SecretariatPerson


@admin.register(SecretariatPerson)
class SecretariatPersonAdmin(admin.ModelAdmin):
    list_display = ["name", "role_da", "email", "position"]
    ordering = ["position", "pk"]


class ContactAnswerInline(admin.TabularInline):
    model = ContactAnswer
    extra = 0
    readonly_fields = ["author", "body", "created_at"]
    can_delete = False


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    """Read-only: messages are answered and closed in OS2hub, where the sender is e-mailed and the history kept."""

    list_display = ["subject", "sender_name", "sender_email", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["subject", "sender_name", "sender_email", "organisation"]
    inlines = [ContactAnswerInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
