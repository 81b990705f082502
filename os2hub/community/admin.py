from django.contrib import admin

from .models import Event, NewsPost


@admin.register(NewsPost)
class NewsPostAdmin(admin.ModelAdmin):
    list_display = ["title", "product", "published_at", "author"]
    list_filter = ["product"]
    list_select_related = ["product", "author"]
    search_fields = ["title"]
    raw_id_fields = ["author"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "product", "starts_at", "ends_at", "location"]
    list_filter = ["product"]
    list_select_related = ["product"]
    search_fields = ["title", "location"]
