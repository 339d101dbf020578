"""The profile pages: "My Smart Map" (private) and each person's public page.

Both are thin: they ask every registered profile section (accounts.sections) for its part and
include it. The public page shows a display name, never an email address.
"""

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts import actions
from accounts.models import User
from accounts.sections import private_sections, public_sections
from smartmap.sharing import share_for
from smartmap.views import message


@never_cache  # private, and always current: a tab left open must not show a report still waiting
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
            "share": share_for(
                request,
                person.public_name,
                _("Threads, posts and reports on Smart Map Tbilisi."),
                kind="profile",
            ),
        },
    )


@login_required
def download(request):
    """Everything kept about me, as a ZIP of JSON and photos."""
    data = actions.export_zip(request.user)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="smartmap-my-data.zip"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    if request.method == "GET":
        return render(request, "accounts/delete.html")
    if not request.user.check_password(request.POST.get("password", "")):
        return render(
            request, "accounts/delete.html", {"error": _("The password is not right; nothing was deleted.")}, status=400
        )
    if request.POST.get("confirm") != "on":
        return render(
            request, "accounts/delete.html", {"error": _("Please tick the box to confirm the deletion.")}, status=400
        )
    user = request.user
    logout(request)
    actions.do_delete_account(user)
    return message(
        request,
        _("Your account is deleted"),
        _("Your subscriptions and personal data are gone. Thank you for taking part."),
    )
