-- The counts behind endpoints' declared rate limits, shared by every
-- instance (`rate_limits.rs`): one row per caller and route, holding the
-- instant the caller's budget is whole again (a GCRA). UNLOGGED: the
-- counts are not worth a write-ahead log, and a crash that loses them
-- only gives every caller a whole budget again.
CREATE UNLOGGED TABLE rate_limits (
    key      TEXT PRIMARY KEY,
    whole_at TIMESTAMPTZ NOT NULL
);
