// The social graph: (:User)-[:FOLLOWS]->(:User)
CREATE CONSTRAINT user_id_unique IF NOT EXISTS
FOR (u:User) REQUIRE u.id IS UNIQUE;

CREATE INDEX follows_created_at IF NOT EXISTS
FOR ()-[r:FOLLOWS]-() ON (r.created_at);
