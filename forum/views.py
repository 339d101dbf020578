"""Reading the forum: the lists, a thread page, a post's edit history. No JavaScript needed."""

import math

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from forum import access, actions, following, lists, places
from forum.input import ForumInputError
from forum.models import Post, Section, Thread
from moderation.models import reason_text
from places.areas import URL_VERTICES, AreaError, drawn_area
from places.models import District
from smartmap.sharing import share_for
from smartmap.views import message

POSTS_PER_PAGE = 20


def _listing(request, section=None) -> lists.Listing:
    get = request.GET
    order = get.get("order", "latest")
    period = get.get("period", "week")
    if order not in lists.ORDERS or period not in lists.PERIODS:
        raise ForumInputError("order", _("Unknown list order or period."))
    listing = lists.Listing(order=order, period=period, section=section, q=get.get("q", "").strip()[:100])
    if get.get("district"):
        listing.district = District.objects.filter(slug=get["district"]).first()
        if listing.district is None:
            raise ForumInputError("district", _("There is no such district."))
    if get.get("area"):
        try:
            listing.area = drawn_area(get["area"], max_vertices=URL_VERTICES)
        except AreaError as exc:
            raise ForumInputError("area", str(exc)) from None
    try:
        listing.page = int(get.get("page", "1"))
    except ValueError:
        listing.page = 0
    if not 1 <= listing.page <= lists.MAX_PAGE:
        raise ForumInputError("page", _("There is no such page."))
    return listing


def index(request, slug=None):
    section = get_object_or_404(Section, slug=slug, active=True) if slug else None
    try:
        listing = _listing(request, section)
    except ForumInputError as exc:
        return message(request, _("This list cannot be shown"), exc.message, status=400)
    rows, more = lists.page_of(listing)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "forum/index.html",
        {
            "listing": listing,
            "threads": lists.with_unread(rows, request.user),
            "more": more,
            "query_string": params.urlencode(),
            "sections": Section.objects.filter(active=True),
            "districts": District.objects.all(),
            "orders": [(code, label) for code, (label, _order) in lists.ORDERS.items()],
            "periods": [(code, label) for code, (label, _span) in lists.PERIODS.items()],
            "section": section,
            "share": share_for(
                request,
                section.name if section else _("Tbilisi Forum"),
                _("Discussions about Tbilisi, with City Hall's answers."),
                kind="website",
            ),
        },
    )


def thread_detail(request, pk):
    # The district is named on the page (its outline is not drawn): its ~100 kB geometry stays behind.
    threads = Thread.objects.select_related("section", "district", "author").defer("district__geom")
    thread = get_object_or_404(threads, pk=pk)
    if not access.thread_visible_to(request.user, thread):
        return message(
            request,
            _("Hidden discussion"),
            _("A moderator has hidden this discussion: %(reason)s")
            % {"reason": reason_text(thread.hidden_reason) or "—"},
            status=404,
        )
    pages = max(1, math.ceil(thread.posts_count / POSTS_PER_PAGE))
    if "post" in request.GET:
        return _to_post(thread, request.GET["post"])
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 0
    if not 1 <= page <= pages:
        raise Http404
    first = (page - 1) * POSTS_PER_PAGE + 1
    # (thread, number) is unique and indexed: the last page of 2,000 posts reads 20 rows.
    posts = list(
        Post.objects.filter(thread=thread, number__gte=first, number__lt=first + POSTS_PER_PAGE)
        .select_related("author", "department", "reply_to")
        .prefetch_related("photos")
        .order_by("number")
    )
    if posts:
        actions.mark_read(request.user, thread, posts[-1].number)
    return render(request, "forum/thread.html", _thread_context(request, thread, posts, page, pages))


def _to_post(thread, raw):
    try:
        number = int(raw)
    except ValueError:
        raise Http404 from None
    page = max(1, math.ceil(number / POSTS_PER_PAGE))
    return redirect(f"{thread.get_absolute_url()}?page={page}#p{number}")


def _thread_context(request, thread, posts, page, pages) -> dict:
    from forum.write import reply_form_context

    supported = _supported(request.user, posts) if request.user.is_authenticated else set()
    return {
        "thread": thread,
        "posts": posts,
        "page": page,
        "pages": pages,
        "page_range": range(1, pages + 1) if pages <= 12 else None,
        "supported": supported,
        "items": places.linked_items(thread),
        "related": thread.related.public(),
        "can_manage": access.can_manage_thread(request.user, thread),
        "departments": access.departments_of(request.user),
        "share": share_for(
            request,
            thread.title,
            f"{thread.section.name} · {thread.get_status_display()}",
            path=thread.get_absolute_url(),
            geom=thread.geom,
            district=thread.district,
        ),
        "place_geojson": places.geojson(thread),
        "tile_url": settings.MAP_TILE_URL,
        "following": following.is_following(request.user, thread),
        **reply_form_context(request, thread),
    }


def _supported(user, posts) -> set[int]:
    from forum.models import Support

    return set(Support.objects.filter(user=user, post__in=posts).values_list("post_id", flat=True))


def post_link(request, pk):
    post = get_object_or_404(Post, pk=pk)
    return _to_post(post.thread, str(post.number))


def history(request, pk):
    post = get_object_or_404(Post.objects.select_related("thread", "author", "department"), pk=pk)
    if post.is_deleted or not post.is_visible or not access.thread_visible_to(request.user, post.thread):
        raise Http404
    return render(request, "forum/history.html", {"post": post, "revisions": post.revisions.all()})
