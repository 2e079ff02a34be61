"""Schema of a Claimdesk project file, as sqlite-utils migrations.

Each step is one function, applied in a transaction together with its record
in ``_sqlite_migrations``. Released steps are never edited: add a new one.
``PRAGMA user_version`` mirrors the number of applied steps so that an older
Claimdesk can tell that a file is newer than it understands.

A fixture file of every released schema lives in ``db/fixtures/`` and the
tests upgrade each of them to the current schema.
"""

from sqlite_utils import Database, Migrations

#: ``PRAGMA application_id`` of every Claimdesk project ("CDK1").
APPLICATION_ID = 0x43444B31

migrations = Migrations("claimdesk")


@migrations()
def m001_initial(db: Database) -> None:
    db["articles"].create(
        {
            "id": int,
            "title": str,
            "outlet": str,
            "url": str,
            "published": str,
            "language": str,
            "content_hash": str,
            "source_path": str,
            "imported_at": str,
            "text": str,
        },
        pk="id",
        not_null={"text", "content_hash", "imported_at"},
    )
    db["articles"].create_index(["content_hash"], unique=True)

    db["claims"].create(
        {
            "id": int,
            "article_id": int,
            "start": int,
            "end": int,
            "text": str,
            "kind": str,
            "score": float,
            "status": str,
            "attribution": str,
            "origin": str,
            "rule": str,
            "subject": str,
            "decided_at": str,
            "decided_by": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "start", "end", "text", "status", "origin"},
        defaults={"status": "suggested", "origin": "suggested"},
    )
    db["claims"].create_index(["article_id", "start"])
    db["claims"].create_index(["status"])

    db["claim_values"].create(
        {
            "id": int,
            "claim_id": int,
            "start": int,
            "end": int,
            "text": str,
            "type": str,
            "amount": float,
            "unit": str,
            "bound": str,
            "date": str,
            "attribute": str,
            "subject": str,
            "role": str,
            "equivalents": str,  # JSON list of [amount, unit]
            "changing": int,
            "rule": str,
        },
        pk="id",
        foreign_keys=[("claim_id", "claims", "id")],
        not_null={"claim_id", "start", "end", "type"},
        defaults={"bound": "exact", "role": "primary", "changing": 0},
    )
    db["claim_values"].create_index(["claim_id"])

    db["links"].create(
        {
            "id": int,
            "claim_a": int,
            "claim_b": int,
            "kind": str,
            "a_start": int,
            "a_end": int,
            "b_start": int,
            "b_end": int,
            "reason": str,
            "confidence": float,
            "origin": str,
            "status": str,
            "resolution": str,
            "preferred_claim": int,
            "decided_at": str,
            "decided_by": str,
        },
        pk="id",
        foreign_keys=[
            ("claim_a", "claims", "id"),
            ("claim_b", "claims", "id"),
            ("preferred_claim", "claims", "id"),
        ],
        not_null={"claim_a", "claim_b", "kind", "origin", "status"},
        defaults={"origin": "suggested", "status": "open"},
    )
    db["links"].create_index(["claim_a"])
    db["links"].create_index(["claim_b"])

    db["notes"].create(
        {
            "id": int,
            "claim_id": int,
            "link_id": int,
            "text": str,
            "author": str,
            "created_at": str,
        },
        pk="id",
        foreign_keys=[("claim_id", "claims", "id"), ("link_id", "links", "id")],
        not_null={"text", "created_at"},
    )
    db["notes"].create_index(["claim_id"])

    # Append-only history: one row per changed record, grouped by ``op``
    # (one reviewer action). ``before``/``after`` are JSON snapshots of the row.
    db["events"].create(
        {
            "id": int,
            "op": int,
            "at": str,
            "actor": str,
            "action": str,
            "entity": str,
            "entity_id": int,
            "before": str,
            "after": str,
        },
        pk="id",
        not_null={"op", "at", "action", "entity"},
    )
    db["events"].create_index(["op"])
    db["events"].create_index(["entity", "entity_id"])
    db.execute(
        "CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events "
        "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END"
    )
    db.execute(
        "CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events "
        "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END"
    )

    db["settings"].create({"key": str, "value": str}, pk="key")
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")


SCHEMA_VERSION = len(migrations._migrations)
