-- The 18 indexes of social-service.
CREATE INDEX IF NOT EXISTS idx_likes_post_id ON likes (post_id);
CREATE INDEX IF NOT EXISTS idx_likes_user_id ON likes (user_id);
CREATE INDEX IF NOT EXISTS idx_likes_created_at ON likes (created_at DESC);
CREATE INDEX IF NOT EXISTS idx_comments_post_id ON comments (post_id);
CREATE INDEX IF NOT EXISTS idx_comments_user_id ON comments (user_id);
CREATE INDEX IF NOT EXISTS idx_comments_parent_id ON comments (parent_id);
CREATE INDEX IF NOT EXISTS idx_comments_post_created ON comments (post_id, created_at DESC);
CREATE INDEX IF NOT EXISTS idx_comments_active ON comments (post_id) WHERE deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS idx_shares_post_id ON shares (post_id);
CREATE INDEX IF NOT EXISTS idx_shares_user_id ON shares (user_id);
CREATE INDEX IF NOT EXISTS idx_shares_created_at ON shares (created_at DESC);
CREATE INDEX IF NOT EXISTS idx_shares_share_type ON shares (share_type);
CREATE INDEX IF NOT EXISTS idx_post_counters_updated_at ON post_counters (updated_at);
CREATE INDEX IF NOT EXISTS idx_post_counters_like_count ON post_counters (like_count DESC);
CREATE INDEX IF NOT EXISTS idx_comment_likes_user_id ON comment_likes (user_id);
CREATE INDEX IF NOT EXISTS idx_comment_likes_created_at ON comment_likes (created_at);
CREATE INDEX IF NOT EXISTS idx_processed_events_topic ON processed_events (topic);
CREATE INDEX IF NOT EXISTS idx_processed_events_processed_at ON processed_events (processed_at);
