"""When Tbilisi's district boundaries change, a report keeps the district it was routed with.

A report went to a department because of the district its place lay in on the day it was filed;
that routing, the department's queue and the statistics of what each district's service handled
all rest on it, so new boundaries do not move a stored report. They are still a fact its reader
should see: the timeline says, once per change, that the place now lies in another district and
that the report stays with the one it was routed with. New reports are filed by the new lines.

Called by layers.districts.apply() (manage.py recheck_districts --commit) through the reports
layer's `on_boundary_change`, inside its transaction.
"""

from fixtracker.actions.timeline import add_update
from fixtracker.models import Report, ReportUpdate
from places.models import District


def note_boundary_change(moves) -> int:
    """A timeline entry on each moved report that has not been told of this district yet."""
    districts = {d.pk: d for d in District.objects.all()}
    reports = Report.objects.in_bulk([m.item_id for m in moves])
    noted = 0
    for move in moves:
        report = reports.get(move.item_id)
        if report is None or _already_noted(report, move.new_district_id):
            continue
        add_update(report, ReportUpdate.Kind.DISTRICT, None, data=_data(districts, move))
        noted += 1
    return noted


def _already_noted(report: Report, district_id: int) -> bool:
    last = report.updates.filter(kind=ReportUpdate.Kind.DISTRICT).order_by("-created_at", "-id").first()
    return last is not None and last.data.get("now_in") == district_id


def _data(districts, move) -> dict:
    """Both names in both languages: the timeline is read in Georgian and in English."""
    old, new = districts.get(move.old_district_id), districts[move.new_district_id]
    return {
        "routed_to": move.old_district_id,
        "routed_to_ka": old.name_ka if old else "",
        "routed_to_en": old.name_en if old else "",
        "now_in": new.pk,
        "now_in_ka": new.name_ka,
        "now_in_en": new.name_en,
    }
