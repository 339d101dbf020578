"""Reports and their photos as moderation targets, through Fix-Tbilisi's own hiding actions."""

from django.utils.translation import gettext_lazy as _

from fixtracker.models import Report, ReportPhoto


def _load_report(pk):
    return Report.objects.filter(pk=pk, confirmed_at__isnull=False).first()


def _describe_report(report) -> dict:
    return {
        "text": report.description,
        "title": report.reference,
        "author": report.public_reporter,
        "author_id": report.reporter_id,
        "url": report.get_absolute_url(),
        "hidden": report.hidden_at is not None,
    }


def _hide_report(report, reason, actor):
    from fixtracker.actions.moderation import do_hide

    do_hide(report, actor=actor, reason=str(reason))


def _restore_report(report, actor):
    from fixtracker.actions.moderation import do_hide

    do_hide(report, actor=actor, reason="", hidden=False)


def _edit_out_report(report, new_text, actor) -> dict:
    from smartmap.lib.text import TextError, clean_text

    try:
        description = clean_text(new_text, max_length=5000)
    except TextError as exc:
        raise ValueError(str(exc)) from None
    original = {"text": report.description}
    Report.objects.filter(pk=report.pk).update(description=description, hidden_at=None, hidden_reason="")
    return original


def _load_photo(pk):
    return ReportPhoto.objects.select_related("report").filter(pk=pk).first()


def _describe_photo(photo) -> dict:
    return {
        "text": "",
        "image": photo.public.url if photo.public else "",
        "title": photo.report.reference,
        "author": photo.report.public_reporter,
        "author_id": photo.report.reporter_id,
        "url": photo.report.get_absolute_url(),
        "hidden": photo.hidden_at is not None,
    }


def _hide_photo(photo, reason, actor):
    from fixtracker.actions.moderation import do_hide_photo

    do_hide_photo(photo, actor=actor)


def _restore_photo(photo, actor):
    from fixtracker.actions.moderation import do_hide_photo

    do_hide_photo(photo, actor=actor, hidden=False)


def _history(author_id) -> dict:
    reports = Report.objects.filter(reporter_id=author_id) if author_id else Report.objects.none()
    return {"reports": reports.count(), "hidden": reports.filter(hidden_at__isnull=False).count()}


def register_targets():
    from moderation.targets import Target, register

    register(
        Target(
            "report",
            _("report"),
            _load_report,
            _describe_report,
            _hide_report,
            _restore_report,
            _edit_out_report,
            _history,
        )
    )
    register(Target("photo", _("photo"), _load_photo, _describe_photo, _hide_photo, _restore_photo, None, _history))
