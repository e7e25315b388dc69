-- Demo data for local environments: three users, four posts, their shares and counters.
INSERT INTO users (id, username, email, display_name) VALUES
    ('11111111-1111-4111-8111-111111111111', 'ada', 'ada@nova.example', 'Ada'),
    ('22222222-2222-4222-8222-222222222222', 'grace', 'grace@nova.example', 'Grace'),
    ('33333333-3333-4333-8333-333333333333', 'linus', 'linus@nova.example', 'Linus — «ñ»');

INSERT INTO posts (id, user_id, content) VALUES
    ('aaaaaaaa-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111', 'Hello, nova!'),
    ('aaaaaaaa-0000-4000-8000-000000000002', '22222222-2222-4222-8222-222222222222', 'Shipping the chat service today'),
    ('aaaaaaaa-0000-4000-8000-000000000003', '33333333-3333-4333-8333-333333333333', 'Naïve question: who owns post_shares now?'),
    ('aaaaaaaa-0000-4000-8000-000000000004', '11111111-1111-4111-8111-111111111111', 'Counters are eventually consistent');

INSERT INTO post_shares (id, post_id, user_id, share_type, shared_at) VALUES
    ('bbbbbbbb-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000001', '22222222-2222-4222-8222-222222222222', 'repost', '2024-03-01 10:00:00+00'),
    ('bbbbbbbb-0000-4000-8000-000000000002', 'aaaaaaaa-0000-4000-8000-000000000002', '33333333-3333-4333-8333-333333333333', 'quote', '2024-03-02 11:30:00+00'),
    ('bbbbbbbb-0000-4000-8000-000000000003', 'aaaaaaaa-0000-4000-8000-000000000003', '11111111-1111-4111-8111-111111111111', 'external', '2024-03-03 09:15:00+00');

INSERT INTO social_metadata (post_id, like_count, comment_count, share_count) VALUES
    ('aaaaaaaa-0000-4000-8000-000000000001', 12, 3, 1),
    ('aaaaaaaa-0000-4000-8000-000000000002', 40, 9, 1),
    ('aaaaaaaa-0000-4000-8000-000000000003', 2, 0, 1),
    ('aaaaaaaa-0000-4000-8000-000000000004', 0, 0, 0);

INSERT INTO bookmarks (user_id, post_id) VALUES
    ('22222222-2222-4222-8222-222222222222', 'aaaaaaaa-0000-4000-8000-000000000001'),
    ('33333333-3333-4333-8333-333333333333', 'aaaaaaaa-0000-4000-8000-000000000002');
