"""The profile pages: "My Smart Map" (private) and each person's public page.

Both are thin: they ask every registered profile section (accounts.sections) for its part and
include it. The public page shows a display name, never an email address.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from accounts.models import User
from accounts.sections import private_sections, public_sections


@login_required
def profile(request):
    return render(request, "accounts/profile.html", {"sections": private_sections(request)})


def public_profile(request, pk):
    person = get_object_or_404(User, pk=pk, is_active=True)
    return render(
        request,
        "accounts/public_profile.html",
        {
            "person": person,
            "is_city_staff": person.memberships.exists(),
            "sections": public_sections(request, person),
            "share_title": person.public_name,
            "share_text": "",
            "absolute_url": request.build_absolute_uri(),
        },
    )
