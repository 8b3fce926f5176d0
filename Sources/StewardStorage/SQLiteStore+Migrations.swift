import Foundation
import GRDB
import StewardCore

extension SQLiteStore {
    /// Shipped migrations are never edited; a change is a new migration. Each runs in its own transaction.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-foundation") { db in
            try db.execute(sql: """
                CREATE TABLE users (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    display_name TEXT NOT NULL,
                    role TEXT NOT NULL,
                    settings TEXT NOT NULL,
                    created_at REAL NOT NULL
                );
                CREATE TABLE identities (
                    platform TEXT NOT NULL,
                    platform_user_id TEXT NOT NULL,
                    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    PRIMARY KEY (platform, platform_user_id)
                );
                CREATE TABLE home_chats (
                    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
                    platform TEXT NOT NULL,
                    chat_id TEXT NOT NULL,
                    is_private INTEGER NOT NULL,
                    is_active INTEGER NOT NULL
                );
                CREATE TABLE refusals (
                    identity TEXT PRIMARY KEY,
                    at REAL NOT NULL
                );
                CREATE TABLE accounts (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    kind TEXT NOT NULL,
                    label TEXT NOT NULL,
                    options TEXT NOT NULL,
                    secret BLOB,
                    status TEXT NOT NULL,
                    created_at REAL NOT NULL
                );
                CREATE TABLE approvals (
                    id TEXT PRIMARY KEY,
                    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    tool_name TEXT NOT NULL,
                    payload BLOB NOT NULL,
                    payload_hash TEXT NOT NULL,
                    summary TEXT NOT NULL,
                    state TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    expires_at REAL NOT NULL,
                    decided_at REAL,
                    card_chat TEXT NOT NULL,
                    card_message_id TEXT,
                    outcome TEXT
                );
                CREATE INDEX approvals_by_user_state ON approvals(user_id, state);
                CREATE TABLE audit_log (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    at REAL NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    payload_hash TEXT,
                    outcome TEXT NOT NULL,
                    detail TEXT NOT NULL
                );
                CREATE TABLE outbox (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    key TEXT NOT NULL UNIQUE,
                    platform TEXT NOT NULL,
                    delivery TEXT NOT NULL,
                    state TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    not_before REAL NOT NULL,
                    platform_message_id TEXT,
                    last_error TEXT,
                    created_at REAL NOT NULL,
                    sent_at REAL
                );
                CREATE INDEX outbox_due ON outbox(platform, state, not_before, id);
                CREATE TABLE inbound_events (
                    id TEXT PRIMARY KEY,
                    event TEXT NOT NULL,
                    received_at REAL NOT NULL,
                    processed_at REAL
                );
                CREATE INDEX inbound_unprocessed ON inbound_events(processed_at, received_at);
                CREATE TABLE state (
                    key TEXT PRIMARY KEY,
                    value TEXT NOT NULL
                );
                CREATE TABLE jobs (
                    name TEXT PRIMARY KEY,
                    next_run_at REAL NOT NULL,
                    last_run_at REAL,
                    last_error TEXT
                );
                """)
        }
        // The dispatcher asks for pending items outside the queues it is already sending; a `queue`
        // column lets SQL leave those out instead of decoding every pending row on every wake-up.
        migrator.registerMigration("v2-outbox-queue") { db in
            try db.execute(sql: """
                ALTER TABLE outbox ADD COLUMN queue TEXT NOT NULL DEFAULT '';
                CREATE INDEX outbox_pending ON outbox(platform, state, id);
                """)
            let pending = try Row.fetchAll(db, sql: "SELECT id, key, delivery FROM outbox WHERE state = 'pending'")
            for row in pending {
                let text: String = row["delivery"]
                guard let delivery = try? JSONDecoder.storage.decode(Delivery.self, from: Data(text.utf8)) else { continue }
                try db.execute(sql: "UPDATE outbox SET queue = ? WHERE id = ?",
                               arguments: [delivery.queue(key: row["key"]), row["id"]])
            }
        }
        // Google: the local copy of each calendar (answers never wait for the network) and the
        // authorizations users started with /connect.
        migrator.registerMigration("v3-calendar-copy") { db in
            try db.execute(sql: """
                CREATE TABLE calendar_events (
                    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                    calendar_id TEXT NOT NULL,
                    event_id TEXT NOT NULL,
                    event TEXT NOT NULL,
                    PRIMARY KEY (account_id, calendar_id, event_id)
                );
                CREATE TABLE calendar_sync (
                    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                    calendar_id TEXT NOT NULL,
                    sync_token TEXT,
                    synced_at REAL,
                    last_error TEXT,
                    PRIMARY KEY (account_id, calendar_id)
                );
                CREATE TABLE pending_authorizations (
                    state TEXT PRIMARY KEY,
                    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    authorization TEXT NOT NULL,
                    expires_at REAL NOT NULL
                );
                """)
        }
        // Mail: one row per triaged message (sender, subject, category, reason — never the body).
        migrator.registerMigration("v4-mail-triage") { db in
            try db.execute(sql: """
                CREATE TABLE mail_triage (
                    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                    message_id TEXT NOT NULL,
                    mail TEXT NOT NULL,
                    category TEXT NOT NULL,
                    received_at REAL NOT NULL,
                    alerted_at REAL,
                    PRIMARY KEY (account_id, message_id)
                );
                CREATE INDEX mail_triage_by_time ON mail_triage(account_id, received_at);
                """)
        }
        // The model's memory: tokens spent per user per day (the daily budget must survive a restart) and
        // the short conversation window per chat (user lines and final answers only, never tool results).
        migrator.registerMigration("v5-model-memory") { db in
            try db.execute(sql: """
                CREATE TABLE model_usage (
                    user_key TEXT NOT NULL,
                    day TEXT NOT NULL,
                    tokens INTEGER NOT NULL,
                    PRIMARY KEY (user_key, day)
                );
                CREATE TABLE conversation_turns (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    chat_key TEXT NOT NULL,
                    role TEXT NOT NULL,
                    content TEXT NOT NULL
                );
                CREATE INDEX conversation_turns_by_chat ON conversation_turns(chat_key, id);
                """)
        }
        // A long message's chunks already taken by the platform, so a retry sends only the rest; refusals
        // looked up by time, for the global cap on answers to strangers and their pruning.
        migrator.registerMigration("v6-lead-chunks-and-refusal-times") { db in
            try db.execute(sql: """
                ALTER TABLE outbox ADD COLUMN chunks_sent INTEGER NOT NULL DEFAULT 0;
                CREATE INDEX refusals_by_time ON refusals(at);
                """)
        }
        // The model's conversation is now kept per person per chat (keys `user:<id>|<chat>`, see LLMPlanner's
        // `ConversationKey`). Windows kept per chat alone may mix a group's members; they are never read
        // again, so they are dropped rather than kept.
        migrator.registerMigration("v7-h5-conversation-per-person") { db in
            try db.execute(sql: "DELETE FROM conversation_turns WHERE chat_key NOT LIKE 'user:%'")
        }
        // Approval cards are records (issue 14): a card holds its choices (each request names its card and
        // choice) and the message id the outbox records in the same write that marks the card sent. Cards
        // stored before this keep working: their choices are read off the old id suffixes once, here, and
        // their message id off the old outbox key.
        migrator.registerMigration("v8-hcard-card-records") { db in
            try db.execute(sql: """
                CREATE TABLE approval_cards (
                    id TEXT PRIMARY KEY,
                    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    chat TEXT NOT NULL,
                    message_id TEXT,
                    created_at REAL NOT NULL
                );
                ALTER TABLE approvals ADD COLUMN card_id TEXT;
                ALTER TABLE approvals ADD COLUMN choice TEXT;
                CREATE INDEX approvals_by_card ON approvals(card_id);
                ALTER TABLE outbox ADD COLUMN after_send_card TEXT;
                UPDATE approvals SET card_id = id, choice = 'approve' WHERE length(id) = 12;
                UPDATE approvals SET card_id = substr(id, 1, 12), choice = CASE substr(id, 13, 1)
                    WHEN 'q' THEN 'approve-quietly' WHEN 'w' THEN 'edit' WHEN 'r' THEN 'draft-reply'
                    WHEN 'x' THEN 'archive' WHEN 'm' THEN 'mute' ELSE 'not-urgent' END
                WHERE length(id) = 13 AND substr(id, 13, 1) IN ('q', 'w', 'r', 'x', 'm', 'n');
                INSERT OR IGNORE INTO approval_cards (id, user_id, chat, message_id, created_at)
                    SELECT card_id, user_id, card_chat,
                        (SELECT platform_message_id FROM outbox WHERE outbox.key = 'approval-card:' || approvals.card_id),
                        MIN(created_at)
                    FROM approvals WHERE card_id IS NOT NULL GROUP BY card_id;
                """)
        }
        // People let in after setup (`steward users allow`, a pairing card's Allow), beside the configured ones.
        migrator.registerMigration("v9-hcard-access-grants") { db in
            try db.execute(sql: """
                CREATE TABLE access_grants (
                    platform TEXT NOT NULL,
                    platform_user_id TEXT NOT NULL,
                    role TEXT NOT NULL,
                    display_name TEXT NOT NULL,
                    granted_at REAL NOT NULL,
                    PRIMARY KEY (platform, platform_user_id)
                );
                """)
        }
        // The one-use owner code (its hash only) printed by `steward run` while nobody owns Steward.
        migrator.registerMigration("v10-hfirsthour-owner-code") { db in
            try db.execute(sql: """
                CREATE TABLE owner_code (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    code_hash TEXT NOT NULL,
                    issued_at REAL NOT NULL,
                    spent_by TEXT,
                    spent_at REAL
                );
                """)
        }
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
        return migrator
    }()
}
