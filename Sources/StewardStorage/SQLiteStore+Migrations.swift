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
        // Memory, linked identities, plans and follow-ups (issues 16 and 17).
        registerPersonMigrations(&migrator)
        // The outbox's two indexes of every row by state (`outbox_due`, `outbox_pending`) become one of the
        // pending rows only: a sent mark then drops one entry instead of moving two, so fewer pages go into
        // the write-ahead log for every message (issue 19). Every query of pending rows uses it; `due` and
        // the gauges filter the few pending rows further.
        migrator.registerMigration("v18-outbox-pending-index") { db in
            try db.execute(sql: """
                DROP INDEX outbox_due;
                DROP INDEX outbox_pending;
                CREATE INDEX outbox_waiting ON outbox(platform, id) WHERE state = 'pending';
                """)
        }
        // The same for inbound events: an index of the unprocessed ones only, so marking one processed drops
        // its entry instead of moving it to the other end of an index of every event. In rowid order (all
        // its keys are NULL), which is the order they are read in. `prune` walks the oldest rows instead.
        migrator.registerMigration("v19-inbound-waiting-index") { db in
            try db.execute(sql: """
                DROP INDEX inbound_unprocessed;
                CREATE INDEX inbound_waiting ON inbound_events(processed_at) WHERE processed_at IS NULL;
                """)
        }
        return migrator
    }()
}
