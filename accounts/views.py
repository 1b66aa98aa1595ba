from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .access import get_profile_for_edit
from .forms import ProfileForm
from .gate import allowed_while_suspended, refuses_in_view
from .models import Notification
from .ratelimits import refused_status, write_refused
from .services import mark_read, update_profile

NOTIFICATIONS_PER_PAGE = 50


@login_required
@refuses_in_view
def edit_profile(request, username):
    profile = get_profile_for_edit(request, username)
    form = ProfileForm(request.POST or None, instance=profile, user=request.user)
    if request.method == "POST":
        if refused := write_refused(request, "profile_edit", form=form):
            return refused
        if form.is_valid():
            update_profile(profile, form.cleaned_data)
            messages.success(request, "Your profile is saved.")
            return redirect(profile.user)
    return render(
        request,
        "accounts/profile_edit.html",
        {"form": form, "member": profile.user},
        status=refused_status(form),
    )


@never_cache
@login_required
def notifications(request):
    """The signed-in member's notifications, newest first; the unread ones are marked."""
    mine = Notification.objects.filter(recipient=request.user).for_listing()
    page = Paginator(mine, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "accounts/notifications.html", {"page": page})


@require_POST
@login_required
@allowed_while_suspended
def mark_notifications_read(request):
    count = mark_read(request.user)
    if count:
        messages.success(
            request, f"Marked {count} notification{'s' if count != 1 else ''} as read."
        )
    return redirect("accounts:notifications")
