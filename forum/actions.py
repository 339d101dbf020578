"""Forum workflows: each a named atomic function that changes the rows and records its event.

Creating a thread, a reply, an official answer and a closing are events on the spine (layer
"forum", topic "forum:<section>"), recorded in the same transaction, so the subscriptions' ledger
hears of them with its exactly-once guarantee: area subscribers with the forum topic hear of new
threads placed in their area, followers of a thread (a follow-an-item subscription, made for the
author and every replier) hear of replies, answers and closings. The spine already tells nobody of
their own action.
"""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from forum import following, limits, text
from forum import photos as post_photos
from forum.input import ForumInputError, ThreadInput
from forum.models import ItemLink, Post, PostRevision, Support, Thread
from layers.events import item_event, record_events
from layers.models import EventKind
from moderation.actions import audit
from smartmap.lib.translit import search_form


def _event(thread: Thread, kind: str, *, actor, post: Post | None = None, **extra):
    """The thread's event, from the one builder; a reply's link points at the reply itself."""
    url = thread.public_path() + (f"?post={post.number}" if post and post.number > 1 else "")
    return record_events(
        [
            item_event(
                thread,
                kind,
                topic=thread.section.topic,
                actor=actor,
                url=url,
                data={"post": post.number if post else None, **extra},
            )
        ]
    )[0]


def _search_text(thread: Thread, body: str) -> str:
    return search_form(thread.title, body)


def _new_post(thread, author, body, *, number, department=None, reply_to=None, ip=None) -> Post:
    return Post.objects.create(
        thread=thread,
        number=number,
        author=author,
        department=department,
        body=body,
        body_html=text.render(body),
        reply_to=reply_to,
        text_hash=text.text_hash(body),
        ip=ip,
    )


@transaction.atomic
def do_create_thread(data: ThreadInput, *, author, department=None, ip=None, photos=()) -> Thread:
    digest = text.text_hash(data.body)
    limits.check_posting(author, ip, data.body, len(text.links(data.body)), new_thread=True)
    limits.check_not_duplicate(author, digest)
    now = timezone.now()
    place = data.place
    thread = Thread.objects.create(
        section=data.section,
        title=data.title,
        author=author,
        status=Thread.Status.OPEN,
        status_since=now,
        last_post_at=now,
        place_kind=place.kind,
        geom=place.geom,
        point=(place.geom if place.geom.geom_type == "Point" else place.geom.point_on_surface) if place.geom else None,
        district=place.district,
        search_text=search_form(data.title, data.body),
    )
    thread.reference = thread.external_id = f"F-{thread.pk}"
    thread.save(update_fields=["reference", "external_id"])
    first = _new_post(thread, author, data.body, number=1, department=department, ip=ip)
    post_photos.attach(first, photos)
    ItemLink.objects.bulk_create([ItemLink(thread=thread, layer=layer, item_id=pk) for layer, pk in data.items])
    thread.related.set(data.related)
    following.follow(author, thread, automatic=True)
    _event(thread, EventKind.CREATED, actor=author)
    return thread


@transaction.atomic
def do_reply(
    thread: Thread, body: str, *, author, reply_to: Post | None = None, department=None, ip=None, photos=()
) -> Post:
    # The row lock orders concurrent replies: each takes the next number, none is lost.
    thread = Thread.objects.select_for_update().select_related("section").get(pk=thread.pk)
    if thread.locked or not thread.is_public or thread.is_closed:
        raise ForumInputError("body", _("This discussion is closed to new replies."), 403)
    if reply_to is not None and (reply_to.thread_id != thread.pk or not reply_to.is_visible):
        raise ForumInputError("reply_to", _("The post you reply to is not in this discussion."))
    limits.check_posting(author, ip, body, len(text.links(body)), new_thread=False)
    limits.check_not_duplicate(author, text.text_hash(body))
    now = timezone.now()
    post = _new_post(
        thread, author, body, number=thread.posts_count + 1, department=department, reply_to=reply_to, ip=ip
    )
    post_photos.attach(post, photos)
    Thread.objects.filter(pk=thread.pk).update(posts_count=F("posts_count") + 1, last_post_at=now)
    following.follow(author, thread, automatic=True)
    at_once = following.people_to_tell_at_once(thread, post, author)
    event = _event(
        thread,
        EventKind.UPDATED,
        actor=author,
        post=post,
        forum="reply",
        reply_to_author=reply_to.author_id if reply_to else None,
    )
    following.hurry(event, at_once)
    return post


@transaction.atomic
def do_edit_post(post: Post, body: str, *, title: str | None = None) -> Post:
    post = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
    thread = post.thread
    PostRevision.objects.create(
        post=post,
        title=thread.title if post.is_first else "",
        body=post.body,
        body_html=post.body_html,
        written_at=post.edited_at or post.created_at,
    )
    post.body, post.body_html, post.edited_at = body, text.render(body), timezone.now()
    post.text_hash = text.text_hash(body)
    post.save(update_fields=["body", "body_html", "edited_at", "text_hash"])
    if post.is_first:
        thread.title = title or thread.title
        thread.search_text = _search_text(thread, body)
        thread.save(update_fields=["title", "search_text", "updated_at"])
    return post


@transaction.atomic
def do_delete_post(post: Post) -> None:
    """The author's own deletion: the post stays in its place, saying "deleted by the author"."""
    Post.objects.filter(pk=post.pk, deleted_at__isnull=True).update(deleted_at=timezone.now())


@transaction.atomic
def do_support(post: Post, user) -> None:
    if post.author_id == user.pk:
        raise ForumInputError("support", _("You cannot support your own post."))
    try:
        with transaction.atomic():
            Support.objects.create(post=post, user=user)
    except IntegrityError:
        raise ForumInputError("support", _("You have already supported this."), 409) from None
    Post.objects.filter(pk=post.pk).update(support_count=F("support_count") + 1)
    if post.is_first:
        Thread.objects.filter(pk=post.thread_id).update(support_count=F("support_count") + 1)


@transaction.atomic
def do_mark_official(post: Post, user) -> None:
    """A department's post becomes City Hall's official answer; the thread counts as answered."""
    thread = Thread.objects.select_for_update().select_related("section").get(pk=post.thread_id)
    Post.objects.filter(pk=post.pk).update(is_official=True)
    now = timezone.now()
    thread.answered_at = thread.answered_at or now
    if thread.status == Thread.Status.OPEN:
        thread.status, thread.status_since = Thread.Status.ANSWERED, now
    thread.save(update_fields=["answered_at", "status", "status_since", "updated_at"])
    _event(thread, EventKind.STATUS_CHANGED, actor=user, post=post, forum="official_answer")
    audit(user, "official_answer", "post", post.pk, department=post.department_id)


@transaction.atomic
def do_set_state(thread: Thread, action: str, *, user, summary: str = "") -> None:
    thread = Thread.objects.select_for_update().select_related("section").get(pk=thread.pk)
    now = timezone.now()
    if action == "close":
        thread.status, thread.status_since, thread.closing_summary = Thread.Status.CLOSED, now, summary
    elif action == "reopen":
        thread.status = Thread.Status.ANSWERED if thread.answered_at else Thread.Status.OPEN
        thread.status_since = now
    elif action in ("pin", "unpin"):
        thread.pinned = action == "pin"
    elif action in ("lock", "unlock"):
        thread.locked = action == "lock"
    thread.save()
    audit(user, action, "thread", thread.pk, summary[:300])
    if action in ("close", "reopen"):
        _event(thread, EventKind.STATUS_CHANGED, actor=user, forum=action)


def mark_read(user, thread: Thread, number: int) -> None:
    from forum.models import ThreadRead

    if not user.is_authenticated:
        return
    read, created = ThreadRead.objects.get_or_create(user=user, thread=thread, defaults={"last_number": number})
    if not created and read.last_number < number:
        ThreadRead.objects.filter(pk=read.pk, last_number__lt=number).update(last_number=number)
