-- The coupons, one row per id (v1 coupon fields), and the catalog's revision: every change to
-- what the feeds hold bumps it in the same transaction, so each server instance sees a change
-- by reading one row.
CREATE TABLE coupons (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    code TEXT,
    store_id TEXT,
    -- JSON arrays of strings; '[]' for none.
    product_ids TEXT NOT NULL,
    category_ids TEXT NOT NULL,
    currency TEXT NOT NULL,
    min_spend BIGINT NOT NULL,
    discount_type TEXT NOT NULL,
    discount_amount BIGINT,
    discount_percent INTEGER,
    discount_max BIGINT,
    -- ISO 3166 alpha-2 codes joined by commas; '' for every country.
    countries TEXT NOT NULL,
    -- Seconds since the Unix epoch, UTC.
    starts_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    new_users_only BOOLEAN NOT NULL,
    url TEXT,
    updated_at BIGINT NOT NULL
);

CREATE INDEX coupons_expires_at ON coupons (expires_at);

CREATE TABLE catalog (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    revision BIGINT NOT NULL,
    changed_at BIGINT NOT NULL
);

INSERT INTO catalog (id, revision, changed_at) VALUES (1, 0, 0);
