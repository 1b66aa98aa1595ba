from django.shortcuts import render

from accounts.models import User

NEWEST_MEMBERS = 8


def home(request):
    members = User.objects.filter(is_active=True)
    return render(
        request,
        "home.html",
        {
            "member_count": members.count(),
            "newest_members": members.select_related("profile").order_by("-date_joined")[
                :NEWEST_MEMBERS
            ],
        },
    )


def about(request):
    return render(request, "about.html")
