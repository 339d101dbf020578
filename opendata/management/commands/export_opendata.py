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
        parser.add_argument(
            "--copy-floor",
            action="store_true",
            help="write the same rows with PostgreSQL's COPY … TO STDOUT CSV instead (the floor bench/ measures)",
        )

    def handle(self, *args, dataset, format, output, copy_floor=False, **options):
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

        if copy_floor:
            n = _copy(found, output)
        elif format == "gpkg":
            export.write_gpkg(found, counted(), output)
        else:
            stream = export.csv_stream if format == "csv" else export.geojson_stream
            with open(output, "wb") as out:
                for piece in stream(found, counted()):
                    out.write(piece)
        peak_kb = _peak_kb()
        seconds = round(time.monotonic() - started, 2)
        self.stdout.write(json.dumps({"rows": n, "seconds": seconds, "peak_mb": round(peak_kb / 1024, 1)}))


def _copy(dataset, output) -> int:
    """The floor: PostgreSQL writes the export's own query as CSV, Python only copies the bytes."""
    from django.db import connection

    sql, params = export.items_sql(dataset, select(dataset, {}), "csv")
    with connection.cursor() as cursor:
        # The query is the export's (columns from the dictionary, never input); COPY takes no
        # server-side parameters, so psycopg binds them on the client.
        statement = cursor.cursor.mogrify(sql, params)
        copy_sql = f"COPY ({statement}) TO STDOUT (FORMAT csv, HEADER)"
        with open(output, "wb") as out, cursor.cursor.copy(copy_sql) as copy:
            for block in copy:
                out.write(block)
    return -1  # not counted: a count would be a second scan inside the floor's time


def _peak_kb() -> int:
    """This process's peak resident memory. VmHWM belongs to the program now running; ru_maxrss
    survives execve and so can report the (larger) parent that started this command."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
