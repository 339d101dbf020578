"""People and city departments.

Residents sign in by email (django-allauth). City staff belong to a Department through a Membership
that carries their role there; moderators and administrators act across departments. Every access
question about departments goes through ``User.department_role()``.
"""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    username = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("public name"), max_length=80, blank=True)
    language = models.CharField(
        _("language"), max_length=8, default="ka", choices=[("ka", "ქართული"), ("en", "English")]
    )
    is_moderator = models.BooleanField(
        _("moderator"), default=False, help_text=_("Can hide content and block abusers.")
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.email

    @property
    def public_name(self) -> str:
        return self.display_name or _("Resident")

    def has_verified_email(self) -> bool:
        """True when allauth has verified this account's address (the proof double opt-in asks for)."""
        from allauth.account.models import EmailAddress

        return EmailAddress.objects.filter(user=self, email__iexact=self.email, verified=True).exists()

    def department_role(self, department) -> str | None:
        """The role this user holds in ``department`` ('staff' or 'head'), or None."""
        if not self.is_authenticated or department is None:
            return None
        membership = self.memberships.filter(department=department).first()
        return membership.role if membership else None


class Department(models.Model):
    slug = models.SlugField(_("code"), unique=True)
    name_ka = models.CharField(_("name (Georgian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    email = models.EmailField(_("contact email"), blank=True)
    members = models.ManyToManyField(User, through="Membership", related_name="departments")

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if get_language() == "en" else self.name_ka


class Membership(models.Model):
    class Role(models.TextChoices):
        STAFF = "staff", _("department staff")
        HEAD = "head", _("department head")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.STAFF)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "department"], name="one_membership_per_department")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} @ {self.department} ({self.role})"


class ConsumedToken(models.Model):
    """The nonce of every signed link that has been used, so each link works once."""

    nonce = models.CharField(max_length=32, unique=True)
    purpose = models.CharField(max_length=50)
    consumed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.purpose}:{self.nonce}"
