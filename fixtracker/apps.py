from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FixtrackerConfig(AppConfig):
    name = "fixtracker"
    verbose_name = _("Fix-Tbilisi")
