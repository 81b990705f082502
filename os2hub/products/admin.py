from django.contrib import admin

from .models import (
    Adoption,
    Category,
    Document,
    Group,
    GroupJoinRequest,
    GroupMember,
    JoiningAgreement,
    Product,
    Repository,
    SupplierRole,
    TextSuggestion,
    WikiPage,
)
from .search import index_products


class RepositoryInline(admin.TabularInline):
    model = Repository
    extra = 0


class SupplierRoleInline(admin.TabularInline):
    model = SupplierRole
    extra = 0
    autocomplete_fields = ["supplier"]


class AdoptionInline(admin.TabularInline):
    model = Adoption
    extra = 0
    autocomplete_fields = ["organisation"]
    exclude = ["created_by"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "official_level", "coordinator", "updated_at"]
    list_filter = ["status", "official_level", "categories"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["coordinator"]
    # The official level changes only through a decision (the governance workflow), not here.
    readonly_fields = ["official_level"]
    inlines = [RepositoryInline, SupplierRoleInline, AdoptionInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The model knows nothing of search: whoever changes a product's texts recomputes its search document.
        index_products(Product.objects.filter(pk=obj.pk))


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name_da", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_da"]}


class GroupMemberInline(admin.TabularInline):
    model = GroupMember
    extra = 0
    autocomplete_fields = ["user", "organisation"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "product", "kind", "is_open"]
    list_filter = ["kind", "is_open"]
    inlines = [GroupMemberInline]


@admin.register(JoiningAgreement)
class JoiningAgreementAdmin(admin.ModelAdmin):
    list_display = ["product", "organisation", "yearly_fee_dkk", "starts_on", "ends_on"]
    list_filter = ["product"]


admin.site.register(Document)
admin.site.register(WikiPage)


@admin.register(GroupJoinRequest)
class GroupJoinRequestAdmin(admin.ModelAdmin):
    """Read-only: requests are answered on the group's page (the workflow keeps their history)."""

    list_display = ["user", "group", "organisation", "status", "created_at"]
    list_filter = ["status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TextSuggestion)
class TextSuggestionAdmin(admin.ModelAdmin):
    """Read-only: suggestions are decided on the product's pages, which write the text and keep the history."""

    list_display = ["product", "field", "page", "author", "status", "created_at"]
    list_filter = ["status", "field"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
