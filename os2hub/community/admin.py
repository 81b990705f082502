from django.contrib import admin

from .models import AgendaItem, CoHost, Event, NewsPost, Registration


@admin.register(NewsPost)
class NewsPostAdmin(admin.ModelAdmin):
    list_display = ["title", "product", "status", "published_at", "author"]
    list_filter = ["status", "product"]
    list_select_related = ["product", "author"]
    search_fields = ["title"]
    raw_id_fields = ["author", "organisation"]


class CoHostInline(admin.TabularInline):
    model = CoHost
    extra = 0
    raw_id_fields = ["organisation", "invited_by", "responded_by"]


class AgendaInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    raw_id_fields = ["pitch", "created_by"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "product", "status", "starts_at", "ends_at", "location"]
    list_filter = ["status", "product"]
    list_select_related = ["product"]
    search_fields = ["title", "location"]
    raw_id_fields = ["product", "group", "organisation", "proposed_by"]
    # Statuses move only through the workflow (community/workflow.py).
    readonly_fields = ["status"]
    inlines = [CoHostInline, AgendaInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["event", "user", "status", "position", "created_at"]
    list_filter = ["status"]
    list_select_related = ["event", "user"]
    raw_id_fields = ["event", "user"]
    # Seats and the waiting list move only through the sign-up services, under the event's lock.
    readonly_fields = ["status", "position"]
