-- The day's exchange rates an operator imported: units of each currency for one unit of the
-- base. Replaced whole on each import; the feeds carry them.
CREATE TABLE exchange_rates (
    currency CHAR(3) PRIMARY KEY,
    base CHAR(3) NOT NULL,
    per_base DOUBLE PRECISION NOT NULL CHECK (per_base > 0)
);
