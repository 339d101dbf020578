"""Who may post through Open311, and who may not post at all."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Open311Key(models.Model):
    """An API key of an Open311 client. Only a hash is stored; the key is shown once, at creation."""

    name = models.CharField(_("client"), max_length=120, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    trusted = models.BooleanField(
        _("trusted"), default=False, help_text=_("Reports from a trusted key go live at once.")
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")

    def __str__(self):
        return self.name

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, name: str, trusted: bool = False) -> tuple["Open311Key", str]:
        key = secrets.token_urlsafe(32)
        return cls.objects.create(name=name, key_hash=cls.hash(key), trusted=trusted), key

    @classmethod
    def find(cls, key: str | None):
        if not key:
            return None
        return cls.objects.filter(key_hash=cls.hash(key), active=True).first()


class Block(models.Model):
    """A moderator's block on an abuser: by account, email address or client address."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    until = models.DateTimeField(_("blocked until"), null=True, blank=True, help_text=_("Empty: for good."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")

    def __str__(self):
        return str(self.user or self.email or self.ip)

    @classmethod
    def applies(cls, *, user=None, email="", ip=None) -> bool:
        query = models.Q(pk__in=[])
        if user is not None and getattr(user, "is_authenticated", False):
            query |= models.Q(user=user)
        if email:
            query |= models.Q(email__iexact=email)
        if ip:
            query |= models.Q(ip=ip)
        in_force = models.Q(until__isnull=True) | models.Q(until__gt=timezone.now())
        return cls.objects.filter(query).filter(in_force).exists()
