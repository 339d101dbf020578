"""Supporters: residents who have the same problem add their voice instead of filing another report.

A support is counted only when a person stands behind it. A verified account's counts at once; an
email address's (or an account's whose address is not yet verified) waits, uncounted, until the
address's owner opens the signed, single-use link we email (accounts.tokens, the same machinery as
a report's confirmation). Without that, anyone could add two hundred strangers' addresses from one
connection. One support per account or per mailbox: addresses are compared normalised (case,
"+tags", Gmail's dots), and unique constraints decide, so two clicks at once count once. Supports
that wait for a link are limited per connection and per address like reports (fixtracker.limits),
which bounds how much mail one connection can make us send.

When staff close a report as a duplicate, its reporter and counted supporters move to the
original, which is what the city then sees counted.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fixtracker import limits
from fixtracker.actions.timeline import add_update, real
from fixtracker.models import Block, Report, ReportUpdate, Supporter
from smartmap.lib.text import TextError, clean_text

# Supports waiting for their email link, per hour: per connection (as many as reports) and per address.
PER_HOUR = {"ip": 10, "email": 6}
GMAIL = {"gmail.com", "googlemail.com"}


class SupportRefused(Exception):
    def __init__(self, message: str, status: int, retry_after: int | None = None):
        super().__init__(message)
        self.message, self.status, self.retry_after = message, status, retry_after


@dataclass
class Support:
    """What became of a support: `added` newly counted or waiting, `pending` until its link is opened."""

    supporter: Supporter
    added: bool
    pending: bool


def supporter_address(raw) -> str:
    """The address as typed, checked (one line, a valid email); "" when it is not one."""
    try:
        email = clean_text(raw, single_line=True, max_length=254)
        validate_email(email)
    except (TextError, ValidationError):
        return ""
    return email


def mailbox(email: str) -> str:
    """One mailbox, one spelling: lower case, no "+tag", and Gmail's dots (which Gmail ignores) removed."""
    local, _at, domain = email.strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in GMAIL:
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def do_support(report: Report, *, user=None, email: str = "", ip=None, language: str = "ka") -> Support:
    """Add a supporter ("I have this problem too"); counted now for a verified account, else by link."""
    verified = real(user) and user.has_verified_email()
    address = user.email if real(user) else email.strip()
    key = {"user": user} if real(user) else {"email": mailbox(address)}
    existing = Supporter.objects.filter(report=report, **key).first()
    if existing is not None:
        if verified and existing.confirmed_at is None:
            return Support(_confirm(existing), added=True, pending=False)
        return Support(existing, added=False, pending=existing.confirmed_at is None)
    if Block.applies(user=user if real(user) else None, email=address, ip=ip):
        raise SupportRefused(_("Support from this account or address has been blocked by a moderator."), 403)
    if not verified:
        _check_limits(mailbox(address), ip)
    try:
        with transaction.atomic():
            supporter = Supporter.objects.create(report=report, client_ip=ip, **key)
    except IntegrityError:  # the same person's other click won the race
        supporter = Supporter.objects.get(report=report, **key)
        return Support(supporter, added=False, pending=supporter.confirmed_at is None)
    if verified:
        return Support(_confirm(supporter), added=True, pending=False)
    from fixtracker.notifications import send_support_confirmation

    # After the commit: the link must find its supporter, and a rolled-back one gets no email.
    transaction.on_commit(lambda: send_support_confirmation(supporter.pk, address, language))
    return Support(supporter, added=True, pending=True)


def _check_limits(email: str, ip) -> None:
    waiting = Supporter.objects.filter(user__isnull=True) | Supporter.objects.filter(confirmed_at__isnull=True)
    counted = [("email", waiting.filter(email=email))]
    if ip:
        counted.append(("ip", waiting.filter(client_ip=ip)))
    for kind, rows in counted:
        wait = limits.retry_after(rows, PER_HOUR[kind])
        if wait:
            raise SupportRefused(
                _("Many supports were sent from here in the last hour; please try again later."), 429, wait
            )


def do_confirm_support(supporter_id: int) -> Supporter | None:
    """The address's owner opened the link: the support counts (once, however often it is opened)."""
    supporter = Supporter.objects.filter(pk=supporter_id).select_related("report").first()
    if supporter is None:
        return None
    return _confirm(supporter)


@transaction.atomic
def _confirm(supporter: Supporter) -> Supporter:
    # The conditional UPDATE decides: of two clicks racing, one changes the row and counts.
    if not Supporter.objects.filter(pk=supporter.pk, confirmed_at__isnull=True).update(confirmed_at=timezone.now()):
        return supporter
    supporter.refresh_from_db()
    report = Report.objects.select_for_update().get(pk=supporter.report_id)
    _recount(report)
    add_update(report, ReportUpdate.Kind.SUPPORT, supporter.user, by=ReportUpdate.Actor.RESIDENT)
    return supporter


def _recount(report: Report) -> None:
    report.supporters_count = 1 + report.supporters.confirmed().count()
    report.save(update_fields=["supporters_count", "updated_at"])


def merge_supporters(duplicate: Report, original: Report, actor):
    """Inside the caller's transaction: the duplicate's people now support the original."""
    now = timezone.now()
    for supporter in duplicate.supporters.confirmed():
        _merge_one(original, now, user=supporter.user, email=supporter.email)
    # The duplicate was public, so its reporter stood behind it: counted on the original.
    if duplicate.reporter is not None or duplicate.reporter_email:
        _merge_one(
            original,
            now,
            user=duplicate.reporter,
            email="" if duplicate.reporter else mailbox(duplicate.reporter_email),
        )
    else:  # a trusted application's report without a reporter's address: someone, counted once
        _merge_one(original, now, user=None, email="")
    _recount(original)
    add_update(
        original,
        ReportUpdate.Kind.DUPLICATE,
        actor,
        by=ReportUpdate.Actor.DEPARTMENT,
        department=duplicate.department,
        data={"duplicate": duplicate.reference},
    )


def _merge_one(original: Report, now, *, user, email: str) -> None:
    if user is None and not email:  # someone erased or unnamed: no constraint tells them apart
        Supporter.objects.create(report=original, confirmed_at=now)
        return
    supporter, created = Supporter.objects.get_or_create(
        report=original, user=user, email=email, defaults={"confirmed_at": now}
    )
    if not created and supporter.confirmed_at is None:  # was waiting for its link: now it is proven
        Supporter.objects.filter(pk=supporter.pk).update(confirmed_at=now)
