CREATE TABLE IF NOT EXISTS message_recalls (
    message_id UUID PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
    recalled_by UUID NOT NULL REFERENCES users(id),
    reason TEXT,
    recalled_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
