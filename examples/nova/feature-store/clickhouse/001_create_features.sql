-- Online features, in ClickHouse database feature_store.
CREATE DATABASE IF NOT EXISTS feature_store;

CREATE TABLE IF NOT EXISTS feature_store.features
(
    entity_type LowCardinality(String),
    entity_id String,
    feature_name LowCardinality(String),
    value Float64,
    value_str Nullable(String),
    event_date Date,
    updated_at DateTime64(3),
    INDEX idx_feature_name feature_name TYPE bloom_filter GRANULARITY 4
)
ENGINE = ReplacingMergeTree(updated_at)
PARTITION BY toYYYYMM(event_date)
ORDER BY (entity_type, entity_id, feature_name)
TTL event_date + INTERVAL 90 DAY;

CREATE TABLE IF NOT EXISTS feature_store.features_daily
(
    entity_type LowCardinality(String),
    feature_name LowCardinality(String),
    event_date Date,
    updates UInt64,
    value_sum Float64
)
ENGINE = SummingMergeTree
ORDER BY (entity_type, feature_name, event_date);

CREATE MATERIALIZED VIEW IF NOT EXISTS feature_store.features_daily_mv
TO feature_store.features_daily
AS SELECT
    entity_type,
    feature_name,
    event_date,
    count() AS updates,
    sum(value) AS value_sum
FROM feature_store.features
GROUP BY entity_type, feature_name, event_date;
