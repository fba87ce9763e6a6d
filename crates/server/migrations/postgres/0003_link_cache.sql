-- Affiliate links the API made, one per product and tracking id, with when each was got: one is
-- served while it is younger than link_cache_hours. Product ids and links only: nothing of who
-- asked for them, or from which page.
CREATE TABLE link_cache (
    product_id TEXT NOT NULL CHECK (product_id ~ '^[0-9]{6,20}$'),
    tracking_id TEXT NOT NULL,
    link TEXT NOT NULL,
    fetched_at BIGINT NOT NULL,
    PRIMARY KEY (product_id, tracking_id)
);
-- Links past their age are forgotten by it.
CREATE INDEX link_cache_fetched_at ON link_cache (fetched_at);
