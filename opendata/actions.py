"""The nightly full dumps: every dataset in every format, with a manifest anyone can check a download against.

A run writes into a hidden directory beside the others (MEDIA_ROOT/opendata/.<run>.tmp), each file
through the same export core as the API (opendata.export), hashing it as it is written; the
manifest (size, SHA-256, record count, date, licence) goes in last, and one rename makes the run
visible as MEDIA_ROOT/opendata/<run>/. A reader therefore sees a whole run or none of it: a run
that dies half-way leaves only a hidden directory, removed by the next run. Then all but the newest
OPEN_DATA_DUMPS_KEEP runs are deleted. A PostgreSQL advisory lock keeps two runs (two beats, a
command beside the task) from writing at once; the second one returns without writing.
"""

import hashlib
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from opendata import export
from opendata.dictionary import datasets
from opendata.filters import Selection, select

MANIFEST = "manifest.json"
LOCK_KEY = 4_207_310  # pg_advisory_lock key of the dump writer


def dumps_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "opendata"


def do_write_dumps(now: datetime | None = None, keep: int | None = None) -> dict | None:
    """Write one complete run; its manifest, or None when another run holds the lock."""
    now = now or timezone.now()
    keep = settings.OPEN_DATA_DUMPS_KEEP if keep is None else keep
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
        if not cursor.fetchone()[0]:
            return None
        try:
            manifest = _write_run(now)
            prune(keep)
            return manifest
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


def _write_run(now: datetime) -> dict:
    root = dumps_root()
    root.mkdir(parents=True, exist_ok=True)
    for stale in root.glob(".*.tmp"):  # a run that died: we hold the lock, so nobody writes there
        shutil.rmtree(stale, ignore_errors=True)
    run = now.astimezone(UTC).strftime("%Y-%m-%dT%H%M%SZ")
    work = root / f".{run}.tmp"
    work.mkdir()
    files = []
    for dataset in datasets().values():
        for fmt in export.FORMATS:
            files.append(_write_file(dataset, fmt, work))
    manifest = {
        "date": now.isoformat(timespec="seconds"),
        "run": run,
        "licence": export.licence(),
        "files": files,
    }
    (work / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    target = root / run
    if target.exists():  # the same second twice: the newer run replaces it
        shutil.rmtree(target)
    work.rename(target)  # atomic on one filesystem: the run appears whole
    return manifest


def _write_file(dataset, fmt: str, work: Path) -> dict:
    name = f"{dataset.slug}.{fmt}"
    path = work / name
    counted = _Counter(export.chunks(dataset, _everything(dataset), fmt))
    if fmt == "gpkg":
        export.write_gpkg(dataset, counted, path)
    else:
        stream = export.csv_stream(dataset, counted) if fmt == "csv" else export.geojson_stream(dataset, counted)
        with path.open("wb") as out:
            for piece in stream:
                out.write(piece)
    return {
        "dataset": dataset.slug,
        "format": fmt,
        "file": name,
        "media_type": export.FORMATS[fmt].split(";")[0],
        "bytes": path.stat().st_size,
        "sha256": sha256(path),
        "records": counted.n,
    }


def _everything(dataset) -> Selection:
    return select(dataset, {})


class _Counter:
    """Passes the chunks on and counts their rows."""

    def __init__(self, chunks):
        self.chunks, self.n = chunks, 0

    def __iter__(self):
        for chunk in self.chunks:
            self.n += len(chunk)
            yield chunk


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def runs() -> list[Path]:
    """Complete runs, newest first (a run is complete when its manifest is in it)."""
    root = dumps_root()
    if not root.is_dir():
        return []
    found = [p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".") and (p / MANIFEST).is_file()]
    return sorted(found, key=lambda p: p.name, reverse=True)


def prune(keep: int) -> list[str]:
    removed = []
    for old in runs()[max(keep, 1) :]:
        shutil.rmtree(old, ignore_errors=True)
        removed.append(old.name)
    return removed


def list_dumps(base_url: str = "") -> list[dict]:
    """Every kept run's manifest, newest first, each file with its download address."""
    listed = []
    for run in runs():
        manifest = json.loads((run / MANIFEST).read_text())
        for entry in manifest["files"]:
            entry["url"] = f"{base_url}{settings.MEDIA_URL}opendata/{run.name}/{entry['file']}"
        manifest["manifest_url"] = f"{base_url}{settings.MEDIA_URL}opendata/{run.name}/{MANIFEST}"
        listed.append(manifest)
    return listed
