-- Meant to run before 100/101: the old social tables are replaced by social-service's.
DROP TABLE IF EXISTS post_shares CASCADE;
DROP TABLE IF EXISTS social_metadata CASCADE;
