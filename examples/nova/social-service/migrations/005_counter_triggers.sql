-- Counter maintenance: 4 functions, 8 triggers.
CREATE OR REPLACE FUNCTION fn_likes_count()
RETURNS TRIGGER AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO post_counters (post_id, like_count) VALUES (NEW.post_id, 1)
        ON CONFLICT (post_id) DO UPDATE SET like_count = post_counters.like_count + 1, updated_at = NOW();
        RETURN NEW;
    ELSE
        UPDATE post_counters SET like_count = GREATEST(like_count - 1, 0), updated_at = NOW() WHERE post_id = OLD.post_id;
        RETURN OLD;
    END IF;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION fn_comments_count()
RETURNS TRIGGER AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO post_counters (post_id, comment_count) VALUES (NEW.post_id, 1)
        ON CONFLICT (post_id) DO UPDATE SET comment_count = post_counters.comment_count + 1, updated_at = NOW();
        RETURN NEW;
    ELSE
        UPDATE post_counters SET comment_count = GREATEST(comment_count - 1, 0), updated_at = NOW() WHERE post_id = OLD.post_id;
        RETURN OLD;
    END IF;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION fn_shares_count()
RETURNS TRIGGER AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO post_counters (post_id, share_count) VALUES (NEW.post_id, 1)
        ON CONFLICT (post_id) DO UPDATE SET share_count = post_counters.share_count + 1, updated_at = NOW();
        RETURN NEW;
    ELSE
        UPDATE post_counters SET share_count = GREATEST(share_count - 1, 0), updated_at = NOW() WHERE post_id = OLD.post_id;
        RETURN OLD;
    END IF;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION fn_comment_likes_count()
RETURNS TRIGGER AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE comments SET like_count = like_count + 1 WHERE id = NEW.comment_id;
        RETURN NEW;
    ELSE
        UPDATE comments SET like_count = GREATEST(like_count - 1, 0) WHERE id = OLD.comment_id;
        RETURN OLD;
    END IF;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trg_likes_count_insert
    AFTER INSERT ON likes
    FOR EACH ROW EXECUTE FUNCTION fn_likes_count();

CREATE TRIGGER trg_likes_count_delete
    AFTER DELETE ON likes
    FOR EACH ROW EXECUTE FUNCTION fn_likes_count();

CREATE TRIGGER trg_comments_count_insert
    AFTER INSERT ON comments
    FOR EACH ROW EXECUTE FUNCTION fn_comments_count();

CREATE TRIGGER trg_comments_count_delete
    AFTER DELETE ON comments
    FOR EACH ROW EXECUTE FUNCTION fn_comments_count();

CREATE TRIGGER trg_shares_count_insert
    AFTER INSERT ON shares
    FOR EACH ROW EXECUTE FUNCTION fn_shares_count();

CREATE TRIGGER trg_shares_count_delete
    AFTER DELETE ON shares
    FOR EACH ROW EXECUTE FUNCTION fn_shares_count();

CREATE TRIGGER trg_comment_likes_count_insert
    AFTER INSERT ON comment_likes
    FOR EACH ROW EXECUTE FUNCTION fn_comment_likes_count();

CREATE TRIGGER trg_comment_likes_count_delete
    AFTER DELETE ON comment_likes
    FOR EACH ROW EXECUTE FUNCTION fn_comment_likes_count();
