-- twindesk schema version 7: figure totals by day, for "this year so far".
--
-- The benefits screen and the council report compare this year so far with
-- the same days of last year. figure_rollup (schema 2) knows whole years
-- only, so that comparison summed last year's figures through the outcome
-- table: ~90 ms warm and ~1 s cold at 100,000 outcomes. Here each measure
-- (in each currency) has one running total per day, kept by triggers like
-- the rollup's: a year to date is at most 366 rows a measure.
-- currency is '' rather than NULL so the key is unique; a total whose n is 0
-- is left in place (n > 0 is read), as in figure_rollup.

CREATE TABLE figure_day (
	measure VARCHAR NOT NULL,
	day VARCHAR NOT NULL,
	currency VARCHAR NOT NULL,
	total FLOAT NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (measure, day, currency)
) WITHOUT ROWID;

CREATE TRIGGER figure_day_figure_insert AFTER INSERT ON figure
WHEN NEW.deleted_at IS NULL
BEGIN
	INSERT INTO figure_day (measure, day, currency, total, n)
	SELECT NEW.measure, substr(o.happened_on, 1, 10), coalesce(NEW.currency, ''), NEW.value, 1
	FROM outcome o WHERE o.id = NEW.outcome_id AND o.deleted_at IS NULL
	ON CONFLICT (measure, day, currency) DO UPDATE SET total = total + excluded.total, n = n + 1;
END;

CREATE TRIGGER figure_day_figure_update AFTER UPDATE OF value, measure, currency, deleted_at, outcome_id ON figure
BEGIN
	INSERT INTO figure_day (measure, day, currency, total, n)
	SELECT OLD.measure, substr(o.happened_on, 1, 10), coalesce(OLD.currency, ''), -OLD.value, -1
	FROM outcome o WHERE o.id = OLD.outcome_id AND o.deleted_at IS NULL AND OLD.deleted_at IS NULL
	ON CONFLICT (measure, day, currency) DO UPDATE SET total = total + excluded.total, n = n + excluded.n;
	INSERT INTO figure_day (measure, day, currency, total, n)
	SELECT NEW.measure, substr(o.happened_on, 1, 10), coalesce(NEW.currency, ''), NEW.value, 1
	FROM outcome o WHERE o.id = NEW.outcome_id AND o.deleted_at IS NULL AND NEW.deleted_at IS NULL
	ON CONFLICT (measure, day, currency) DO UPDATE SET total = total + excluded.total, n = n + excluded.n;
END;

CREATE TRIGGER figure_day_outcome_update AFTER UPDATE OF happened_on, deleted_at ON outcome
BEGIN
	INSERT INTO figure_day (measure, day, currency, total, n)
	SELECT f.measure, substr(OLD.happened_on, 1, 10), coalesce(f.currency, ''), -f.value, -1
	FROM figure f WHERE f.outcome_id = OLD.id AND f.deleted_at IS NULL AND OLD.deleted_at IS NULL
	ON CONFLICT (measure, day, currency) DO UPDATE SET total = total + excluded.total, n = n + excluded.n;
	INSERT INTO figure_day (measure, day, currency, total, n)
	SELECT f.measure, substr(NEW.happened_on, 1, 10), coalesce(f.currency, ''), f.value, 1
	FROM figure f WHERE f.outcome_id = NEW.id AND f.deleted_at IS NULL AND NEW.deleted_at IS NULL
	ON CONFLICT (measure, day, currency) DO UPDATE SET total = total + excluded.total, n = n + excluded.n;
END;

CREATE TRIGGER figure_day_figure_delete AFTER DELETE ON figure
WHEN OLD.deleted_at IS NULL
BEGIN
	INSERT INTO figure_day (measure, day, currency, total, n)
	SELECT OLD.measure, substr(o.happened_on, 1, 10), coalesce(OLD.currency, ''), -OLD.value, -1
	FROM outcome o WHERE o.id = OLD.outcome_id AND o.deleted_at IS NULL
	ON CONFLICT (measure, day, currency) DO UPDATE SET total = total + excluded.total, n = n + excluded.n;
END;

-- Figures already in a version-6 database.
INSERT INTO figure_day (measure, day, currency, total, n)
SELECT f.measure, substr(o.happened_on, 1, 10), coalesce(f.currency, ''), sum(f.value), count(*)
FROM figure f JOIN outcome o ON o.id = f.outcome_id
WHERE f.deleted_at IS NULL AND o.deleted_at IS NULL
GROUP BY 1, 2, 3;
