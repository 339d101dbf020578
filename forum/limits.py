"""Flood guards for the forum, counted in PostgreSQL so they hold when Redis is down.

Per account and per client address, stricter for accounts younger than NEW_ACCOUNT_DAYS: threads
per day, posts per hour and links per post. The same text from the same account twice (within
DUPLICATE_DAYS) is refused: a double click or a copy-paste campaign, never a conversation. The
counts read the author and created_at indexes of threads and posts, a few rows each.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from forum.input import ForumInputError
from forum.models import Post

NEW_ACCOUNT_DAYS = 3
DUPLICATE_DAYS = 30
# (new account, established account)
THREADS_PER_DAY = (3, 20)
POSTS_PER_HOUR = (10, 60)
LINKS_PER_POST = (2, 15)
# One address shared by many (a school, a café's wifi) may post more than one account.
IP_POSTS_PER_HOUR = 120


def is_new_account(user) -> bool:
    return user.date_joined > timezone.now() - timedelta(days=NEW_ACCOUNT_DAYS)


def _pick(pair, user):
    return pair[0] if is_new_account(user) else pair[1]


def check_posting(user, ip, body: str, link_count: int, *, new_thread: bool) -> None:
    now = timezone.now()
    if link_count > _pick(LINKS_PER_POST, user):
        raise ForumInputError(
            "body", _("A post may have at most %(max)d links.") % {"max": _pick(LINKS_PER_POST, user)}, 429
        )
    mine = Post.objects.filter(author=user)
    if new_thread and mine.filter(number=1, created_at__gte=now - timedelta(days=1)).count() >= _pick(
        THREADS_PER_DAY, user
    ):
        raise ForumInputError(
            "title", _("You have started as many discussions as allowed today; please come back tomorrow."), 429
        )
    if mine.filter(created_at__gte=now - timedelta(hours=1)).count() >= _pick(POSTS_PER_HOUR, user):
        raise ForumInputError("body", _("You are posting very often; please wait a while and try again."), 429)
    if ip and Post.objects.filter(ip=ip, created_at__gte=now - timedelta(hours=1)).count() >= IP_POSTS_PER_HOUR:
        raise ForumInputError("body", _("Too many posts from your connection; please try again later."), 429)


def check_not_duplicate(user, digest: str) -> None:
    since = timezone.now() - timedelta(days=DUPLICATE_DAYS)
    if Post.objects.filter(author=user, text_hash=digest, created_at__gte=since, deleted_at__isnull=True).exists():
        raise ForumInputError("body", _("You have already posted this same text."), 409)
