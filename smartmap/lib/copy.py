"""Insert many model instances with PostgreSQL COPY: for imports of hundreds of thousands of rows.

bulk_create spends most of its time building one huge parameterised INSERT; COPY streams rows
instead and is an order of magnitude faster. Primary keys are taken from the table's sequence
first, so callers get the ids back exactly as with bulk_create.
"""

from django.db import connection
from psycopg.types.json import Jsonb


def copy_insert(model, objects: list) -> None:
    if not objects:
        return
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(objects)],
        )
        for obj, (pk,) in zip(objects, cursor.fetchall(), strict=True):
            obj.pk = pk
    fields = [f for f in meta.concrete_fields if not getattr(f, "generated", False)]  # the database fills those
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        # The raw psycopg cursor under Django's wrapper: COPY has no Django API.
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objects:
                copy.write_row([_value(field, obj) for field in fields])


def _value(field, obj):
    value = field.pre_save(obj, add=True)  # fills auto_now / auto_now_add like save() would
    if value is None:
        return None
    internal = field.get_internal_type()
    if hasattr(value, "hexewkb"):  # GEOS geometry: hex EWKB carries the SRID
        return value.hexewkb.decode() if isinstance(value.hexewkb, bytes) else value.hexewkb
    if internal == "JSONField":
        return Jsonb(value)
    if internal in ("FileField", "ImageField"):
        return value.name or ""
    return value
