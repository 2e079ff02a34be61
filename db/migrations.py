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


@migrations()
def m002_facts(db: Database) -> None:
    """Facts: one thing measured, its versions, and the values (mentions) that state it.

    Links reviewed under schema 1 become facts with the same decision: a
    confirmed, rejected or resolved link (or one a reviewer made by hand) is a
    fact of two mentions, one version (a corroboration) or two (a conflict),
    with its resolution note, preferred version, reviewer and time. The links
    table stays as it was; nothing a reviewer decided is lost.
    """
    db["facts"].create(
        {
            "id": int,
            "key": str,
            "label": str,
            "subject": str,
            "attribute": str,
            "kind": str,
            "status": str,  # agreed, conflicting, changed, single
            "origin": str,  # suggested, manual, migrated
            "review": str,  # open, confirmed, resolved, rejected
            "preferred_version": int,
            "resolution": str,
            "decided_at": str,
            "decided_by": str,
        },
        pk="id",
        not_null={"status", "origin", "review"},
        defaults={"origin": "suggested", "review": "open"},
    )
    db["facts"].create_index(["review"])
    db["fact_versions"].create(
        {"id": int, "fact_id": int, "k": int, "text": str, "amount": float, "unit": str, "bound": str},
        pk="id",
        foreign_keys=[("fact_id", "facts", "id")],
        not_null={"fact_id", "k"},
    )
    db["fact_versions"].create_index(["fact_id", "k"], unique=True)
    db["fact_mentions"].create(
        {"id": int, "fact_id": int, "claim_id": int, "start": int, "end": int, "version": int, "origin": str},
        pk="id",
        foreign_keys=[("fact_id", "facts", "id"), ("claim_id", "claims", "id")],
        not_null={"fact_id", "claim_id", "start", "end", "version"},
        defaults={"origin": "suggested"},
    )
    db["fact_mentions"].create_index(["fact_id"])
    db["fact_mentions"].create_index(["claim_id"])

    links = list(db.query(
        "SELECT * FROM links WHERE status != 'open' OR origin != 'suggested' ORDER BY id"
    ))
    for link in links:
        ends = []
        for side in ("a", "b"):
            claim_id, start, end = link[f"claim_{side}"], link[f"{side}_start"], link[f"{side}_end"]
            if start is None or end is None:
                row = next(iter(db.query("SELECT start, end FROM claims WHERE id = ?", [claim_id])), None)
                if row is None:
                    break
                start, end = row["start"], row["end"]
            value = next(iter(db.query(
                "SELECT text, amount, unit, bound FROM claim_values WHERE claim_id = ? AND start < ? AND ? < end "
                "ORDER BY start LIMIT 1", [claim_id, end, start])), None)
            ends.append((claim_id, start, end, value))
        if len(ends) != 2:
            continue
        conflict = link["kind"] == "conflict"
        review = {"confirmed": "confirmed", "rejected": "rejected", "resolved": "resolved"}.get(link["status"], "open")
        preferred = None
        if link["preferred_claim"] is not None:
            preferred = 0 if link["preferred_claim"] == link["claim_a"] else 1 if conflict else 0
        fact_id = db["facts"].insert({
            "key": f"link:{link['id']}", "label": link["reason"], "kind": "",
            "attribute": "", "status": "conflicting" if conflict else "agreed",
            "origin": "migrated", "review": review, "preferred_version": preferred,
            "resolution": link["resolution"], "decided_at": link["decided_at"], "decided_by": link["decided_by"],
        }).last_pk
        for k, (claim_id, start, end, value) in enumerate(ends):
            version = k if conflict else 0
            if k == 0 or conflict:
                db["fact_versions"].insert({
                    "fact_id": fact_id, "k": version, "text": value["text"] if value else None,
                    "amount": value["amount"] if value else None, "unit": value["unit"] if value else None,
                    "bound": value["bound"] if value else None,
                })
            db["fact_mentions"].insert({
                "fact_id": fact_id, "claim_id": claim_id, "start": start, "end": end, "version": version,
                "origin": "migrated",
            })


@migrations()
def m003_reviewers(db: Database) -> None:
    """Two reviewers, one story: where an event came from, and decisions in dispute.

    ``events.origin`` is empty for an event made in this file; for an event
    brought in by ``claimdesk merge`` it names the event in the file it came
    from (a fingerprint of that event), so merging the same file again adds
    nothing. ``claims.disputed`` and ``facts.disputed`` hold, while reviewers
    disagree, a JSON list of each reviewer's decision (reviewer, decision,
    note, time); a curator's decision empties it.
    """
    db["events"].add_column("origin", str)
    db["events"].create_index(["origin"])
    db["claims"].add_column("disputed", str)
    db["facts"].add_column("disputed", str)


SCHEMA_VERSION = len(migrations._migrations)
