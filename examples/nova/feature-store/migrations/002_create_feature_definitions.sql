CREATE TABLE IF NOT EXISTS feature_definitions (
    id SERIAL PRIMARY KEY,
    entity_type_id INTEGER NOT NULL REFERENCES entity_types(id) ON DELETE CASCADE,
    name VARCHAR(128) NOT NULL,
    value_type VARCHAR(16) NOT NULL CHECK (value_type IN ('float', 'int', 'string', 'bool')),
    ttl_seconds INTEGER,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    UNIQUE (entity_type_id, name)
);

CREATE TRIGGER trg_feature_definitions_updated_at
    BEFORE UPDATE ON feature_definitions
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

INSERT INTO entity_types (name, description) VALUES
    ('user', 'a nova account'),
    ('post', 'a post in the feed')
ON CONFLICT (name) DO NOTHING;
