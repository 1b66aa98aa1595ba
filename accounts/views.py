from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from .access import get_profile_for_edit, get_user_for_view
from .forms import ProfileForm
from .models import User
from .permissions import can_edit_profile
from .services import update_profile

USERS_PER_PAGE = 50


def user_list(request):
    members = (
        User.objects.filter(is_active=True).select_related("profile").order_by("-date_joined")
    )
    page = Paginator(members, USERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page})


def profile(request, username):
    member = get_user_for_view(username)
    if member.username != username:
        return redirect(member, permanent=True)
    return render(
        request,
        "accounts/profile.html",
        {"member": member, "can_edit": can_edit_profile(request.user, member.profile)},
    )


@login_required
def edit_profile(request, username):
    profile = get_profile_for_edit(request, username)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        update_profile(profile, form.cleaned_data)
        messages.success(request, "Your profile is saved.")
        return redirect(profile.user)
    return render(request, "accounts/profile_edit.html", {"form": form, "member": profile.user})
