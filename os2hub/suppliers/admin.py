from django.contrib import admin

from .models import (
    ApplicationEvent,
    CommitDomain,
    ContactPerson,
    PriceEntry,
    SupplierApplication,
    SupplierCompetence,
)


class CompetenceInline(admin.TabularInline):
    model = SupplierCompetence
    extra = 0


class ContactInline(admin.TabularInline):
    model = ContactPerson
    extra = 0


class PriceInline(admin.TabularInline):
    model = PriceEntry
    extra = 0


class CommitDomainInline(admin.TabularInline):
    """Read-only here: domains are added by the partner and verified on the review page, where it is recorded who
    verified them."""

    model = CommitDomain
    extra = 0
    fields = ["domain", "created_at", "created_by", "verified_at", "verified_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    readonly_fields = ["from_status", "to_status", "actor", "comment", "created_at"]
    can_delete = False


@admin.register(SupplierApplication)
class SupplierApplicationAdmin(admin.ModelAdmin):
    """Read-mostly: decisions go through the review page so they are recorded and e-mailed."""

    list_display = ["organisation_name", "cvr", "status", "submitted_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["organisation_name", "cvr"]
    readonly_fields = ["status", "submitted_at", "decided_at", "coc_version", "coc_accepted_at", "coc_accepted_by"]
    inlines = [CompetenceInline, ContactInline, PriceInline, CommitDomainInline, EventInline]
