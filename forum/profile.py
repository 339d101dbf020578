"""The forum's part of the profiles: threads, posts and followed threads; on the public page, the
person's visible threads and posts."""

from forum.models import ForumSettings, Post, Thread
from layers.models.items import rule_q


def _posts(person, *, public=False):
    # Others see the public ones (Post.PUBLIC_RULE and the thread's); the person sees their own by
    # the post's rule alone, in threads hidden since too.
    posts = Post.objects.public() if public else Post.objects.filter(rule_q(Post.PUBLIC_RULE))
    return posts.filter(author=person, number__gt=1).select_related("thread").order_by("-created_at")[:30]


def my_forum(request) -> dict:
    from subscriptions.models import Subscription

    followed_ids = Subscription.objects.filter(
        user=request.user, area_kind="item", item_layer=Thread.LAYER, unsubscribed_at__isnull=True
    ).values_list("item_id", flat=True)
    return {
        "threads": Thread.objects.filter(author=request.user).select_related("section").order_by("-created_at")[:30],
        "posts": _posts(request.user),
        "followed": Thread.objects.public().filter(pk__in=list(followed_ids)).order_by("-last_post_at")[:50],
        "settings": ForumSettings.of(request.user),
        "frequencies": ForumSettings.Frequency.choices,
    }


def public_forum(request, person) -> dict:
    return {
        "threads": Thread.objects.public()
        .filter(author=person)
        .select_related("section")
        .order_by("-created_at")[:30],
        "posts": _posts(person, public=True),
    }


def export(user) -> dict:
    from forum.models import Support

    posts = (
        Post.objects.filter(author=user)
        .select_related("thread", "department")
        .prefetch_related("photos")
        .order_by("created_at")
    )
    return {
        "threads": [
            {
                "id": t.pk,
                "title": t.title,
                "section": t.section.slug,
                "created_at": t.created_at,
                "place": t.geom.geojson if t.geom else None,
            }
            for t in Thread.objects.filter(author=user).select_related("section").order_by("created_at")
        ],
        "posts": [
            {
                "thread": p.thread_id,
                "number": p.number,
                "text": p.body,
                "created_at": p.created_at,
                "edited_at": p.edited_at,
                "deleted_at": p.deleted_at,
                "as_department": p.department.slug if p.department_id else None,
                "earlier_versions": list(p.revisions.order_by("written_at").values("body", "written_at")),
                "photos": [_photo_name(photo) for photo in p.photos.all()],
            }
            for p in posts
        ],
        "supported_posts": list(Support.objects.filter(user=user).values("post__thread_id", "post__number")),
        "settings": {
            "follow_frequency": ForumSettings.of(user).follow_frequency,
            "auto_follow": ForumSettings.of(user).auto_follow,
            "mentions_at_once": ForumSettings.of(user).mentions_at_once,
        },
    }


def _photo_name(photo) -> str:
    extension = {"image/png": ".png", "image/webp": ".webp"}.get(photo.content_type, ".jpg")
    return f"forum/{photo.post.thread_id}-{photo.post.number}/{photo.pk}{extension}"


def files(user):
    """The posts' photos as the person sent them (the originals, private to them)."""
    from forum.models import PostPhoto

    for photo in PostPhoto.objects.filter(post__author=user).select_related("post"):
        try:
            opened = photo.original.open("rb")
        except (FileNotFoundError, ValueError):
            continue
        yield _photo_name(photo), opened


def erase(user) -> None:
    """Posts and threads stay, signed "deleted account" (the author link is cleared by the deletion);
    the client addresses kept for the flood guard go now."""
    Post.objects.filter(author=user).update(ip=None)


def register_sections():
    from accounts.sections import ProfileSection, register

    register(
        ProfileSection(
            "forum",
            30,
            "forum/_profile.html",
            my_forum,
            public_template="forum/_public_profile.html",
            public_context=public_forum,
            export=export,
            files=files,
            erase=erase,
        )
    )
