from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that the site's own services write, with their reasons and logs (the
    moderation log, cases, suspensions): the admin only looks them up."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
