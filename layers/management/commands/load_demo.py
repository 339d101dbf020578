"""manage.py load_demo [--permits N] [--trees N] [--projects N] [--seed S]

Demo items for the local run and benchmarks, through the real import core (so they have
timelines and events) and marked is_demo. The same sizes and seed give the same data: running it
again changes nothing.
"""

from django.core.management.base import BaseCommand

from layers.demo import load_demo


class Command(BaseCommand):
    help = "Generate demo permits, tree permits and projects (marked as demo) through the import core."

    def add_arguments(self, parser):
        parser.add_argument("--permits", type=int, default=1500)
        parser.add_argument("--trees", type=int, default=300)
        parser.add_argument("--projects", type=int, default=40)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--years", type=float, default=2.0, help="how much history to generate")

    def handle(self, *args, **options):
        for layer, n in (
            ("construction-permits", options["permits"]),
            ("tree-permits", options["trees"]),
            ("projects", options["projects"]),
        ):
            if n <= 0:
                continue
            report = load_demo(layer, n, seed=options["seed"], years=options["years"])
            self.stdout.write(f"{layer}: {report.summary()}")
