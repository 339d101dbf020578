"""The offline gazetteer: streets and places in Georgian, English and Latin transliteration."""

from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GinIndex
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from smartmap.lib.translit import search_form


class GazetteerEntry(models.Model):
    class Kind(models.TextChoices):
        STREET = "street", _("street")
        PLACE = "place", _("place")
        ADDRESS = "address", _("address")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name_ka = models.CharField(_("name (Georgian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    # Lower-case Latin transliteration of the Georgian name plus the English one: what search matches.
    search_text = models.CharField(max_length=600)
    geom = models.GeometryField(srid=4326)
    district = models.ForeignKey("places.District", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    source = models.CharField(max_length=60, default="manual")
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["name_ka"]
        constraints = [models.UniqueConstraint(fields=["kind", "name_ka", "source"], name="gazetteer_unique_name")]
        indexes = [GinIndex(fields=["search_text"], name="gazetteer_trgm_idx", opclasses=["gin_trgm_ops"])]
        verbose_name = _("gazetteer entry")
        verbose_name_plural = _("gazetteer")

    def __str__(self):
        return self.name_ka

    @property
    def name(self) -> str:
        """The name in the page's language (Georgian when there is no English one)."""
        return (self.name_en or self.name_ka) if get_language() == "en" else self.name_ka

    def save(self, *args, **kwargs):
        self.search_text = search_form(self.name_ka, self.name_en)
        super().save(*args, **kwargs)
