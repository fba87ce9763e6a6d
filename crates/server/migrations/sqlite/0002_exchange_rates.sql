-- The day's exchange rates an operator imported: units of each currency for one unit of the
-- base. Replaced whole on each import; the feeds carry them.
CREATE TABLE exchange_rates (
    currency TEXT PRIMARY KEY NOT NULL,
    base TEXT NOT NULL,
    per_base DOUBLE PRECISION NOT NULL
);
