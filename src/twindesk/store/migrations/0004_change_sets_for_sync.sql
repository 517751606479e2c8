-- twindesk schema version 4: change sets that can travel between copies.
--
-- Each change set gets a global id (replica, counter): the replica is this
-- database's own id, kept in meta (one config may open several databases),
-- and the counter only grows. `clock` is what the set was made against: for
-- every other replica, the highest counter applied here when it was made
-- (a version vector). Two sets neither of which saw the other are
-- concurrent; sync merges them field by field. `lamport` orders concurrent
-- sets the same way on every copy, whatever the wall clocks say. `author`
-- is the window that made the set, so that ctrl+z undoes that window's own
-- last action.

ALTER TABLE change_set ADD COLUMN replica VARCHAR NOT NULL DEFAULT '';
ALTER TABLE change_set ADD COLUMN counter INTEGER NOT NULL DEFAULT 0;
ALTER TABLE change_set ADD COLUMN lamport INTEGER NOT NULL DEFAULT 0;
ALTER TABLE change_set ADD COLUMN clock VARCHAR NOT NULL DEFAULT '{}';
ALTER TABLE change_set ADD COLUMN author VARCHAR NOT NULL DEFAULT '';

INSERT OR IGNORE INTO meta (key, value) VALUES ('replica_id', lower(hex(randomblob(16))));

-- The sets already made: the seed's are the same on every copy (the first
-- release logged them under the installation's id, but always as "Seed: …");
-- the rest are this file's own history, numbered in the order they were written.
UPDATE change_set SET replica = CASE
	WHEN installation = 'seed' OR summary LIKE 'Seed: %' THEN 'seed'
	ELSE (SELECT value FROM meta WHERE key = 'replica_id') END;
WITH numbered AS (
	SELECT rowid AS r, row_number() OVER (PARTITION BY replica ORDER BY rowid) AS n FROM change_set)
UPDATE change_set SET counter = numbered.n, lamport = numbered.n FROM numbered WHERE numbered.r = change_set.rowid;

CREATE UNIQUE INDEX ix_change_set_global ON change_set (replica, counter);

-- The newest set applied per replica: this copy's version vector, read at
-- every write (a few rows, however long the history).
CREATE TABLE replica_clock (
	replica VARCHAR NOT NULL,
	counter INTEGER NOT NULL,
	lamport INTEGER NOT NULL,
	PRIMARY KEY (replica)
);
INSERT INTO replica_clock (replica, counter, lamport)
SELECT replica, max(counter), max(lamport) FROM change_set GROUP BY replica;

-- Merging asks for the last write to one field of one record.
DROP INDEX ix_change_record_id;
CREATE INDEX ix_change_record_field ON change (record_id, field, seq);

-- What sync could not settle alone. `kind` is 'field' (two values for one
-- field: `heads` lists each with the set that wrote it), 'deleted' (deleted
-- on one side, edited on the other) or 'duplicate' (the same thing created
-- on two copies; `field` holds the other record's id). A row with open = 0
-- keeps concurrent heads that agree, for later merges; nobody needs to look.
CREATE TABLE conflict (
	record_id VARCHAR NOT NULL,
	kind VARCHAR NOT NULL,
	field VARCHAR NOT NULL,
	entity VARCHAR NOT NULL,
	heads VARCHAR NOT NULL,
	base VARCHAR,
	open INTEGER NOT NULL,
	protected INTEGER NOT NULL,
	detected_at DATETIME NOT NULL,
	PRIMARY KEY (record_id, kind, field)
);
CREATE INDEX ix_conflict_open ON conflict (open, entity);

-- A person's word on a possible duplicate ("these are two things"): a
-- record like any other, so that it syncs and clears the question everywhere.
CREATE TABLE decision (
	id VARCHAR NOT NULL,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL,
	deleted_at DATETIME,
	kind VARCHAR NOT NULL,
	entity VARCHAR NOT NULL,
	first_id VARCHAR NOT NULL,
	second_id VARCHAR NOT NULL,
	PRIMARY KEY (id)
);
CREATE INDEX ix_decision_first_id ON decision (first_id);

-- Per hub this copy syncs with: how far its own sets were pushed, and when.
CREATE TABLE hub_state (
	hub_id VARCHAR NOT NULL,
	location VARCHAR NOT NULL,
	pushed INTEGER NOT NULL,
	last_sync DATETIME,
	PRIMARY KEY (hub_id)
);
