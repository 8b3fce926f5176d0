import GRDB

extension SQLiteStore {
    /// The migrations of memory, linked identities, plans and follow-ups (v11–v17), registered after v10 in
    /// the order they shipped. Shipped migrations are never edited; a change is a new migration.
    static func registerPersonMigrations(_ migrator: inout DatabaseMigrator) {
        // Memory (H-mem, issue 16): facts with provenance and status, and a full-text index over their text.
        // The index is external-content (the text lives once, in `facts`) kept in step by triggers; it holds
        // every fact of every person, so each search joins back to `facts` for the person and `active`.
        // Porter stemming lets "meetings" find "meeting".
        migrator.registerMigration("v11-hmem-memory") { db in
            try db.execute(sql: """
                CREATE TABLE facts (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    text TEXT NOT NULL,
                    source TEXT NOT NULL,
                    reference TEXT,
                    status TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    supersedes INTEGER,
                    embedding BLOB
                );
                CREATE INDEX facts_by_user ON facts(user_id, status, id);
                CREATE VIRTUAL TABLE facts_fts USING fts5(
                    text, content = 'facts', content_rowid = 'id', tokenize = 'porter unicode61 remove_diacritics 2');
                CREATE TRIGGER facts_fts_insert AFTER INSERT ON facts BEGIN
                    INSERT INTO facts_fts (rowid, text) VALUES (new.id, new.text);
                END;
                CREATE TRIGGER facts_fts_delete AFTER DELETE ON facts BEGIN
                    INSERT INTO facts_fts (facts_fts, rowid, text) VALUES ('delete', old.id, old.text);
                END;
                CREATE TRIGGER facts_fts_update AFTER UPDATE OF text ON facts BEGIN
                    INSERT INTO facts_fts (facts_fts, rowid, text) VALUES ('delete', old.id, old.text);
                    INSERT INTO facts_fts (rowid, text) VALUES (new.id, new.text);
                END;
                """)
        }
        // Plans (H-plans, issue 17): a plan and its ordered steps, stored before its card is sent; each step's
        // status is its own row so a crash leaves every step as it was or moved on.
        migrator.registerMigration("v13-hplans-plans") { db in
            try db.execute(sql: """
                CREATE TABLE plans (
                    id TEXT PRIMARY KEY,
                    user_id INTEGER NOT NULL,
                    chat TEXT NOT NULL,
                    title TEXT NOT NULL,
                    state TEXT NOT NULL,
                    created_at REAL NOT NULL
                );
                CREATE INDEX plans_by_user ON plans(user_id, state);
                CREATE TABLE plan_steps (
                    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
                    idx INTEGER NOT NULL,
                    tool_name TEXT NOT NULL,
                    payload BLOB NOT NULL,
                    line TEXT NOT NULL,
                    status TEXT NOT NULL,
                    outcome TEXT,
                    after_idx INTEGER,
                    PRIMARY KEY (plan_id, idx)
                );
                """)
        }
        // One person on several platforms (H-link, issue 16 item 1): `/link` codes (their hash only) with who
        // asked and where, wrong guesses per identity (the cap on guessing), and per identity its display name
        // and its private chat with Steward, so `/settings home <platform>` and `/whoami` know them. Known
        // private chats are filled in from the home chats recorded so far.
        migrator.registerMigration("v12-hlink-link-codes") { db in
            try db.execute(sql: """
                CREATE TABLE link_codes (
                    code_hash TEXT PRIMARY KEY,
                    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    issued_chat TEXT NOT NULL,
                    issued_at REAL NOT NULL,
                    expires_at REAL NOT NULL,
                    spent_by TEXT,
                    spent_at REAL
                );
                CREATE INDEX link_codes_by_user ON link_codes(user_id);
                CREATE TABLE link_failures (
                    identity TEXT NOT NULL,
                    at REAL NOT NULL
                );
                CREATE INDEX link_failures_by_identity ON link_failures(identity, at);
                ALTER TABLE identities ADD COLUMN display_name TEXT;
                ALTER TABLE identities ADD COLUMN private_chat TEXT;
                ALTER TABLE identities ADD COLUMN private_chat_used_at REAL;
                UPDATE identities SET private_chat = (
                    SELECT h.chat_id FROM home_chats h
                    WHERE h.user_id = identities.user_id AND h.platform = identities.platform AND h.is_private = 1);
                """)
        }
        // Follow-ups that wait (H-follow, issue 17): reminders and no-reply triggers, due in UTC with the wall
        // time and zone as asked; `round` counts pushes so a snoozed one pushes again under a new outbox key.
        migrator.registerMigration("v14-hfollow-follow-ups") { db in
            try db.execute(sql: """
                CREATE TABLE follow_ups (
                    id TEXT PRIMARY KEY,
                    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    kind TEXT NOT NULL,
                    request TEXT NOT NULL,
                    task TEXT NOT NULL,
                    due_at REAL NOT NULL,
                    time_zone TEXT NOT NULL,
                    local_due TEXT NOT NULL,
                    thread TEXT,
                    status TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    fired_at REAL,
                    settled_at REAL,
                    round INTEGER NOT NULL DEFAULT 0,
                    outcome TEXT
                );
                CREATE INDEX follow_ups_due ON follow_ups(status, due_at);
                CREATE INDEX follow_ups_by_user ON follow_ups(user_id, status);
                """)
        }
        // Memory's index holds only active facts, each with its person as a token of its own (`owner`, "u<id>"),
        // so a search intersects with the person's facts inside the index instead of ranking everyone's
        // matches and dropping most of them after (H-mem; v11's index held every fact of every person).
        // Contentless: the text lives once, in `facts`; triggers add a fact when it becomes active and take it
        // out (with the values it was indexed with) when it stops being active.
        migrator.registerMigration("v15-hmem-memory-index") { db in
            try db.execute(sql: """
                DROP TRIGGER facts_fts_insert;
                DROP TRIGGER facts_fts_delete;
                DROP TRIGGER facts_fts_update;
                DROP TABLE facts_fts;
                CREATE VIRTUAL TABLE facts_fts USING fts5(
                    text, owner, content = '', tokenize = 'porter unicode61 remove_diacritics 2');
                INSERT INTO facts_fts (rowid, text, owner)
                    SELECT id, text, 'u' || user_id FROM facts WHERE status = 'active';
                CREATE TRIGGER facts_fts_insert AFTER INSERT ON facts WHEN new.status = 'active' BEGIN
                    INSERT INTO facts_fts (rowid, text, owner) VALUES (new.id, new.text, 'u' || new.user_id);
                END;
                CREATE TRIGGER facts_fts_delete AFTER DELETE ON facts WHEN old.status = 'active' BEGIN
                    INSERT INTO facts_fts (facts_fts, rowid, text, owner)
                        VALUES ('delete', old.id, old.text, 'u' || old.user_id);
                END;
                CREATE TRIGGER facts_fts_update AFTER UPDATE ON facts
                WHEN old.status IS NOT new.status OR old.text IS NOT new.text OR old.user_id IS NOT new.user_id BEGIN
                    INSERT INTO facts_fts (facts_fts, rowid, text, owner)
                        SELECT 'delete', old.id, old.text, 'u' || old.user_id WHERE old.status = 'active';
                    INSERT INTO facts_fts (rowid, text, owner)
                        SELECT new.id, new.text, 'u' || new.user_id WHERE new.status = 'active';
                END;
                """)
        }
        // Memory's index without per-fact sizes (`columnsize=0`, H-mem): bm25 then reads no size record per
        // matching fact, which was most of a search's time (10,000 facts: about 2× faster); a fact is a
        // sentence or two, so its length says little about how well it matches. Same triggers as v15.
        migrator.registerMigration("v16-hmem-memory-index-lean") { db in
            try db.execute(sql: """
                DROP TABLE facts_fts;
                CREATE VIRTUAL TABLE facts_fts USING fts5(
                    text, owner, content = '', columnsize = 0, tokenize = 'porter unicode61 remove_diacritics 2');
                INSERT INTO facts_fts (rowid, text, owner)
                    SELECT id, text, 'u' || user_id FROM facts WHERE status = 'active';
                """)
        }
        // Memory's index keyed by person (H-mem): each active fact's index rowid is `(user_id << 32) + id`, so a
        // search is a rowid range of that person's facts, which FTS5 seeks to directly. This replaces v15's
        // owner token, whose whole doclist (one entry per fact of the person) bm25 read on every search to
        // weigh it. Same rules as before: only active facts are in the index.
        migrator.registerMigration("v17-hmem-memory-index-by-person") { db in
            try db.execute(sql: """
                DROP TRIGGER facts_fts_insert;
                DROP TRIGGER facts_fts_delete;
                DROP TRIGGER facts_fts_update;
                DROP TABLE facts_fts;
                CREATE VIRTUAL TABLE facts_fts USING fts5(
                    text, content = '', columnsize = 0, tokenize = 'porter unicode61 remove_diacritics 2');
                INSERT INTO facts_fts (rowid, text)
                    SELECT (user_id << 32) + id, text FROM facts WHERE status = 'active';
                CREATE TRIGGER facts_fts_insert AFTER INSERT ON facts WHEN new.status = 'active' BEGIN
                    INSERT INTO facts_fts (rowid, text) VALUES ((new.user_id << 32) + new.id, new.text);
                END;
                CREATE TRIGGER facts_fts_delete AFTER DELETE ON facts WHEN old.status = 'active' BEGIN
                    INSERT INTO facts_fts (facts_fts, rowid, text) VALUES ('delete', (old.user_id << 32) + old.id, old.text);
                END;
                CREATE TRIGGER facts_fts_update AFTER UPDATE ON facts
                WHEN old.status IS NOT new.status OR old.text IS NOT new.text OR old.user_id IS NOT new.user_id BEGIN
                    INSERT INTO facts_fts (facts_fts, rowid, text)
                        SELECT 'delete', (old.user_id << 32) + old.id, old.text WHERE old.status = 'active';
                    INSERT INTO facts_fts (rowid, text)
                        SELECT (new.user_id << 32) + new.id, new.text WHERE new.status = 'active';
                END;
                """)
        }
    }
}
