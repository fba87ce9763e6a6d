-- Anonymous usage counts (shopper_core::events::aggregate): daily aggregates, never a batch,
-- never an address. Days are UTC days counted from 1970-01-01, the server's day of receipt.

-- Event counts summed per day, event, country, language, browser family and extension version.
CREATE TABLE usage_events (
    day BIGINT NOT NULL,
    event TEXT NOT NULL,
    country TEXT NOT NULL,
    language TEXT NOT NULL,
    browser TEXT NOT NULL,
    extension_version TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (day, event, country, language, browser, extension_version)
) WITHOUT ROWID;

-- Per day: distinct ids active, and the monthly active count once the day is over (NULL until
-- the server finishes it, and for a day it could not finish).
CREATE TABLE usage_days (
    day BIGINT PRIMARY KEY NOT NULL,
    daily_active BIGINT NOT NULL,
    monthly_active BIGINT
);

-- Per day: active ids by one field's value (os, browser, utc_offset), each field on its own.
CREATE TABLE usage_profiles (
    day BIGINT NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    active BIGINT NOT NULL,
    PRIMARY KEY (day, field, value)
) WITHOUT ROWID;

-- The one place an anonymous id is kept: which ids were active on which day, each once, for
-- the monthly count; deleted after MARKS_KEPT_DAYS by the server's sweep. The id's 16 bytes.
CREATE TABLE usage_active_marks (
    day BIGINT NOT NULL,
    id BLOB NOT NULL,
    PRIMARY KEY (day, id)
) WITHOUT ROWID;
