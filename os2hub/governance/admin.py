"""Read-mostly admin for governance: criteria versions are loaded from files and the decision log is written
through the secretariat's pages (the official level changes only there), so the admin does not edit them."""

from django.contrib import admin

from .models import CriteriaVersion, Criterion, Decision, Evaluation, Practice, Round, SelfAssessment


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["code", "theme", "level", "recommendation", "text_da"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CriteriaVersion)
class CriteriaVersionAdmin(ReadOnlyAdmin):
    list_display = ["version", "released", "loaded_at"]
    inlines = [CriterionInline]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["product", "decided_on", "previous_level", "level", "made_by"]
    list_filter = ["level"]
    search_fields = ["product__name", "decision"]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["name", "opens_on", "deadline", "status"]
    readonly_fields = ["criteria_version", "status", "closed_at", "reminded_at"]

    def has_add_permission(self, request):
        return False  # rounds are opened on the secretariat's page (services.round_open)


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(ReadOnlyAdmin):
    list_display = ["product", "status", "round", "submitted_at"]
    list_filter = ["status", "round"]


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ["product", "status", "round", "recommended_level", "published_at"]
    list_filter = ["status", "round"]


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ["product", "name", "kind", "status"]
    list_filter = ["kind", "status"]
