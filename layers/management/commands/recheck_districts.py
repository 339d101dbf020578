"""manage.py recheck_districts [--commit]

After new district boundaries (import_boundaries, load_tbilisi): files every stored item of every
layer again and says, per layer, how many lie in another district now, from where to where, with
a few references. A dry run unless given --commit; then, in one transaction, items are re-filed,
while reports keep the district they were routed with and their timeline says so
(see layers.districts).
"""

from django.core.management.base import BaseCommand

from layers import districts
from layers.registry import get_layer
from places.models import District

EXAMPLES = 5


class Command(BaseCommand):
    help = "Re-check stored items against the current district boundaries and say what would move."

    def add_arguments(self, parser):
        parser.add_argument("--commit", action="store_true", help="re-file the items (default: dry run)")

    def handle(self, *args, **options):
        checks = districts.find_moves()
        names = {d.pk: d.name_en for d in District.objects.all()}
        mode = "" if options["commit"] else " (dry run: nothing changed; add --commit to apply)"
        self.stdout.write(f"Stored items against the current district boundaries{mode}:")
        for check in checks:
            self.stdout.write(f"  {check.layer}: {self._line(check, names)}")
        if options["commit"]:
            done = districts.apply(checks)
            for slug, count in sorted(done.items()):
                verb = "noted on the timeline of" if get_layer(slug).on_boundary_change else "re-filed"
                self.stdout.write(f"  {slug}: {count} {verb}")

    def _line(self, check, names) -> str:
        if not check.moves:
            return f"none of {check.checked} moved"
        pairs = ", ".join(
            f"{names.get(old, 'none')} → {names[new]} {count}"
            for (old, new), count in sorted(check.by_pair().items(), key=lambda kv: (-kv[1], kv[0][1]))
        )
        examples = ", ".join(m.reference for m in check.moves[:EXAMPLES])
        line = f"{len(check.moves)} of {check.checked} lie in another district now ({pairs}; e.g. {examples})"
        if check.keeps_district:
            line += "; they keep the district they were routed with, and their timeline says so"
        return line
