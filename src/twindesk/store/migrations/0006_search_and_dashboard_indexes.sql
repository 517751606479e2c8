-- twindesk schema version 6: every big list and the dashboard served by indexes.
--
-- At 100,000 visits and outcomes a filter that reads a whole table costs
-- ~25-35 ms a key, and the dashboard's "gone quiet" figure read whole tables
-- per partnership (~600 ms). This version adds:
--
-- * outcome_fts and invitation_fts, trigram indexes like visit_fts (schema 3):
--   the record's search line and its city's, under the record's rowid, live
--   rows only, kept right by triggers whoever writes (services, sync, undo,
--   the demo's bulk inserts).
-- * Two trailing spaces after every indexed text. A term of one or two
--   characters is then always the start of some trigram of a row that holds
--   it, so it is looked up as "any trigram that starts with it" (the
--   fts5vocab tables below list the trigrams), never by reading the table.
-- * Indexes the dashboard's figures walk in date order, a few rows each.

-- Visits: the same index, its texts padded.
DROP TRIGGER visit_fts_insert;
DROP TRIGGER visit_fts_update;
DROP TRIGGER visit_fts_city;

CREATE TRIGGER visit_fts_insert AFTER INSERT ON visit
WHEN NEW.deleted_at IS NULL
BEGIN
	INSERT INTO visit_fts (rowid, text)
	VALUES (NEW.rowid, NEW.search || ' | ' || coalesce((SELECT search FROM city WHERE id = NEW.city_id), '') || '  ');
END;

CREATE TRIGGER visit_fts_update AFTER UPDATE OF search, deleted_at, city_id ON visit
BEGIN
	DELETE FROM visit_fts WHERE rowid = OLD.rowid;
	INSERT INTO visit_fts (rowid, text)
	SELECT NEW.rowid, NEW.search || ' | ' || coalesce((SELECT search FROM city WHERE id = NEW.city_id), '') || '  '
	WHERE NEW.deleted_at IS NULL;
END;

DELETE FROM visit_fts;
INSERT INTO visit_fts (rowid, text)
SELECT v.rowid, v.search || ' | ' || coalesce(c.search, '') || '  '
FROM visit v LEFT JOIN city c ON c.id = v.city_id
WHERE v.deleted_at IS NULL;

CREATE VIRTUAL TABLE visit_fts_terms USING fts5vocab(visit_fts, 'row');

-- Outcomes: their own line and their city's.
CREATE VIRTUAL TABLE outcome_fts USING fts5(text, tokenize = 'trigram');
CREATE VIRTUAL TABLE outcome_fts_terms USING fts5vocab(outcome_fts, 'row');

CREATE TRIGGER outcome_fts_insert AFTER INSERT ON outcome
WHEN NEW.deleted_at IS NULL
BEGIN
	INSERT INTO outcome_fts (rowid, text)
	VALUES (NEW.rowid, NEW.search || ' | ' || coalesce((SELECT search FROM city WHERE id = NEW.city_id), '') || '  ');
END;

CREATE TRIGGER outcome_fts_update AFTER UPDATE OF search, deleted_at, city_id ON outcome
BEGIN
	DELETE FROM outcome_fts WHERE rowid = OLD.rowid;
	INSERT INTO outcome_fts (rowid, text)
	SELECT NEW.rowid, NEW.search || ' | ' || coalesce((SELECT search FROM city WHERE id = NEW.city_id), '') || '  '
	WHERE NEW.deleted_at IS NULL;
END;

CREATE TRIGGER outcome_fts_delete AFTER DELETE ON outcome
BEGIN
	DELETE FROM outcome_fts WHERE rowid = OLD.rowid;
END;

INSERT INTO outcome_fts (rowid, text)
SELECT o.rowid, o.search || ' | ' || coalesce(c.search, '') || '  '
FROM outcome o LEFT JOIN city c ON c.id = o.city_id
WHERE o.deleted_at IS NULL;

-- Invitations: their own line and their host city's.
CREATE VIRTUAL TABLE invitation_fts USING fts5(text, tokenize = 'trigram');
CREATE VIRTUAL TABLE invitation_fts_terms USING fts5vocab(invitation_fts, 'row');

CREATE TRIGGER invitation_fts_insert AFTER INSERT ON invitation
WHEN NEW.deleted_at IS NULL
BEGIN
	INSERT INTO invitation_fts (rowid, text)
	VALUES (NEW.rowid,
	        NEW.search || ' | ' || coalesce((SELECT search FROM city WHERE id = NEW.host_city_id), '') || '  ');
END;

CREATE TRIGGER invitation_fts_update AFTER UPDATE OF search, deleted_at, host_city_id ON invitation
BEGIN
	DELETE FROM invitation_fts WHERE rowid = OLD.rowid;
	INSERT INTO invitation_fts (rowid, text)
	SELECT NEW.rowid, NEW.search || ' | ' || coalesce((SELECT search FROM city WHERE id = NEW.host_city_id), '') || '  '
	WHERE NEW.deleted_at IS NULL;
END;

CREATE TRIGGER invitation_fts_delete AFTER DELETE ON invitation
BEGIN
	DELETE FROM invitation_fts WHERE rowid = OLD.rowid;
END;

INSERT INTO invitation_fts (rowid, text)
SELECT i.rowid, i.search || ' | ' || coalesce(c.search, '') || '  '
FROM invitation i LEFT JOIN city c ON c.id = i.host_city_id
WHERE i.deleted_at IS NULL;

-- A city renamed (or given a Hangul name) is found under its new name in
-- every list. (Replaces schema 3's trigger, which knew only visits.)
CREATE TRIGGER visit_fts_city AFTER UPDATE OF search ON city
BEGIN
	DELETE FROM visit_fts WHERE rowid IN (SELECT rowid FROM visit WHERE city_id = NEW.id);
	INSERT INTO visit_fts (rowid, text)
	SELECT rowid, search || ' | ' || NEW.search || '  ' FROM visit WHERE city_id = NEW.id AND deleted_at IS NULL;
	DELETE FROM outcome_fts WHERE rowid IN (SELECT rowid FROM outcome WHERE city_id = NEW.id);
	INSERT INTO outcome_fts (rowid, text)
	SELECT rowid, search || ' | ' || NEW.search || '  ' FROM outcome WHERE city_id = NEW.id AND deleted_at IS NULL;
	DELETE FROM invitation_fts WHERE rowid IN (SELECT rowid FROM invitation WHERE host_city_id = NEW.id);
	INSERT INTO invitation_fts (rowid, text)
	SELECT rowid, search || ' | ' || NEW.search || '  ' FROM invitation
	WHERE host_city_id = NEW.id AND deleted_at IS NULL;
END;

-- Lists in date order, newest or oldest first, a page at a time.
CREATE INDEX ix_outcome_live_happened ON outcome (happened_on) WHERE deleted_at IS NULL;
CREATE INDEX ix_invitation_live_start ON invitation (start_date) WHERE deleted_at IS NULL;

-- The dashboard. "Gone quiet": each partnership's latest visit, event,
-- outcome and stage change, each the top of one short index range.
CREATE INDEX ix_visit_city_end ON visit (city_id, end_date, start_date, status) WHERE deleted_at IS NULL;
CREATE INDEX ix_invitation_host_start ON invitation (host_city_id, start_date) WHERE deleted_at IS NULL;
CREATE INDEX ix_outcome_city_happened ON outcome (city_id, happened_on) WHERE deleted_at IS NULL;
CREATE INDEX ix_outcome_partnership_happened ON outcome (partnership_id, happened_on) WHERE deleted_at IS NULL;
CREATE INDEX ix_stage_change_partnership_on ON stage_change (partnership_id, changed_on) WHERE deleted_at IS NULL;
-- The agenda: what is under way started at most the longest visit (or
-- event) ago, so its range of the start-date index is short.
CREATE INDEX ix_visit_length ON visit ((julianday(end_date) - julianday(start_date))) WHERE deleted_at IS NULL;
CREATE INDEX ix_invitation_length ON invitation ((julianday(end_date) - julianday(start_date)))
WHERE deleted_at IS NULL;
-- RSVP deadlines of open invitations.
CREATE INDEX ix_invitation_status_rsvp ON invitation (status, rsvp_by) WHERE deleted_at IS NULL;
