"""The Tbilisi Forum: sections, threads, flat chronological posts, support and the read marker.

A thread is one more map item (it shares the MapItem columns, so a thread with a place joins the
layer registry, tiles, the area count and subscriptions as the "forum" layer); a thread without a
place simply has no geometry and stays off the map. The thread's body is its first post, so editing,
support, history and moderation work the same for the opening text and every reply. Support for a
thread is support for its first post.

Counters (posts, support, last activity) live on the thread and are changed with F() in the same
transaction as the row they count, so the lists sort on indexed columns instead of counting
millions of posts. Texts are stored as the author wrote them (Markdown) beside their rendered,
sanitised HTML; every edit keeps the replaced text as a PostRevision that everyone can read.

What is public is said once, like every layer's (layers.models.items.MapItem.PUBLIC_RULE): a
thread is public unless hidden (or withdrawn); a post is public unless hidden or deleted, and only
in a public thread. `Thread.objects.public()`, `Post.objects.public()`, `is_public` and the map
layer's SQL (Thread.MAP_RULE: public and with a place) all derive from those rules, so a list,
search, the map, tiles, feeds, statistics and profiles cannot disagree about a hidden thread.
"""

import uuid

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from fixtracker.models.reports import _private_storage as private_storage_of_reports
from layers.models.items import MapItem, MapItemQuerySet, rule_holds, rule_q
from smartmap.lib.i18n import neutral_reverse


class Section(models.Model):
    slug = models.SlugField(_("code"), unique=True)
    name_ka = models.CharField(_("name (Georgian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    description_ka = models.CharField(_("description (Georgian)"), max_length=300, blank=True)
    description_en = models.CharField(_("description (English)"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("forum section")
        verbose_name_plural = _("forum sections")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if get_language() == "en" else self.name_ka

    @property
    def description(self) -> str:
        return self.description_en if get_language() == "en" else self.description_ka

    @property
    def topic(self) -> str:
        return f"forum:{self.slug}"

    def get_absolute_url(self):
        return reverse("forum:section", kwargs={"slug": self.slug})


class ThreadQuerySet(MapItemQuerySet):
    def on_map(self):
        """Public and with a place: the forum layer's items (its registry SQL is the same rule)."""
        return self.filter(rule_q(self.model.MAP_RULE))


VISIBLE = models.Q(hidden_at__isnull=True)


class Thread(MapItem):
    LAYER = "forum"
    PUBLIC_RULE = (("hidden_at", True), ("withdrawn_at", True))
    # On the map: public and with a place. In this order, the text the grid triggers were installed
    # with (forum 0003, stats 0001): rule_sql(MAP_RULE) must equal it (tests/stats/test_grid_triggers).
    MAP_RULE = (("hidden_at", True), ("point", False), ("withdrawn_at", True))

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ANSWERED = "answered", _("answered by City Hall")
        CLOSED = "closed", _("closed")

    class Place(models.TextChoices):
        NONE = "", _("no place")
        POINT = "point", _("a point on the map")
        AREA = "area", _("an area on the map")
        DISTRICT = "district", _("a district")

    # A thread's place is optional: the map columns may be empty (the layer shows only placed ones).
    geom = models.GeometryField(_("place"), srid=4326, null=True, blank=True)
    point = models.PointField(srid=4326, null=True, blank=True)
    reference = models.CharField(_("reference number"), max_length=100, blank=True, default="")
    external_id = models.CharField(_("ID at the source"), max_length=120, blank=True, default="")
    source = models.CharField(_("source"), max_length=60, default="forum")

    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="threads")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="forum_threads"
    )
    place_kind = models.CharField(_("place"), max_length=10, choices=Place.choices, blank=True, default="")
    pinned = models.BooleanField(_("pinned"), default=False)
    locked = models.BooleanField(_("locked"), default=False)
    closing_summary = models.TextField(_("closing summary"), blank=True)
    answered_at = models.DateTimeField(_("answered by City Hall"), null=True, blank=True)
    last_post_at = models.DateTimeField(_("last activity"))
    posts_count = models.PositiveIntegerField(default=1)
    support_count = models.PositiveIntegerField(default=0)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=300, blank=True)
    related = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="linked_from")
    # Title and opening text with Georgian transliterated to Latin: "vake" finds ვაკე (no Georgian
    # stemmer exists, so the 'simple' configuration with prefix queries stands in for one).
    search_text = models.TextField(blank=True, default="")
    search_vector = models.GeneratedField(
        expression=SearchVector("search_text", config="simple"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-last_post_at", "-id"]
        verbose_name = _("forum thread")
        verbose_name_plural = _("forum threads")
        indexes = [
            models.Index(fields=["-last_post_at", "-id"], name="thread_latest_idx", condition=VISIBLE),
            models.Index(fields=["-created_at", "-id"], name="thread_new_idx", condition=VISIBLE),
            models.Index(
                fields=["section", "-pinned", "-last_post_at", "-id"], name="thread_section_idx", condition=VISIBLE
            ),
            models.Index(fields=["district", "-last_post_at", "-id"], name="thread_district_idx", condition=VISIBLE),
            models.Index(
                fields=["created_at", "id"],
                name="thread_waiting_idx",
                condition=models.Q(hidden_at__isnull=True, answered_at__isnull=True, status="open"),
            ),
            models.Index(fields=["-support_count", "-id"], name="thread_top_idx", condition=VISIBLE),
            models.Index(fields=["author", "-created_at"], name="thread_author_idx"),
            GinIndex(fields=["search_vector"], name="thread_search_idx"),
            GinIndex(OpClass("search_text", name="gin_trgm_ops"), name="thread_text_trgm_idx"),
        ]

    def get_absolute_url(self):
        return reverse("forum:thread", kwargs={"pk": self.pk})

    def public_path(self) -> str:
        return neutral_reverse("forum:thread", pk=self.pk)

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class PostQuerySet(models.QuerySet):
    def public(self):
        """Posts the public may read: the post's rule and its thread's."""
        return self.filter(rule_q(Post.PUBLIC_RULE), rule_q(Thread.PUBLIC_RULE, prefix="thread__"))


class Post(models.Model):
    PUBLIC_RULE = (("hidden_at", True), ("deleted_at", True))

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    number = models.PositiveIntegerField(_("number"))  # 1 is the opening post
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="forum_posts"
    )
    # Set when a City Hall member writes as their department: the badge shows it, never the person.
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="forum_posts"
    )
    is_official = models.BooleanField(_("official answer"), default=False)
    body = models.TextField(_("text"))
    body_html = models.TextField(blank=True)
    reply_to = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replies")
    support_count = models.PositiveIntegerField(default=0)
    text_hash = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=300, blank=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["thread", "number"]
        constraints = [models.UniqueConstraint(fields=["thread", "number"], name="post_number_key")]
        indexes = [
            models.Index(fields=["author", "-created_at"], name="post_author_idx"),
            models.Index(fields=["author", "text_hash"], name="post_text_hash_idx"),
            models.Index(fields=["ip", "created_at"], name="post_ip_idx"),
        ]
        verbose_name = _("forum post")
        verbose_name_plural = _("forum posts")

    def __str__(self):
        return f"{self.thread_id}#{self.number}"

    def get_absolute_url(self):
        return reverse("forum:post", kwargs={"pk": self.pk})

    @property
    def is_first(self) -> bool:
        return self.number == 1

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_visible(self) -> bool:
        """The post's own rule (its thread's is asked of the thread)."""
        return rule_holds(self, self.PUBLIC_RULE)


class PostRevision(models.Model):
    """A text a post had before an edit: the history everyone can read."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=300, blank=True)  # the thread's title then, for opening posts
    body = models.TextField()
    body_html = models.TextField()
    written_at = models.DateTimeField()  # when this text was first shown
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["post", "-replaced_at", "-id"]


class Support(models.Model):
    """One +1 from one account on one post (the opening post stands for the thread)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="one_support_per_account")]


class ItemLink(models.Model):
    """A map item the thread is about (a permit, tree permit, project or report): up to ten."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="item_links")
    layer = models.CharField(max_length=40)
    item_id = models.BigIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["thread", "layer", "item_id"], name="item_link_key")]
        indexes = [models.Index(fields=["layer", "item_id"], name="item_link_item_idx")]


class ThreadRead(models.Model):
    """The last post a signed-in reader has seen in a thread: what makes the unread markers."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "thread"], name="thread_read_key")]


class ForumSettings(models.Model):
    """How a person hears of the forum: followed threads' frequency, auto-follow, mentions and replies."""

    class Frequency(models.TextChoices):
        INSTANT = "instant", _("at once")
        DAILY = "daily", _("daily digest")
        WEEKLY = "weekly", _("weekly digest")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_settings")
    follow_frequency = models.CharField(
        _("replies in discussions I follow"), max_length=10, choices=Frequency.choices, default=Frequency.INSTANT
    )
    auto_follow = models.BooleanField(_("follow the discussions I write in"), default=True)
    mentions_at_once = models.BooleanField(_("tell me at once of mentions and replies to my posts"), default=True)

    @classmethod
    def of(cls, user) -> "ForumSettings":
        found = cls.objects.filter(user=user).first()
        return found or cls(user=user)


def _photo_original_path(photo, filename):
    return f"forum/{uuid.uuid4().hex}"


def _photo_public_path(photo, filename):
    return f"forum/{uuid.uuid4().hex}.jpg"


class PostPhoto(models.Model):
    """One of up to four photos of a post, through the reports' pipeline (fixtracker.photos).

    The original is kept byte for byte in private storage (PRIVATE_MEDIA_ROOT, never served); the
    public copy is re-encoded from its pixels by a worker (forum.photos), so no EXIF, GPS or other
    metadata reaches readers. Until then the post says the photo is being prepared.
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="photos")
    original = models.FileField(storage=private_storage_of_reports, upload_to=_photo_original_path)
    content_type = models.CharField(max_length=40)
    public = models.ImageField(upload_to=_photo_public_path, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["post", "id"]

    def __str__(self):
        return f"{self.post_id} photo"

    @property
    def is_public(self) -> bool:
        return bool(self.public)
