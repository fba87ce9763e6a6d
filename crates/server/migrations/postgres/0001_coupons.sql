-- The coupons, one row per id (v1 coupon fields), and the catalog's revision: every change to
-- what the feeds hold bumps it in the same transaction, so each server instance sees a change
-- by reading one row. The same columns as SQLite's 0001, with PostgreSQL's types and checks.
CREATE TABLE coupons (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('store', 'select', 'code')),
    title TEXT NOT NULL,
    code TEXT,
    store_id TEXT,
    -- JSON arrays of strings; '[]' for none.
    product_ids JSONB NOT NULL CHECK (jsonb_typeof(product_ids) = 'array'),
    category_ids JSONB NOT NULL CHECK (jsonb_typeof(category_ids) = 'array'),
    currency CHAR(3) NOT NULL,
    -- Minor units of the currency.
    min_spend BIGINT NOT NULL CHECK (min_spend >= 0),
    discount_type TEXT NOT NULL CHECK (discount_type IN ('fixed', 'percent')),
    discount_amount BIGINT CHECK (discount_amount >= 0),
    discount_percent INTEGER CHECK (discount_percent BETWEEN 0 AND 100),
    discount_max BIGINT CHECK (discount_max >= 0),
    -- ISO 3166 alpha-2 codes joined by commas; '' for every country.
    countries TEXT NOT NULL,
    -- Seconds since the Unix epoch, UTC, as the core counts them.
    starts_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    new_users_only BOOLEAN NOT NULL,
    url TEXT,
    updated_at BIGINT NOT NULL
);

CREATE INDEX coupons_expires_at ON coupons (expires_at);

CREATE TABLE catalog (
    id SMALLINT PRIMARY KEY CHECK (id = 1),
    revision BIGINT NOT NULL,
    changed_at BIGINT NOT NULL
);

INSERT INTO catalog (id, revision, changed_at) VALUES (1, 0, 0);
