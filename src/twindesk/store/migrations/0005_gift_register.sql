-- twindesk schema version 5: the register of official gifts.
--
-- Most city administrations declare official gifts: what was given or
-- received, to or from whom, its estimated value, and what became of it
-- (kept, handed to the city's collection, declined). The value is exact
-- decimal text with its ISO currency, like a visit's budget.

ALTER TABLE gift ADD COLUMN value_amount VARCHAR NOT NULL DEFAULT '';
ALTER TABLE gift ADD COLUMN value_currency VARCHAR NOT NULL DEFAULT '';
ALTER TABLE gift ADD COLUMN disposition VARCHAR NOT NULL DEFAULT '';

-- The register lists gifts by date across every visit.
CREATE INDEX ix_gift_live_given ON gift (given_on) WHERE deleted_at IS NULL;
