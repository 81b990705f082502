from django.contrib import admin

from .models import Delivery, Issue, Subscription, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "public", "product"]
    list_filter = ["public"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["product"]
    search_fields = ["name"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "topic", "status", "source", "consent_at", "unsubscribed_at"]
    list_filter = ["status", "source", "topic"]
    list_select_related = ["topic"]
    search_fields = ["email"]
    raw_id_fields = ["user"]
    # The consent record is evidence: it is read here, never edited.
    readonly_fields = ["consent_at", "consent_text", "confirmed_at", "unsubscribed_at", "confirm_token_hash"]


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ["title", "topic", "status", "sent_at", "recipient_count"]
    list_filter = ["status", "topic"]
    list_select_related = ["topic"]
    raw_id_fields = ["author", "product"]
    readonly_fields = ["status", "sent_at", "finished_at", "recipient_count"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["email", "issue", "status", "sent_at", "error"]
    list_filter = ["status"]
    search_fields = ["email"]
    raw_id_fields = ["issue"]

    def has_add_permission(self, request):
        return False
