-- twindesk schema version 2: running totals of outcome figures.
--
-- The benefits dashboard and the area view read these totals instead of
-- summing every figure, so they open as fast with 100,000 outcomes as with
-- 100. Triggers keep the totals right whoever writes (the services, the demo
-- builder, an import): a figure counts while it and its outcome are live.
-- city_id and currency are '' rather than NULL so the key is unique.

CREATE TABLE figure_rollup (
	year VARCHAR NOT NULL,
	area VARCHAR NOT NULL,
	programme VARCHAR NOT NULL,
	city_id VARCHAR NOT NULL,
	measure VARCHAR NOT NULL,
	currency VARCHAR NOT NULL,
	total FLOAT NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (year, area, programme, city_id, measure, currency)
) WITHOUT ROWID;

CREATE INDEX ix_figure_rollup_measure ON figure_rollup (measure, year);

-- Adds (sign = 1) or removes (sign = -1) the figures of one outcome.
-- SQLite triggers cannot call each other as functions, so each trigger
-- repeats this statement shape with its own rows.

CREATE TRIGGER figure_rollup_figure_insert AFTER INSERT ON figure
WHEN NEW.deleted_at IS NULL
BEGIN
	INSERT INTO figure_rollup (year, area, programme, city_id, measure, currency, total, n)
	SELECT substr(o.happened_on, 1, 4), o.area, o.programme, coalesce(o.city_id, ''), NEW.measure,
	       coalesce(NEW.currency, ''), NEW.value, 1
	FROM outcome o WHERE o.id = NEW.outcome_id AND o.deleted_at IS NULL
	ON CONFLICT (year, area, programme, city_id, measure, currency)
	DO UPDATE SET total = total + excluded.total, n = n + 1;
END;

CREATE TRIGGER figure_rollup_figure_update AFTER UPDATE OF value, measure, currency, deleted_at, outcome_id ON figure
BEGIN
	INSERT INTO figure_rollup (year, area, programme, city_id, measure, currency, total, n)
	SELECT substr(o.happened_on, 1, 4), o.area, o.programme, coalesce(o.city_id, ''), OLD.measure,
	       coalesce(OLD.currency, ''), -OLD.value, -1
	FROM outcome o WHERE o.id = OLD.outcome_id AND o.deleted_at IS NULL AND OLD.deleted_at IS NULL
	ON CONFLICT (year, area, programme, city_id, measure, currency)
	DO UPDATE SET total = total + excluded.total, n = n + excluded.n;
	INSERT INTO figure_rollup (year, area, programme, city_id, measure, currency, total, n)
	SELECT substr(o.happened_on, 1, 4), o.area, o.programme, coalesce(o.city_id, ''), NEW.measure,
	       coalesce(NEW.currency, ''), NEW.value, 1
	FROM outcome o WHERE o.id = NEW.outcome_id AND o.deleted_at IS NULL AND NEW.deleted_at IS NULL
	ON CONFLICT (year, area, programme, city_id, measure, currency)
	DO UPDATE SET total = total + excluded.total, n = n + excluded.n;
END;

CREATE TRIGGER figure_rollup_outcome_update AFTER UPDATE OF happened_on, area, programme, city_id, deleted_at ON outcome
BEGIN
	INSERT INTO figure_rollup (year, area, programme, city_id, measure, currency, total, n)
	SELECT substr(OLD.happened_on, 1, 4), OLD.area, OLD.programme, coalesce(OLD.city_id, ''), f.measure,
	       coalesce(f.currency, ''), -f.value, -1
	FROM figure f WHERE f.outcome_id = OLD.id AND f.deleted_at IS NULL AND OLD.deleted_at IS NULL
	ON CONFLICT (year, area, programme, city_id, measure, currency)
	DO UPDATE SET total = total + excluded.total, n = n + excluded.n;
	INSERT INTO figure_rollup (year, area, programme, city_id, measure, currency, total, n)
	SELECT substr(NEW.happened_on, 1, 4), NEW.area, NEW.programme, coalesce(NEW.city_id, ''), f.measure,
	       coalesce(f.currency, ''), f.value, 1
	FROM figure f WHERE f.outcome_id = NEW.id AND f.deleted_at IS NULL AND NEW.deleted_at IS NULL
	ON CONFLICT (year, area, programme, city_id, measure, currency)
	DO UPDATE SET total = total + excluded.total, n = n + excluded.n;
END;

-- Rows never leave these tables (soft delete), but a hard DELETE from a
-- repair tool must not leave stale totals either.
CREATE TRIGGER figure_rollup_figure_delete AFTER DELETE ON figure
WHEN OLD.deleted_at IS NULL
BEGIN
	INSERT INTO figure_rollup (year, area, programme, city_id, measure, currency, total, n)
	SELECT substr(o.happened_on, 1, 4), o.area, o.programme, coalesce(o.city_id, ''), OLD.measure,
	       coalesce(OLD.currency, ''), -OLD.value, -1
	FROM outcome o WHERE o.id = OLD.outcome_id AND o.deleted_at IS NULL
	ON CONFLICT (year, area, programme, city_id, measure, currency)
	DO UPDATE SET total = total + excluded.total, n = n + excluded.n;
END;

-- Figures already in a version-1 database.
INSERT INTO figure_rollup (year, area, programme, city_id, measure, currency, total, n)
SELECT substr(o.happened_on, 1, 4), o.area, o.programme, coalesce(o.city_id, ''), f.measure,
       coalesce(f.currency, ''), sum(f.value), count(*)
FROM figure f JOIN outcome o ON o.id = f.outcome_id
WHERE f.deleted_at IS NULL AND o.deleted_at IS NULL
GROUP BY 1, 2, 3, 4, 5, 6;
