"""The audit records of an import's new figures, written by the database itself from the rows
just inserted (`row_writer.write_rows`), in one INSERT … SELECT on SQLite and PostgreSQL."""

from __future__ import annotations

from django.db import connection

from tieuchi.accounts import audit
from tieuchi.accounts.models import AuditEvent
from tieuchi.catalog.models import Measure
from tieuchi.collection.models import Observation
from tieuchi.collection.services import unusual_note
from tieuchi.orgs.models import AdminUnit, UnitType

CHANNEL = AuditEvent.Channel.EXCEL
# Positions in a stored row (check_result.ROW_FIELDS), as in row_writer.
UNIT_ID, MEASURE_ID, WARNING = 2, 3, 9


def audit_created_in_sql(actor, now, note: str, created_ids: dict, creates) -> int:
    """One INSERT … SELECT writes the audit record of every new figure (`created_ids`: inserted by
    this transaction), the same row `audit.record` would write: object_repr is
    str(Observation), `after` the snapshot `save_observation` records (the stored numbers as
    text; a test compares them). A confirmed unusual value then gets its own note. Building
    100,000 of these rows in Python was a quarter of a large import."""
    if not creates:
        return 0
    ids = [created_ids[row[UNIT_ID], row[MEASURE_ID]] for row in creates]
    quote = connection.ops.quote_name
    labels = [(value, str(label)) for value, label in UnitType.choices]
    type_label = "CASE u.unit_type " + " ".join("WHEN %s THEN %s" for _ in labels)
    postgres = connection.vendor == "postgresql"
    # The stored number as save_observation's snapshot writes it: "87.5", not "87.5000".
    number = "trim_scale(o.{0})::text" if postgres else "CAST(o.{0} AS TEXT)"
    boolean = (
        "o.boolean_value"
        if postgres
        else "CASE WHEN o.boolean_value IS NULL THEN NULL "
        "WHEN o.boolean_value THEN json('true') ELSE json('false') END"
    )
    table = quote(AuditEvent._meta.db_table)
    sql = f"""
        INSERT INTO {table} ({", ".join(quote(column) for column in audit.COLUMNS)})
        SELECT %s, %s, %s, 'create', %s, CAST(o.id AS TEXT),
            substr({type_label} ELSE u.unit_type END || ' ' || u.name || ' ' || m.code || ' '
                || o.period, 1, 255),
            NULL,
            {"jsonb_build_object" if postgres else "json_object"}(
                'numerator', {number.format("numerator")},
                'denominator', {number.format("denominator")},
                'value', {number.format("value")},
                'boolean_value', {boolean},
                'level', o.level, 'status', o.status, 'version', o.version),
            %s
        FROM {quote(Observation._meta.db_table)} o
        JOIN {quote(AdminUnit._meta.db_table)} u ON u.id = o.unit_id
        JOIN {quote(Measure._meta.db_table)} m ON m.id = o.measure_id
        WHERE {"o.id = ANY(%s)" if postgres else "o.id BETWEEN %s AND %s"}
    """
    object_type = Observation._meta.label_lower
    params = [
        connection.ops.adapt_datetimefield_value(now),
        actor.pk if actor is not None else None,
        str(CHANNEL),
        object_type,
        *(part for pair in labels for part in pair),
        note,
        *([sorted(ids)] if postgres else [min(ids), max(ids)]),
    ]
    own_notes = [
        (
            unusual_note(row[WARNING]) if not note else f"{note}. {unusual_note(row[WARNING])}",
            str(created_ids[row[UNIT_ID], row[MEASURE_ID]]),
        )
        for row in creates
        if len(row) > WARNING and row[WARNING]
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        written = cursor.rowcount
        if own_notes:
            cursor.executemany(
                f"UPDATE {table} SET note = %s WHERE object_type = %s AND object_id = %s "
                "AND action = 'create' AND channel = %s",
                [(text, object_type, pk, str(CHANNEL)) for text, pk in own_notes],
            )
    if written != len(creates):
        raise AssertionError(f"{written} audit records for {len(creates)} new figures")
    return written
