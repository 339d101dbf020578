"""Writing in the forum: start a thread, reply (with a quote), edit, delete, support, City Hall's
official answer and thread states. Plain forms that work without JavaScript; every refusal is the
same page again with a 4xx status and the reason, and nothing stored.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from forum import access, actions, following, text
from forum.blocks import is_blocked
from forum.input import ForumInputError, parse_body, parse_links, parse_thread
from forum.models import ForumSettings, Post, Section, Thread
from forum.photos import parse_photos
from places.models import District
from smartmap.lib.http import client_ip
from smartmap.views import message

HONEYPOT = "website"


def _guard(request):
    """Refusals that apply to every write: the honeypot and a block."""
    if request.POST.get(HONEYPOT):
        raise ForumInputError(HONEYPOT, _("This form was filled in by a program, not a person."))
    if is_blocked(request.user, client_ip(request)):
        raise ForumInputError("body", _("Your account is blocked from posting."), 403)


def _department(request):
    raw = request.POST.get("as_department", "")
    if not raw:
        return None
    for department in access.departments_of(request.user):
        if str(department.pk) == raw:
            return department
    raise ForumInputError("as_department", _("You can only write for a department you belong to."), 403)


@login_required
@require_http_methods(["GET", "POST"])
def new_thread(request):
    if request.method == "GET":
        data = request.GET
        try:
            items, _related = parse_links(data.getlist("items"), "")
        except ForumInputError as exc:
            return message(request, _("This item cannot be discussed"), exc.message, status=404)
        return _thread_form(request, {"section": data.get("section", ""), "items": [f"{a}:{b}" for a, b in items]})
    try:
        _guard(request)
        parsed = parse_thread(request.POST)
        photos = parse_photos(request.FILES)
        thread = actions.do_create_thread(
            parsed, author=request.user, department=_department(request), ip=client_ip(request), photos=photos
        )
    except ForumInputError as exc:
        return _thread_form(request, request.POST, {exc.field: exc.message}, status=exc.status)
    return redirect(thread)


def _thread_form(request, data, errors=None, status=200):
    items = data.getlist("items") if hasattr(data, "getlist") else data.get("items", [])
    return render(
        request,
        "forum/thread_form.html",
        {
            "data": data,
            "errors": errors or {},
            "error": next(iter((errors or {}).values()), None),
            "item_tokens": items,
            "sections": Section.objects.filter(active=True),
            "districts": District.objects.all(),
            "departments": access.departments_of(request.user),
            "places": Thread.Place.choices,
            "tile_url": settings.MAP_TILE_URL,
        },
        status=status,
    )


def reply_form_context(request, thread, body="", error=None) -> dict:
    quote_of = None
    if not body and request.GET.get("quote"):
        quote_of = Post.objects.public().filter(thread=thread, pk=_int(request.GET["quote"])).first()
        if quote_of is not None:
            body = text.quote(quote_of.body)
    return {"reply_body": body, "reply_error": error, "quote_of": quote_of, "honeypot": HONEYPOT}


def _int(raw) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return 0


@login_required
@require_POST
def reply(request, pk):
    from forum.views import _thread_context

    thread = get_object_or_404(Thread.objects.select_related("section"), pk=pk)
    try:
        _guard(request)
        body = parse_body(request.POST)
        reply_to = None
        if request.POST.get("reply_to"):
            reply_to = Post.objects.filter(pk=_int(request.POST["reply_to"])).first()
            if reply_to is None:
                raise ForumInputError("reply_to", _("The post you reply to is not in this discussion."))
        photos = parse_photos(request.FILES)
        post = actions.do_reply(
            thread,
            body,
            author=request.user,
            reply_to=reply_to,
            department=_department(request),
            ip=client_ip(request),
            photos=photos,
        )
    except ForumInputError as exc:
        posts = list(thread.posts.order_by("-number")[:5])[::-1]
        context = _thread_context(request, thread, posts, 0, 0)
        context.update(reply_form_context(request, thread, request.POST.get("body", ""), exc.message))
        context["reply_to_id"] = request.POST.get("reply_to", "")
        return render(request, "forum/thread.html", context, status=exc.status)
    return redirect(f"{thread.get_absolute_url()}?post={post.number}")


def _own_post(request, pk) -> Post:
    post = get_object_or_404(Post.objects.select_related("thread", "thread__section"), pk=pk)
    if not access.can_edit_post(request.user, post):
        raise ForumInputError("post", _("You can only change your own posts."), 403)
    return post


@login_required
@require_http_methods(["GET", "POST"])
def edit_post(request, pk):
    try:
        post = _own_post(request, pk)
    except ForumInputError as exc:
        return message(request, _("Not yours"), exc.message, status=exc.status)
    context = {"post": post, "thread": post.thread, "body": post.body, "title": post.thread.title}
    if request.method == "GET":
        return render(request, "forum/post_edit.html", context)
    try:
        _guard(request)
        body = parse_body(request.POST)
        title = None
        if post.is_first:
            from forum.text import TextError, clean_title

            try:
                title = clean_title(request.POST.get("title"))
            except TextError as exc:
                raise ForumInputError("title", str(exc)) from None
        actions.do_edit_post(post, body, title=title)
    except ForumInputError as exc:
        context.update(body=request.POST.get("body", ""), title=request.POST.get("title", ""), error=exc.message)
        return render(request, "forum/post_edit.html", context, status=exc.status)
    return redirect(post)


@login_required
@require_POST
def delete_post(request, pk):
    try:
        post = _own_post(request, pk)
    except ForumInputError as exc:
        return message(request, _("Not yours"), exc.message, status=exc.status)
    actions.do_delete_post(post)
    return redirect(post)


@login_required
@require_POST
def support(request, pk):
    post = get_object_or_404(Post.objects.public().select_related("thread"), pk=pk)
    try:
        actions.do_support(post, request.user)
    except ForumInputError as exc:
        return message(request, _("Support not added"), exc.message, status=exc.status)
    return redirect(post)


@login_required
@require_POST
def mark_official(request, pk):
    post = get_object_or_404(Post.objects.public(), pk=pk)
    if not access.can_mark_official(request.user, post):
        return message(
            request,
            _("Not allowed"),
            _("Only the department that wrote a post can make it its official answer."),
            status=403,
        )
    actions.do_mark_official(post, request.user)
    return redirect(post)


STATE_ACTIONS = ("close", "reopen", "pin", "unpin", "lock", "unlock")


@login_required
@require_POST
def set_state(request, pk):
    thread = get_object_or_404(Thread, pk=pk)
    if not access.can_manage_thread(request.user, thread):
        return message(request, _("Not allowed"), _("Only moderators and City Hall staff can do this."), status=403)
    action = request.POST.get("action", "")
    if action not in STATE_ACTIONS:
        return message(request, _("Not allowed"), _("Unknown action."), status=400)
    summary = ""
    if action == "close":
        try:
            summary = text.clean_body(request.POST.get("summary"), text.SUMMARY_LENGTH)
        except text.TextError as exc:
            return message(request, _("The discussion is not closed"), str(exc), status=400)
    actions.do_set_state(thread, action, user=request.user, summary=summary)
    return redirect(thread)


@login_required
@require_POST
def follow(request, pk):
    thread = get_object_or_404(Thread.objects.public(), pk=pk)
    if request.POST.get("action") == "stop":
        following.stop_following(request.user, thread)
    else:
        following.follow(request.user, thread)
    return redirect(request.POST.get("next") if request.POST.get("next") == reverse("profile") else thread)


@login_required
@require_POST
def save_settings(request):
    prefs = ForumSettings.of(request.user)
    frequency = request.POST.get("follow_frequency", "")
    if frequency not in ForumSettings.Frequency.values:
        return message(request, _("Not saved"), _("Please choose how often to hear of replies."), status=400)
    prefs.follow_frequency = frequency
    prefs.auto_follow = request.POST.get("auto_follow") == "on"
    prefs.mentions_at_once = request.POST.get("mentions_at_once") == "on"
    prefs.save()
    following.apply_frequency(request.user, frequency)
    messages.success(request, _("Your changes are saved."))
    return redirect("profile")
