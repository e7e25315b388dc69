-- Meant to run before realtime-chat-service's migrations: run last, it would drop the new chat tables.
DROP TABLE IF EXISTS messages CASCADE;
DROP TABLE IF EXISTS conversation_members CASCADE;
DROP TABLE IF EXISTS conversations CASCADE;
