"""Every transition allowed and refused by role; what each requires; the timeline and the spine."""

import pytest

from fixtracker.actions.lifecycle import Change, do_change_status
from fixtracker.actions.submitting import do_confirm_report
from fixtracker.models import Report, ReportUpdate
from fixtracker.workflow import STAFF_MOVES, TransitionError, allowed
from layers.models import Event
from subscriptions.models import Subscription
from tests.fixtracker.conftest import jpeg_bytes, upload

S = Report.Status


def _proof():
    return [(upload(jpeg_bytes()), "image/jpeg")]


def test_it_starts_unconfirmed_and_invisible(submit):
    report = submit(confirmed=False)
    assert report.status == "unconfirmed" and not report.is_public
    assert report.response_due_at is None
    assert not Event.objects.filter(layer="reports").exists()
    assert Report.objects.public().count() == 0


def test_confirming_starts_both_clocks_and_announces_it(submit):
    report = do_confirm_report(submit(confirmed=False))
    assert report.status == "new" and report.is_public
    assert report.response_due_at < report.resolution_due_at
    event = Event.objects.get(layer="reports", item_id=report.pk)
    assert (event.kind, event.topic, event.new_status) == ("created", "reports:street-lighting", "new")
    assert event.district.name_en == "Vake"


def test_the_reporter_follows_their_report(submit):
    report = do_confirm_report(submit(confirmed=False))  # their link proved the address is theirs
    follow = Subscription.objects.get(area_kind="item", item_id=report.pk)
    assert follow.email == "nino@example.ge" and follow.confirmed_at is not None


@pytest.mark.parametrize("current", [s for s in STAFF_MOVES if s not in (S.RESOLVED, S.CLOSED)])
def test_staff_may_make_every_allowed_move_and_no_other(submit, tbilservice_staff, current):
    for target in S.values:
        if target == S.UNCONFIRMED:
            continue
        report = submit()
        Report.objects.filter(pk=report.pk).update(status=current)
        report.refresh_from_db()
        change = Change(
            status=target,
            text="ნათურა შეიცვალა",
            reason="not_ours",
            referred_to="თბილისის ენერჯი",
            scheduled_for=__import__("datetime").date(2026, 12, 1),
            proof=_proof(),
        )
        if target in allowed("staff", current):
            do_change_status(report, change, actor=tbilservice_staff, role="staff")
            assert Report.objects.get(pk=report.pk).status == target
        else:
            with pytest.raises(TransitionError):
                do_change_status(report, change, actor=tbilservice_staff, role="staff")
            assert Report.objects.get(pk=report.pk).status == current


def test_resolving_needs_a_public_response_and_a_proof_photo(submit, tbilservice_staff):
    report = submit()
    with pytest.raises(TransitionError, match="public response"):
        do_change_status(report, Change(status=S.RESOLVED, proof=_proof()), actor=tbilservice_staff, role="staff")
    with pytest.raises(TransitionError, match="photo"):
        do_change_status(report, Change(status=S.RESOLVED, text="შეკეთდა"), actor=tbilservice_staff, role="staff")
    report = do_change_status(
        report, Change(status=S.RESOLVED, text="შეკეთდა", proof=_proof()), actor=tbilservice_staff, role="staff"
    )
    assert report.status == S.RESOLVED and report.resolved_at and report.acknowledged_at
    assert report.photos.filter(kind="proof").count() == 1


@pytest.mark.parametrize(
    "reason, extra, message",
    [
        ("", {}, "why"),
        ("not_ours", {}, "to whom"),
        ("duplicate", {}, "which report"),
        ("cannot_fix", {}, "why it cannot"),
    ],
)
def test_closing_needs_a_reason_and_its_details(submit, tbilservice_staff, reason, extra, message):
    report = submit()
    with pytest.raises(TransitionError, match=message):
        do_change_status(report, Change(status=S.CLOSED, reason=reason, **extra), actor=tbilservice_staff, role="staff")


def test_a_duplicate_is_closed_and_its_supporters_join_the_original(submit, tbilservice_staff):
    original, duplicate = submit(), submit(email="levan@example.ge")
    do_change_status(
        duplicate,
        Change(status=S.CLOSED, reason="duplicate", duplicate_of=original),
        actor=tbilservice_staff,
        role="staff",
    )
    original.refresh_from_db()
    assert original.supporters_count == 2
    assert Report.objects.get(pk=duplicate.pk).duplicate_of == original


def test_the_reporter_confirms_or_disputes_a_resolution(submit, tbilservice_staff, resident):
    report = submit(user=resident)
    do_change_status(
        report, Change(status=S.RESOLVED, text="შეკეთდა", proof=_proof()), actor=tbilservice_staff, role="staff"
    )
    with pytest.raises(TransitionError, match="still wrong"):
        do_change_status(report, Change(status=S.IN_PROGRESS), actor=resident, role="reporter")
    report = do_change_status(
        report, Change(status=S.IN_PROGRESS, text="ისევ არ ანათებს"), actor=resident, role="reporter"
    )
    assert report.status == S.IN_PROGRESS and report.resolved_at is None
    do_change_status(
        report, Change(status=S.RESOLVED, text="ახლა შეიცვალა", proof=_proof()), actor=tbilservice_staff, role="staff"
    )
    report = do_change_status(report, Change(status=S.CLOSED), actor=resident, role="reporter")
    assert (report.status, report.close_reason) == (S.CLOSED, "fixed")


def test_the_reporter_cannot_move_a_report_along(submit, resident):
    report = submit(user=resident)
    with pytest.raises(TransitionError):
        do_change_status(report, Change(status=S.ACKNOWLEDGED), actor=resident, role="reporter")


def test_moderators_may_only_close(submit, moderator):
    report = submit()
    with pytest.raises(TransitionError):
        do_change_status(report, Change(status=S.IN_PROGRESS), actor=moderator, role="moderator")
    do_change_status(
        report, Change(status=S.CLOSED, reason="cannot_fix", text="სპამი"), actor=moderator, role="moderator"
    )


def test_every_change_is_on_the_timeline_and_on_the_spine(submit, tbilservice_staff):
    report = submit()
    do_change_status(report, Change(status=S.ACKNOWLEDGED, text="მივიღეთ"), actor=tbilservice_staff, role="staff")
    entry = report.updates.filter(kind="status").last()
    assert (entry.old_status, entry.new_status, entry.public_text) == ("new", "acknowledged", "მივიღეთ")
    assert entry.actor == tbilservice_staff and entry.actor_department == report.department
    kinds = list(
        Event.objects.filter(layer="reports", item_id=report.pk).order_by("id").values_list("kind", "new_status")
    )
    assert kinds == [("created", "new"), ("status_changed", "acknowledged")]


def test_needs_information_pauses_the_clock_and_resuming_moves_the_deadline(submit, tbilservice_staff, resident):
    from datetime import timedelta

    from django.utils import timezone

    report = submit(user=resident)
    do_change_status(
        report, Change(status=S.NEEDS_INFORMATION, text="რომელი ბოძია?"), actor=tbilservice_staff, role="staff"
    )
    report.refresh_from_db()
    assert report.paused_at is not None
    # The reporter answers a week later: the clock resumes with what was left.
    Report.objects.filter(pk=report.pk).update(paused_at=timezone.now() - timedelta(days=7))
    before = Report.objects.get(pk=report.pk).resolution_due_at
    report = do_change_status(report, Change(status=S.ACKNOWLEDGED, text="ბოძი №12"), actor=resident, role="reporter")
    assert report.paused_at is None and report.resolution_due_at > before
    assert report.updates.filter(kind=ReportUpdate.Kind.DEADLINE).exists()


def test_needs_information_must_say_what_is_needed(submit, tbilservice_staff):
    with pytest.raises(TransitionError):
        do_change_status(submit(), Change(status=S.NEEDS_INFORMATION), actor=tbilservice_staff, role="staff")
