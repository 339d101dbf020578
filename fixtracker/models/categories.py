"""What can be reported, who answers for it, and within what deadlines."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from smartmap.lib import working_time

UNIT_CHOICES = [
    (working_time.CALENDAR_HOURS, _("calendar hours")),
    (working_time.WORKING_HOURS, _("working hours")),
    (working_time.WORKING_DAYS, _("working days")),
]


class Category(models.Model):
    class Group(models.TextChoices):
        STREET_LIGHTING = "street-lighting", _("Street lighting")
        TREES = "trees", _("Trees and green areas")
        BENCHES = "park-benches", _("Park benches")
        CLEANING = "cleaning", _("Cleaning")
        OTHER = "other", _("Other")

    slug = models.SlugField(_("code"), unique=True)
    group = models.CharField(_("group"), max_length=20, choices=Group.choices)
    name_ka = models.CharField(_("name (Georgian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    icon = models.CharField(_("icon"), max_length=8, default="•", help_text=_("An emoji shown on the button."))
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="categories")
    response_amount = models.PositiveIntegerField(_("respond within"))
    response_unit = models.CharField(_("unit"), max_length=20, choices=UNIT_CHOICES)
    resolution_amount = models.PositiveIntegerField(_("resolve within"))
    resolution_unit = models.CharField(_("unit"), max_length=20, choices=UNIT_CHOICES)
    # [{"key": "pole_number", "label_ka": "…", "label_en": "…", "required": false, "choices": [..]}]
    questions = models.JSONField(_("extra questions"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if get_language() == "en" else self.name_ka

    @property
    def topic(self) -> str:
        return f"reports:{self.group}"

    def department_for(self, district):
        route = self.routes.filter(district=district).select_related("department").first() if district else None
        return route.department if route else self.department


class CategoryRoute(models.Model):
    """Where one district's reports of a category go instead of the category's department."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="routes")
    district = models.ForeignKey("places.District", on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["category", "district"], name="one_route_per_district")]

    def __str__(self):
        return f"{self.category} / {self.district} → {self.department}"


class DecreeDay(models.Model):
    """A day off declared by the city or government, beyond the public holidays in the law."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("reason"), max_length=200)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("day off by decree")
        verbose_name_plural = _("days off by decree")

    def __str__(self):
        return f"{self.date} {self.name}"


class ResponseTemplate(models.Model):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, null=True, blank=True, related_name="templates")
    title = models.CharField(_("title"), max_length=120)
    text_ka = models.TextField(_("text (Georgian)"))
    text_en = models.TextField(_("text (English)"), blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("response template")
        verbose_name_plural = _("response templates")

    def __str__(self):
        return self.title
