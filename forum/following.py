"""Following a thread, and being told at once of mentions and replies to one's own posts.

Following is a follow-an-item subscription (layer "forum", the thread's id), so replies, official
answers and closings reach followers through the subscriptions' ledger and its exactly-once
delivery, at the frequency the person chose (ForumSettings.follow_frequency). Authors and repliers
follow automatically unless they turned that off or stopped following this thread.

Mentions ("@Display Name" of someone who took part in the thread) and replies to one's own post
come at once, whatever the digest frequency: the person follows the thread (a mention makes them
follow it, one click to stop), and their ledger row for this reply is made due now. Nobody is told
of their own post: the matching SQL never pairs an event with its actor's subscriptions.
"""

from django.conf import settings
from django.utils import timezone

from forum.models import ForumSettings, Post, Thread


def _follows(user, thread):
    from subscriptions.models import Subscription

    return Subscription.objects.filter(
        user=user, area_kind=Subscription.Area.ITEM, item_layer=Thread.LAYER, item_id=thread.pk
    )


def is_following(user, thread) -> bool:
    return user.is_authenticated and _follows(user, thread).filter(unsubscribed_at__isnull=True).exists()


def follow(user, thread, *, automatic: bool = False) -> None:
    """Follow the thread; an automatic follow respects "off" and a thread the person stopped following."""
    from subscriptions.actions import do_follow_item

    prefs = ForumSettings.of(user)
    if automatic and (not prefs.auto_follow or _follows(user, thread).filter(unsubscribed_at__isnull=False).exists()):
        return
    subscription = do_follow_item(Thread.LAYER, thread.pk, email=user.email, user=user, language=user.language)
    if subscription.frequency != prefs.follow_frequency:
        subscription.frequency = prefs.follow_frequency
        subscription.save(update_fields=["frequency"])


def stop_following(user, thread) -> None:
    from subscriptions.actions import do_unsubscribe

    for subscription in _follows(user, thread).filter(unsubscribed_at__isnull=True):
        do_unsubscribe(subscription)


def mentioned(thread, body: str, author) -> list:
    """The participants of the thread whose "@Display Name" appears in the text (not the author)."""
    from accounts.models import User

    lowered = body.lower()
    if "@" not in lowered:
        return []
    ids = Post.objects.filter(thread=thread).values("author_id").distinct()
    people = User.objects.filter(pk__in=ids, is_active=True).exclude(pk=author.pk).exclude(display_name="")
    return [person for person in people if f"@{person.display_name.lower()}" in lowered]


def people_to_tell_at_once(thread, post: Post, author) -> list:
    """Before the reply's event is recorded: the mentioned and the replied-to, each made a follower."""
    people = mentioned(thread, post.body, author)
    replied = post.reply_to.author if post.reply_to_id and post.reply_to.author_id else None
    if replied is not None and replied.pk != author.pk and replied not in people:
        people.append(replied)
    people = [p for p in people if ForumSettings.of(p).mentions_at_once]
    for person in people:
        follow(person, thread)
    return people


def hurry(event, people) -> int:
    """Make these people's ledger rows for the event due at once (after the usual short gathering)."""
    from datetime import timedelta

    from subscriptions.models import Delivery

    if not people:
        return 0
    due = timezone.now() + timedelta(seconds=settings.SUBSCRIPTIONS_INSTANT_GATHER_SECONDS)
    return Delivery.objects.filter(
        event=event, subscription__user__in=people, status=Delivery.Status.PENDING, due_at__gt=due
    ).update(due_at=due)


def apply_frequency(user, frequency: str) -> int:
    """A new frequency applies to every thread the person follows."""
    return _all_follows(user).update(frequency=frequency)


def _all_follows(user):
    from subscriptions.models import Subscription

    return Subscription.objects.filter(
        user=user, area_kind=Subscription.Area.ITEM, item_layer=Thread.LAYER, unsubscribed_at__isnull=True
    )
