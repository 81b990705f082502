from django.contrib import admin

from .models import Finding, Proposal, Scan


class FindingInline(admin.TabularInline):
    model = Finding
    extra = 0
    can_delete = False
    fields = ["check_id", "outcome", "criteria", "message", "evidence"]
    readonly_fields = fields


@admin.register(Scan)
class ScanAdmin(admin.ModelAdmin):
    list_display = ["repository_url", "product", "status", "commit", "created_at", "finished_at"]
    list_filter = ["status"]
    search_fields = ["repository_url", "product__name"]
    readonly_fields = [f.name for f in Scan._meta.fields]
    inlines = [FindingInline]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["product", "criterion_code", "answer", "status", "created_at", "decided_by"]
    list_filter = ["status", "answer"]
    search_fields = ["product__name", "criterion_code"]
    readonly_fields = [f.name for f in Proposal._meta.fields]
