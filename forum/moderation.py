"""The forum's posts as moderation targets: hide (an opening post hides its thread), restore, edit out.

Editing out personal data replaces the text and drops the post's earlier versions from the public
history; the replaced texts go to the audit log, which only moderators and admins read.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum import text
from forum.models import Post, Thread


def _load(pk):
    return Post.objects.select_related("thread", "author").filter(pk=pk, deleted_at__isnull=True).first()


def _describe(post) -> dict:
    return {
        "text": post.body,
        "title": post.thread.title,
        "author": post.author.public_name if post.author else "",
        "author_id": post.author_id,
        "url": post.get_absolute_url(),
        "hidden": post.hidden_at is not None,
    }


def _hide(post, reason, actor):
    now = timezone.now()
    Post.objects.filter(pk=post.pk).update(hidden_at=now, hidden_reason=reason)
    if post.is_first:
        Thread.objects.filter(pk=post.thread_id).update(hidden_at=now, hidden_reason=reason)


def _restore(post, actor):
    Post.objects.filter(pk=post.pk).update(hidden_at=None, hidden_reason="")
    if post.is_first:
        Thread.objects.filter(pk=post.thread_id).update(hidden_at=None, hidden_reason="")


def _edit_out(post, new_text, actor) -> dict:
    body = text.clean_body(new_text)
    original = {"text": post.body, "earlier_versions": list(post.revisions.values_list("body", flat=True))}
    post.revisions.all().delete()
    Post.objects.filter(pk=post.pk).update(
        body=body, body_html=text.render(body), text_hash=text.text_hash(body), hidden_at=None, hidden_reason=""
    )
    if post.is_first:
        Thread.objects.filter(pk=post.thread_id).update(hidden_at=None, hidden_reason="")
    return original


def _history(author_id) -> dict:
    posts = Post.objects.filter(author_id=author_id)
    return {"posts": posts.count(), "hidden": posts.filter(hidden_at__isnull=False).count()}


def register_targets():
    from moderation.targets import Target, register

    register(Target("post", _("forum post"), _load, _describe, _hide, _restore, _edit_out, _history))
