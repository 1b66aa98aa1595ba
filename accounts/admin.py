from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from shortscience.admin import ReadOnlyAdmin

from .models import Profile, Suspension, User
from .services import update_profile


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    readonly_fields = ("bio_html",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [ProfileInline]
    list_display = ("username", "email", "display_name_", "date_joined", "is_active", "is_staff")
    list_select_related = ("profile",)
    search_fields = ("username", "email", "profile__display_name", "profile__orcid")

    @admin.display(description="Display name", ordering="profile__display_name")
    def display_name_(self, user):
        return user.profile.display_name

    def save_formset(self, request, form, formset, change):
        # Profiles go through the service so the stored bio HTML follows the bio.
        for profile in formset.save(commit=False):
            update_profile(profile, {})
        formset.save_m2m()


@admin.register(Suspension)
class SuspensionAdmin(ReadOnlyAdmin):
    """Suspensions are given and lifted on the site (which logs them with a reason);
    here they are only looked up."""

    list_display = ("user", "reason", "starts_at", "ends_at", "lifted_at", "moderator")
    list_select_related = ("user", "moderator")
    search_fields = ("user__username", "reason")
