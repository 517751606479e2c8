-- twindesk schema version 3: indexes for filtering visits and finding overlaps.
--
-- A filter that reads every visit costs ~20 ms at 100,000 visits, too slow
-- for filtering as you type. visit_fts holds, for each live visit, its own
-- search line and its city's (English, Hangul, initials, old spellings), so
-- a term of three or more characters is one index lookup. Its rowid is the
-- visit's rowid; triggers keep it right whoever writes. (twindesk never
-- runs VACUUM, which could renumber rowids; backups copy pages verbatim.)

-- Overlapping visits are looked for among one city's visits near some dates.
CREATE INDEX ix_visit_city_start ON visit (city_id, start_date);

CREATE VIRTUAL TABLE visit_fts USING fts5(text, tokenize = 'trigram');

CREATE TRIGGER visit_fts_insert AFTER INSERT ON visit
WHEN NEW.deleted_at IS NULL
BEGIN
	INSERT INTO visit_fts (rowid, text)
	VALUES (NEW.rowid, NEW.search || ' | ' || coalesce((SELECT search FROM city WHERE id = NEW.city_id), ''));
END;

CREATE TRIGGER visit_fts_update AFTER UPDATE OF search, deleted_at, city_id ON visit
BEGIN
	DELETE FROM visit_fts WHERE rowid = OLD.rowid;
	INSERT INTO visit_fts (rowid, text)
	SELECT NEW.rowid, NEW.search || ' | ' || coalesce((SELECT search FROM city WHERE id = NEW.city_id), '')
	WHERE NEW.deleted_at IS NULL;
END;

CREATE TRIGGER visit_fts_delete AFTER DELETE ON visit
BEGIN
	DELETE FROM visit_fts WHERE rowid = OLD.rowid;
END;

-- A city renamed (or given a Hangul name) is found under its new name.
CREATE TRIGGER visit_fts_city AFTER UPDATE OF search ON city
BEGIN
	DELETE FROM visit_fts WHERE rowid IN (SELECT rowid FROM visit WHERE city_id = NEW.id);
	INSERT INTO visit_fts (rowid, text)
	SELECT rowid, search || ' | ' || NEW.search FROM visit WHERE city_id = NEW.id AND deleted_at IS NULL;
END;

INSERT INTO visit_fts (rowid, text)
SELECT v.rowid, v.search || ' | ' || coalesce(c.search, '')
FROM visit v LEFT JOIN city c ON c.id = v.city_id
WHERE v.deleted_at IS NULL;
