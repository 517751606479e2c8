"""The office hub's tables on PostgreSQL, versioned like the local schema.

Numbered steps, each applied once, in one transaction with the version
written in `twindesk.hub_meta`: a hub is at version N when steps 1..N ran.
A twindesk that finds a higher number than it knows leaves the hub alone.

Everything lives in a schema of its own (`twindesk`), named in full in every
statement, so a database shared with other software keeps its own objects
and a role's search_path never decides which table is written.

Append-only is the server's rule, not the client's good manners: a trigger
refuses UPDATE, DELETE and TRUNCATE of change sets even to their owner, and
the roles for laptops get INSERT (of the client's columns only) and SELECT.
The replica summary is kept by a SECURITY DEFINER trigger, so writers can
add sets without being able to edit the summary.
"""

from __future__ import annotations

SCHEMA = "twindesk"

# A hostile writer could store a zlib bomb; readers inflate no further than this.
MAX_STORED = 8 * 1024 * 1024  # bytes of one compressed set, as the server keeps it
MAX_INFLATED = 64 * 1024 * 1024  # bytes of its JSON

# Raised by the hub's triggers; the client tells them apart from other errors.
APPEND_ONLY = "TD001"
BEHIND = "TD002"

_STEP_1 = f"""
CREATE SCHEMA twindesk;
COMMENT ON SCHEMA twindesk IS
    'twindesk office hub: change sets shared by every laptop (append-only; see hub_meta for the version)';

CREATE TABLE twindesk.hub_meta (
    key   text PRIMARY KEY,
    value text NOT NULL
);

-- One row per change set, never changed once written. `data` is the set's
-- canonical JSON (wire.WireSet.dumps), zlib-compressed by the client:
-- libpq has no compression on the wire, and a demo history is about six
-- times smaller this way. `checksum` is the SHA-256 of the JSON before
-- compression, so two versions of zlib compare equal on a retried push.
CREATE TABLE twindesk.change_set (
    replica   text        NOT NULL CHECK (replica ~ '^[0-9a-f]{{32}}$'),
    counter   bigint      NOT NULL CHECK (counter > 0),
    -- The set's own id, so a sync can check "is this my set?" without reading one.
    set_id    text        NOT NULL CHECK (set_id ~ '^[0-9A-Za-z-]{{1,64}}$'),
    lamport   bigint      NOT NULL CHECK (lamport > 0),
    checksum  text        NOT NULL CHECK (checksum ~ '^[0-9a-f]{{64}}$'),
    data      bytea       NOT NULL CHECK (octet_length(data) BETWEEN 1 AND {MAX_STORED}),
    pushed_at timestamptz NOT NULL DEFAULT now(),
    pushed_by name        NOT NULL DEFAULT session_user,
    -- The global id; its index is also the read path: one replica's sets
    -- after a cursor, in counter order.
    PRIMARY KEY (replica, counter)
);
-- Already compressed: TOAST would spend CPU trying again for nothing.
ALTER TABLE twindesk.change_set ALTER COLUMN data SET STORAGE EXTERNAL;

-- Per replica: its newest counter and how much it shared, kept by the insert
-- trigger, so `replicas()` and `status` read a few rows at any hub size.
CREATE TABLE twindesk.replica (
    replica        text        PRIMARY KEY,
    counter        bigint      NOT NULL,
    sets           bigint      NOT NULL,
    first_push     timestamptz NOT NULL,
    last_push      timestamptz NOT NULL,
    last_pushed_by name        NOT NULL
);

CREATE FUNCTION twindesk.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'twindesk hub: change sets are append-only (% refused)', TG_OP
        USING ERRCODE = '{APPEND_ONLY}';
END
$$;
CREATE TRIGGER change_set_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON twindesk.change_set
    FOR EACH STATEMENT EXECUTE FUNCTION twindesk.refuse_change();

-- A reader's cursor is "counter > what I applied": a set that lands below a
-- replica's newest would never be read by anyone already past it. Refused
-- here, under the replica's row lock, so two pushes of one replica queue.
CREATE FUNCTION twindesk.count_sets() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    late record;
BEGIN
    INSERT INTO twindesk.replica (replica, counter, sets, first_push, last_push, last_pushed_by)
        SELECT n.replica, 0, 0, now(), now(), session_user
        FROM (SELECT DISTINCT replica FROM new_sets) n ORDER BY n.replica
        ON CONFLICT (replica) DO NOTHING;
    PERFORM 1 FROM twindesk.replica r WHERE r.replica IN (SELECT replica FROM new_sets)
        ORDER BY r.replica FOR UPDATE;
    SELECT n.replica, n.low, r.counter AS top INTO late
        FROM (SELECT replica, min(counter) AS low FROM new_sets GROUP BY replica) n
        JOIN twindesk.replica r ON r.replica = n.replica
        WHERE n.low <= r.counter LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'twindesk hub: change set % of replica % would land behind % (pushed out of order)',
            late.low, late.replica, late.top USING ERRCODE = '{BEHIND}';
    END IF;
    UPDATE twindesk.replica r
        SET counter = n.high, sets = r.sets + n.added, last_push = now(), last_pushed_by = session_user
        FROM (SELECT replica, max(counter) AS high, count(*) AS added FROM new_sets GROUP BY replica) n
        WHERE r.replica = n.replica;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION twindesk.count_sets() FROM PUBLIC;
REVOKE ALL ON FUNCTION twindesk.refuse_change() FROM PUBLIC;
CREATE TRIGGER change_set_count
    AFTER INSERT ON twindesk.change_set REFERENCING NEW TABLE AS new_sets
    FOR EACH STATEMENT EXECUTE FUNCTION twindesk.count_sets();
"""

# Step N brings a hub from version N-1 to N. Append; never edit a step that shipped.
STEPS: tuple[str, ...] = (_STEP_1,)
HUB_VERSION = len(STEPS)

# Columns a laptop writes; the server fills pushed_at and pushed_by itself.
CLIENT_COLUMNS = ("replica", "counter", "set_id", "lamport", "checksum", "data")
TABLES = ("hub_meta", "replica", "change_set")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def grants_sql(role: str, database: str, *, write: bool) -> str:
    """What one role needs: read the hub, and with `write` add change sets."""
    r, tables = _ident(role), ", ".join(f"twindesk.{t}" for t in TABLES)
    lines = [
        f"GRANT CONNECT ON DATABASE {_ident(database)} TO {r};",
        f"GRANT USAGE ON SCHEMA twindesk TO {r};",
        f"GRANT SELECT ON {tables} TO {r};",
    ]
    if write:
        lines.append(f"GRANT INSERT ({', '.join(CLIENT_COLUMNS)}) ON twindesk.change_set TO {r};")
    return "\n".join(lines)


def role_sql(database: str, writer: str = "twindesk_writer", reader: str = "twindesk_reader") -> str:
    """Two group roles for IT to create once (CREATEROLE needed); people log in as members."""
    return "\n".join([
        "-- Read-write, for coordinators' laptops: read and add change sets, nothing else.",
        f"CREATE ROLE {_ident(writer)} NOLOGIN;",
        grants_sql(writer, database, write=True),
        "-- Read-only, e.g. for a reporting colleague.",
        f"CREATE ROLE {_ident(reader)} NOLOGIN;",
        grants_sql(reader, database, write=False),
    ])
