"""Export one dataset, whole, to a file through the API's own export core (used by bench/)."""

import json
import resource
import time

from django.core.management.base import BaseCommand, CommandError

from opendata import export
from opendata.dictionary import datasets, get_dataset
from opendata.filters import select


class Command(BaseCommand):
    help = "Write one open dataset to a file as csv, geojson or gpkg; prints rows, bytes, seconds, peak memory."

    def add_arguments(self, parser):
        parser.add_argument("dataset", help=", ".join(datasets()))
        parser.add_argument("--format", choices=list(export.FORMATS), default="csv")
        parser.add_argument("--output", required=True)

    def handle(self, *args, dataset, format, output, **options):
        found = get_dataset(dataset)
        if found is None:
            raise CommandError(f"no dataset {dataset!r}; the datasets are: {', '.join(datasets())}")
        started = time.monotonic()
        rows = export.chunks(found, select(found, {}), format)
        n = 0

        def counted():
            nonlocal n
            for chunk in rows:
                n += len(chunk)
                yield chunk

        if format == "gpkg":
            export.write_gpkg(found, counted(), output)
        else:
            stream = export.csv_stream if format == "csv" else export.geojson_stream
            with open(output, "wb") as out:
                for piece in stream(found, counted()):
                    out.write(piece)
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        seconds = round(time.monotonic() - started, 2)
        self.stdout.write(json.dumps({"rows": n, "seconds": seconds, "peak_mb": round(peak_kb / 1024, 1)}))
