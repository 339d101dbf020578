"""The items on the map's information layers: permits and projects.

Every item shares the MapItem columns: a public reference, a geometry (point, line or area) and
a representative point for tiles, its district, its current status and when that status began,
and where it came from (source + external id, unique: how re-imports find it again). The item's
history is not stored here: each stage is an Event (layers.models.events), so the timeline on the
item's page and the notifications residents get are the same record and can never disagree.
"""

from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartmap.lib.i18n import neutral_reverse


class MapItemQuerySet(models.QuerySet):
    def public(self):
        """What the public may see: the model's PUBLIC_RULE (see MapItem)."""
        return self.filter(rule_q(self.model.PUBLIC_RULE))


def rule_q(rule, prefix: str = "") -> models.Q:
    """A PUBLIC_RULE as an ORM condition; `prefix` reads it through a relation ("thread__")."""
    return models.Q(**{f"{prefix}{column}__isnull": must_be_null for column, must_be_null in rule})


def rule_holds(obj, rule) -> bool:
    """A PUBLIC_RULE checked on one loaded object."""
    return all((getattr(obj, column) is None) == must_be_null for column, must_be_null in rule)


def rule_sql(rule) -> str:
    """A PUBLIC_RULE as an SQL condition over the item table's unqualified columns."""
    return " AND ".join(f"{column} IS {'' if must_be_null else 'NOT '}NULL" for column, must_be_null in rule)


class MapItem(models.Model):
    LAYER = ""  # the registry slug, set by each concrete model

    reference = models.CharField(_("reference number"), max_length=100, db_index=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=40)
    status_since = models.DateTimeField(_("status since"))
    geom = models.GeometryField(_("location"), srid=4326)
    # ST_PointOnSurface(geom): one point per item for tiles, clustering and district filing.
    point = models.PointField(srid=4326)
    district = models.ForeignKey("places.District", on_delete=models.PROTECT, null=True, related_name="+")
    documents = models.JSONField(_("documents"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=60, default="manual")
    external_id = models.CharField(_("ID at the source"), max_length=120)
    is_demo = models.BooleanField(_("demo data"), default=False)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # What "public" means, once: (column, must be NULL). The ORM (`.public()`), the Python check
    # (`.is_public`) and the SQL the registry hands to tiles, search, feeds and statistics
    # (`public_sql()`) are all derived from it, so no public surface can drift from another.
    PUBLIC_RULE: tuple[tuple[str, bool], ...] = (("withdrawn_at", True),)

    objects = MapItemQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def public_sql(cls) -> str:
        return rule_sql(cls.PUBLIC_RULE)

    @property
    def is_public(self) -> bool:
        return rule_holds(self, self.PUBLIC_RULE)

    def __str__(self):
        return f"{self.reference} {self.title}".strip()

    def get_absolute_url(self):
        return reverse("layers:item", kwargs={"layer": self.LAYER, "pk": self.pk})

    def get_status_display(self) -> str:
        """The status in the reader's language (each layer defines its own Status choices)."""
        return dict(type(self).Status.choices).get(self.status, self.status)

    def public_path(self) -> str:
        """The item page's language-neutral path, for events and emails."""
        return neutral_reverse("layers:item", layer=self.LAYER, pk=self.pk)

    @property
    def is_imported(self) -> bool:
        return self.source != "manual"


class RegisterItem(MapItem):
    """An item a register can import: its status may come without a date, or with the register's own word."""

    # False when the source never said when the current status began: status_since is then only the
    # time we first saw it, and pages and the API say "date unknown" instead of showing it.
    status_date_known = models.BooleanField(_("status date known"), default=True)
    # The source's own word for the status, kept for display when its mapping asks (keep_label).
    source_status = models.CharField(_("status at the source"), max_length=100, blank=True)

    class Meta:
        abstract = True


def _item_meta(name: str, verbose: str, verbose_plural: str):
    """Meta options every concrete item shares: the source key and the indexes the API uses."""
    return type(
        "Meta",
        (),
        {
            "verbose_name": verbose,
            "verbose_name_plural": verbose_plural,
            "ordering": ["-status_since", "-id"],
            "constraints": [
                models.UniqueConstraint(fields=["source", "external_id"], name=f"{name}_source_key"),
            ],
            "indexes": [
                models.Index(fields=["status", "status_since"], name=f"{name}_status_idx"),
                models.Index(fields=["district", "status"], name=f"{name}_district_idx"),
            ],
        },
    )


class ConstructionPermit(RegisterItem):
    LAYER = "construction-permits"

    class Status(models.TextChoices):
        APPLICATION_FILED = "application_filed", _("application filed")
        UNDER_REVIEW = "under_review", _("under review")
        PUBLIC_CONSULTATION = "public_consultation", _("public consultation")
        ISSUED = "issued", _("permit issued")
        REFUSED = "refused", _("refused")
        CONSTRUCTION_STARTED = "construction_started", _("construction started")
        SUSPENDED = "suspended", _("suspended")
        COMPLETED = "completed", _("completed (commissioned)")
        # Ends other than a refusal: they are not "refused" and must never be imported as if they were.
        WITHDRAWN_BY_APPLICANT = "withdrawn_by_applicant", _("withdrawn by the applicant")
        CANCELLED = "cancelled", _("permit cancelled")
        EXPIRED = "expired", _("permit expired")

    cadastral_codes = ArrayField(
        models.CharField(max_length=40), default=list, blank=True, verbose_name=_("cadastral codes")
    )
    construction_class = models.PositiveSmallIntegerField(_("construction class"), null=True, blank=True)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    floors = models.PositiveSmallIntegerField(_("floors"), null=True, blank=True)
    height_m = models.FloatField(_("height, m"), null=True, blank=True)
    k1 = models.FloatField("K-1", null=True, blank=True)
    k2 = models.FloatField("K-2", null=True, blank=True)
    k3 = models.FloatField("K-3", null=True, blank=True)
    # Only organisations are published; a private applicant's name is never stored here.
    applicant_org = models.CharField(_("applicant organisation"), max_length=300, blank=True)
    consultation_start = models.DateField(_("public consultation opens"), null=True, blank=True)
    consultation_end = models.DateField(_("public consultation closes"), null=True, blank=True)
    consultation_info = models.TextField(_("how to take part"), blank=True)

    Meta = _item_meta("permit", _("construction permit"), _("construction permits"))
    Meta.indexes = [*Meta.indexes, GinIndex(fields=["cadastral_codes"], name="permit_cadastral_idx")]

    def consultation_days_left(self, today=None) -> int | None:
        """Days left to take part in the public consultation, or None when it is not open."""
        today = today or timezone.localdate()
        if not (self.consultation_start and self.consultation_end):
            return None
        if not (self.consultation_start <= today <= self.consultation_end):
            return None
        return (self.consultation_end - today).days


class TreePermit(RegisterItem):
    LAYER = "tree-permits"

    class Status(models.TextChoices):
        APPLICATION = "application", _("application")
        INSPECTION = "inspection", _("inspection")
        ISSUED = "issued", _("permit issued")
        REFUSED = "refused", _("refused")
        CARRIED_OUT = "carried_out", _("carried out")
        COMPENSATION_PLANTED = "compensation_planted", _("compensation planted")
        WITHDRAWN_BY_APPLICANT = "withdrawn_by_applicant", _("withdrawn by the applicant")
        CANCELLED = "cancelled", _("permit cancelled")
        EXPIRED = "expired", _("permit expired")

    class Kind(models.TextChoices):
        FELLING = "felling", _("felling")
        TRANSPLANTING = "transplanting", _("transplanting")

    class Reason(models.TextChoices):
        CONSTRUCTION = "construction", _("construction")
        SANITARY = "sanitary", _("sanitary")
        HAZARD = "hazard", _("hazard")
        INFRASTRUCTURE = "infrastructure", _("infrastructure")

    kind = models.CharField(_("felling or transplanting"), max_length=20, choices=Kind.choices)
    tree_count = models.PositiveIntegerField(_("number of trees"), default=1)
    # [{"species": "Platanus orientalis", "diameter_cm": 45}, ...]
    trees = models.JSONField(_("species and trunk diameters"), default=list, blank=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, blank=True)
    compensation_trees = models.PositiveIntegerField(_("trees to plant"), null=True, blank=True)
    compensation_fee_gel = models.DecimalField(
        _("compensation fee, GEL"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    compensation_place = models.CharField(_("where to plant"), max_length=300, blank=True)
    compensation_due = models.DateField(_("plant by"), null=True, blank=True)
    compensation_planted = models.BooleanField(_("compensation planted"), default=False)
    compensation_photo = models.ImageField(_("photo of the planting"), upload_to="trees/", blank=True)

    Meta = _item_meta("tree", _("tree permit"), _("tree permits"))


class InfrastructureProject(RegisterItem):
    LAYER = "projects"

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        TENDERING = "tendering", _("tendering")
        IN_PROGRESS = "in_progress", _("in progress")
        SUSPENDED = "suspended", _("suspended")
        COMPLETED = "completed", _("completed")
        CANCELLED = "cancelled", _("cancelled")

    slug = models.SlugField(_("web address"), max_length=120, unique=True)
    agency = models.CharField(_("responsible agency"), max_length=300, blank=True)
    contractor = models.CharField(_("contractor"), max_length=300, blank=True)
    budget_gel = models.DecimalField(_("budget, GEL"), max_digits=14, decimal_places=2, null=True, blank=True)
    funding_source = models.CharField(_("funding source"), max_length=200, blank=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress, %"), default=0)
    # The project's public page, written by staff; sanitised (nh3) on every save.
    body = models.TextField(_("page text"), blank=True)

    Meta = _item_meta("project", _("infrastructure project"), _("infrastructure projects"))

    def save(self, *args, **kwargs):
        from smartmap.lib.html import sanitise

        self.body = sanitise(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("layers:project", kwargs={"slug": self.slug})

    def public_path(self) -> str:
        return neutral_reverse("layers:project", slug=self.slug)


class ProjectMilestone(models.Model):
    project = models.ForeignKey(InfrastructureProject, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due = models.DateField(_("due"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["due", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return self.title


class ProjectPhoto(models.Model):
    project = models.ForeignKey(InfrastructureProject, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="projects/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    taken_on = models.DateField(_("taken on"), null=True, blank=True)

    class Meta:
        ordering = ["-taken_on", "-id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.caption or self.image.name
