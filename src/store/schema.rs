//! The database schema as an append-only list of migrations. Migration N brings a database from
//! `PRAGMA user_version = N - 1` to `N`. Never edit a migration that has shipped: add a new one.

/// Each entry is one migration's SQL, applied inside the same transaction as the version bump.
pub const MIGRATIONS: &[&str] = &[
    // 1: the foundation. It already holds what conversations, follow-ups, cadences, life events,
    // stage history and undoable imports need, so later work adds columns, not rewrites.
    r#"
CREATE TABLE organizations (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL UNIQUE,
    notes       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE import_batches (
    id             INTEGER PRIMARY KEY,
    source_name    TEXT NOT NULL,
    format         TEXT NOT NULL,
    started_at     TEXT NOT NULL,
    finished_at    TEXT,
    undone_at      TEXT,
    created_count  INTEGER NOT NULL DEFAULT 0,
    merged_count   INTEGER NOT NULL DEFAULT 0,
    skipped_count  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE contacts (
    id                 INTEGER PRIMARY KEY,
    prefix             TEXT NOT NULL DEFAULT '',
    given_name         TEXT NOT NULL DEFAULT '',
    middle_name        TEXT NOT NULL DEFAULT '',
    family_name        TEXT NOT NULL DEFAULT '',
    suffix             TEXT NOT NULL DEFAULT '',
    nickname           TEXT NOT NULL DEFAULT '',
    display_name       TEXT NOT NULL,
    sort_key           TEXT NOT NULL,
    organization_id    INTEGER REFERENCES organizations(id) ON DELETE SET NULL,
    title              TEXT NOT NULL DEFAULT '',
    is_decision_maker  INTEGER NOT NULL DEFAULT 0,
    stage              TEXT NOT NULL DEFAULT 'prospect',
    birthday_year      INTEGER,
    birthday_month     INTEGER,
    birthday_day       INTEGER,
    family             TEXT NOT NULL DEFAULT '',
    interests          TEXT NOT NULL DEFAULT '',
    personal_notes     TEXT NOT NULL DEFAULT '',
    how_we_met         TEXT NOT NULL DEFAULT '',
    cadence_days       INTEGER,
    source             TEXT NOT NULL DEFAULT 'manual',
    import_batch_id    INTEGER REFERENCES import_batches(id) ON DELETE SET NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    deleted_at         TEXT
);
CREATE INDEX contacts_by_name ON contacts(deleted_at, sort_key, id);
CREATE INDEX contacts_by_organization ON contacts(organization_id);
CREATE INDEX contacts_by_batch ON contacts(import_batch_id);

CREATE TABLE contact_emails (
    id          INTEGER PRIMARY KEY,
    contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    label       TEXT NOT NULL DEFAULT '',
    address     TEXT NOT NULL,
    address_key TEXT NOT NULL
);
CREATE INDEX contact_emails_by_contact ON contact_emails(contact_id, position);
CREATE INDEX contact_emails_by_key ON contact_emails(address_key);

CREATE TABLE contact_phones (
    id          INTEGER PRIMARY KEY,
    contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    label       TEXT NOT NULL DEFAULT '',
    number      TEXT NOT NULL,
    number_key  TEXT NOT NULL
);
CREATE INDEX contact_phones_by_contact ON contact_phones(contact_id, position);
CREATE INDEX contact_phones_by_key ON contact_phones(number_key);

CREATE TABLE contact_addresses (
    id           INTEGER PRIMARY KEY,
    contact_id   INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    label        TEXT NOT NULL DEFAULT '',
    street       TEXT NOT NULL DEFAULT '',
    city         TEXT NOT NULL DEFAULT '',
    region       TEXT NOT NULL DEFAULT '',
    postal_code  TEXT NOT NULL DEFAULT '',
    country      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX contact_addresses_by_contact ON contact_addresses(contact_id, position);

CREATE TABLE tags (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    color         TEXT,
    cadence_days  INTEGER
);

CREATE TABLE contact_tags (
    contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    tag_id      INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (contact_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX contact_tags_by_tag ON contact_tags(tag_id, contact_id);

CREATE TABLE interactions (
    id                INTEGER PRIMARY KEY,
    occurred_at       TEXT NOT NULL,
    channel           TEXT NOT NULL,
    initiated_by      TEXT NOT NULL DEFAULT 'me',
    purpose           TEXT NOT NULL,
    outcome           TEXT NOT NULL DEFAULT 'held',
    duration_minutes  INTEGER,
    summary           TEXT NOT NULL DEFAULT '',
    they_said         TEXT NOT NULL DEFAULT '',
    they_need         TEXT NOT NULL DEFAULT '',
    i_promised        TEXT NOT NULL DEFAULT '',
    next_step         TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    deleted_at        TEXT
);
CREATE INDEX interactions_by_time ON interactions(occurred_at);

CREATE TABLE interaction_participants (
    interaction_id  INTEGER NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
    contact_id      INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    occurred_at     TEXT NOT NULL,
    PRIMARY KEY (contact_id, occurred_at, interaction_id)
) WITHOUT ROWID;
CREATE INDEX participants_by_interaction ON interaction_participants(interaction_id);

CREATE TABLE follow_ups (
    id               INTEGER PRIMARY KEY,
    contact_id       INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    organization_id  INTEGER REFERENCES organizations(id) ON DELETE SET NULL,
    interaction_id   INTEGER REFERENCES interactions(id) ON DELETE SET NULL,
    text             TEXT NOT NULL,
    notes            TEXT NOT NULL DEFAULT '',
    due_date         TEXT NOT NULL,
    due_time         TEXT,
    promised_by      TEXT NOT NULL DEFAULT 'me',
    status           TEXT NOT NULL DEFAULT 'open',
    completed_at     TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX follow_ups_by_contact ON follow_ups(contact_id, due_date);
CREATE INDEX follow_ups_open_by_due ON follow_ups(status, due_date, due_time);

-- Every reschedule or snooze keeps the old due moment, so history is never rewritten.
CREATE TABLE follow_up_changes (
    id             INTEGER PRIMARY KEY,
    follow_up_id   INTEGER NOT NULL REFERENCES follow_ups(id) ON DELETE CASCADE,
    changed_at     TEXT NOT NULL,
    old_due_date   TEXT NOT NULL,
    old_due_time   TEXT,
    old_status     TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT ''
);

CREATE TABLE life_events (
    id           INTEGER PRIMARY KEY,
    contact_id   INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    occurred_on  TEXT NOT NULL,
    kind         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL
);
CREATE INDEX life_events_by_contact ON life_events(contact_id, occurred_on);

CREATE TABLE stage_changes (
    id          INTEGER PRIMARY KEY,
    contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    changed_at  TEXT NOT NULL,
    old_stage   TEXT,
    new_stage   TEXT NOT NULL
);
CREATE INDEX stage_changes_by_contact ON stage_changes(contact_id, changed_at);

-- What an import changed, so the whole batch can be undone later.
CREATE TABLE import_batch_changes (
    batch_id        INTEGER NOT NULL REFERENCES import_batches(id) ON DELETE CASCADE,
    contact_id      INTEGER NOT NULL,
    action          TEXT NOT NULL,
    previous_json   TEXT,
    PRIMARY KEY (batch_id, contact_id)
) WITHOUT ROWID;

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) WITHOUT ROWID;

-- Column mappings remembered per CSV header signature.
CREATE TABLE import_mappings (
    header_signature  TEXT PRIMARY KEY,
    mapping_json      TEXT NOT NULL
) WITHOUT ROWID;

-- Full-text indexes. Contentless (the text lives in the tables above) with deletes allowed;
-- the rowid is the id of the contact / organization / conversation.
CREATE VIRTUAL TABLE contact_fts USING fts5(
    name, organization, details,
    content='', contentless_delete=1,
    tokenize='unicode61 remove_diacritics 2', prefix='1 2 3'
);
CREATE VIRTUAL TABLE organization_fts USING fts5(
    name, notes,
    content='', contentless_delete=1,
    tokenize='unicode61 remove_diacritics 2', prefix='1 2 3'
);
CREATE VIRTUAL TABLE interaction_fts USING fts5(
    summary, they_said, they_need, i_promised, next_step,
    content='', contentless_delete=1,
    tokenize='unicode61 remove_diacritics 2', prefix='1 2 3'
);
"#,
    // 2: relationship health, derived from the tables above and recomputed by the app (in the
    // background for everyone, at once for a contact who just changed), so the contact list can
    // sort and filter by it and the dashboard can read the attention list without a scan.
    r#"
CREATE TABLE contact_health (
    contact_id   INTEGER PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
    score        INTEGER NOT NULL,
    level        TEXT NOT NULL,
    attention    INTEGER NOT NULL,
    health_json  TEXT NOT NULL,
    computed_on  TEXT NOT NULL
);
CREATE INDEX contact_health_by_score ON contact_health(score, contact_id);
CREATE INDEX contact_health_by_attention ON contact_health(attention, score, contact_id);
CREATE INDEX contacts_by_stage ON contacts(stage, deleted_at);
"#,
    // 3: the full-text indexes keep up to 16 MB of new terms in memory before writing a segment
    // (FTS5's default is 1 MB), so an import writes a few large segments instead of a hundred
    // small ones that must then be merged: a 100,000-contact import spent a fifth of its time
    // flushing and merging.
    r#"
INSERT INTO contact_fts (contact_fts, rank) VALUES ('hashsize', 16777216);
INSERT INTO organization_fts (organization_fts, rank) VALUES ('hashsize', 16777216);
INSERT INTO interaction_fts (interaction_fts, rank) VALUES ('hashsize', 16777216);
"#,
    // 4: the notes index gains four-letter prefixes. Without them FTS5 answers "deli…" by
    // merging the whole list of every matching word (a quarter of a million conversations in
    // a big file: 14-23 ms a keystroke); with them it reads one list backwards and stops at
    // the newest matches (under a millisecond). FTS5 cannot add a prefix index to a table, so
    // the index is built again from the conversations (≈ 1 s per 100,000 at the first start).
    r#"
DROP TABLE interaction_fts;
CREATE VIRTUAL TABLE interaction_fts USING fts5(
    summary, they_said, they_need, i_promised, next_step,
    content='', contentless_delete=1,
    tokenize='unicode61 remove_diacritics 2', prefix='1 2 3 4'
);
INSERT INTO interaction_fts (interaction_fts, rank) VALUES ('hashsize', 16777216);
INSERT INTO interaction_fts (rowid, summary, they_said, they_need, i_promised, next_step)
    SELECT id, summary, they_said, they_need, i_promised, next_step FROM interactions;
"#,
    // 5: every contact gets a UID that address books, phones and CardDAV servers keep (khard
    // refused every card without one) and that a re-import of Rapport's own export merges by.
    // Existing contacts get a random v4 UUID here (each `randomblob` call is evaluated per
    // row); new ones get one when they are created, or keep the UID their vCard carried.
    r#"
ALTER TABLE contacts ADD COLUMN uid TEXT NOT NULL DEFAULT '';
UPDATE contacts SET uid = 'urn:uuid:' || lower(hex(randomblob(4))) || '-'
    || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-'
    || substr('89ab', 1 + abs(random() % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-'
    || lower(hex(randomblob(6)));
CREATE UNIQUE INDEX contacts_by_uid ON contacts(uid);
"#,
    // 6: contact photos, in a table of their own so the contact rows the list pages through stay
    // small. `image` is PNG or JPEG scaled to at most 256 px (never a camera original); the list
    // draws `thumbnail` (a 48 px PNG) and so never decodes the larger image.
    r#"
CREATE TABLE contact_photos (
    contact_id  INTEGER PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
    mime        TEXT NOT NULL,
    image       BLOB NOT NULL,
    thumbnail   BLOB NOT NULL,
    updated_at  TEXT NOT NULL
);
"#,
    // 7: who did what, and the version a save started from. Every record keeps who made it
    // and who changed it last (empty on a local file: there is only "me"), contacts and
    // conversations can be private to their author (it matters in a team database), and
    // contacts, conversations and follow-ups count their changes so a save against a newer
    // version is caught instead of overwriting it. The count only goes up: an undo that writes
    // an older row back still makes a new version.
    r#"
ALTER TABLE contacts ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN updated_by TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN private INTEGER NOT NULL DEFAULT 0;
ALTER TABLE contacts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE interactions ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
ALTER TABLE interactions ADD COLUMN updated_by TEXT NOT NULL DEFAULT '';
ALTER TABLE interactions ADD COLUMN private INTEGER NOT NULL DEFAULT 0;
ALTER TABLE interactions ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE follow_ups ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
ALTER TABLE follow_ups ADD COLUMN updated_by TEXT NOT NULL DEFAULT '';
ALTER TABLE follow_ups ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE organizations ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN updated_by TEXT NOT NULL DEFAULT '';
ALTER TABLE life_events ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
ALTER TABLE import_batches ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
CREATE TRIGGER contacts_version AFTER UPDATE ON contacts FOR EACH ROW
    WHEN NEW.version <= OLD.version
    BEGIN UPDATE contacts SET version = OLD.version + 1 WHERE id = NEW.id; END;
CREATE TRIGGER interactions_version AFTER UPDATE ON interactions FOR EACH ROW
    WHEN NEW.version <= OLD.version
    BEGIN UPDATE interactions SET version = OLD.version + 1 WHERE id = NEW.id; END;
CREATE TRIGGER follow_ups_version AFTER UPDATE ON follow_ups FOR EACH ROW
    WHEN NEW.version <= OLD.version
    BEGIN UPDATE follow_ups SET version = OLD.version + 1 WHERE id = NEW.id; END;
-- The people of a team database; empty in a local file, where the store's SQL still finds it.
CREATE TABLE team_members (
    role_name     TEXT PRIMARY KEY,
    display_name  TEXT NOT NULL,
    team_role     TEXT NOT NULL,
    added_at      TEXT NOT NULL
) WITHOUT ROWID;
"#,
    // 8: follow-ups that repeat. Each occurrence is a row of its own (the promise ledger counts
    // each); ticking one off writes the next, carrying the rule (an RFC 5545 RRULE value), the
    // series' first date and its number in the series.
    r#"
ALTER TABLE follow_ups ADD COLUMN repeat_rule TEXT;
ALTER TABLE follow_ups ADD COLUMN series_first TEXT;
ALTER TABLE follow_ups ADD COLUMN occurrence INTEGER NOT NULL DEFAULT 1;
-- The series' first follow-up (its calendar event's UID); NULL: the follow-up itself.
ALTER TABLE follow_ups ADD COLUMN series_id INTEGER;
"#,
    // 9: a connected contact base and a history that writes itself.
    // Relationships read "from_id is <kind> of to_id": spouse, partner and colleague go both
    // ways (stored once, from the lower id); parent ("A is B's parent"), assistant ("A is B's
    // assistant"), referred ("A referred B") and reports_to ("A reports to B") have a direction.
    // Custom fields are defined by the owner for contacts or organizations; a value is kept as
    // text in a canonical form (numbers as written by Rust, dates YYYY-MM-DD, yes/no as 1/0,
    // a choice as its label). A date field may ask for a follow-up some days before the date:
    // that follow-up carries `field_id`. A conversation that came from a mail or calendar file
    // keeps where it came from (`source_ref`: "mid:<Message-ID>" or "ics:<UID>#<RECURRENCE-ID>",
    // unique, so importing the same file again adds nothing), its thread (`thread_ref`: the
    // thread's first Message-ID), the batch that brought it (undone as a whole) and the names
    // of its attachments (one a line). The two added id columns carry no foreign key (SQLite
    // could then never drop them again): deleting a field clears its follow-ups' `field_id`
    // in the store, and import batches are never deleted.
    r#"
CREATE TABLE relationships (
    id          INTEGER PRIMARY KEY,
    from_id     INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    to_id       INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL DEFAULT '',
    UNIQUE (from_id, kind, to_id)
);
CREATE INDEX relationships_by_to ON relationships(to_id, kind);

CREATE TABLE custom_fields (
    id                  INTEGER PRIMARY KEY,
    applies_to          TEXT NOT NULL,
    name                TEXT NOT NULL COLLATE NOCASE,
    kind                TEXT NOT NULL,
    choices             TEXT NOT NULL DEFAULT '',
    position            INTEGER NOT NULL,
    remind_days_before  INTEGER,
    created_at          TEXT NOT NULL,
    created_by          TEXT NOT NULL DEFAULT '',
    UNIQUE (applies_to, name)
);

CREATE TABLE contact_field_values (
    contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    field_id    INTEGER NOT NULL REFERENCES custom_fields(id) ON DELETE CASCADE,
    value       TEXT NOT NULL,
    PRIMARY KEY (contact_id, field_id)
) WITHOUT ROWID;
CREATE INDEX contact_field_values_by_field ON contact_field_values(field_id, value);

CREATE TABLE organization_field_values (
    organization_id  INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    field_id         INTEGER NOT NULL REFERENCES custom_fields(id) ON DELETE CASCADE,
    value            TEXT NOT NULL,
    PRIMARY KEY (organization_id, field_id)
) WITHOUT ROWID;
CREATE INDEX organization_field_values_by_field ON organization_field_values(field_id, value);

ALTER TABLE follow_ups ADD COLUMN field_id INTEGER;

ALTER TABLE interactions ADD COLUMN source_ref TEXT;
ALTER TABLE interactions ADD COLUMN thread_ref TEXT;
ALTER TABLE interactions ADD COLUMN import_batch_id INTEGER;
ALTER TABLE interactions ADD COLUMN attachments TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX interactions_by_source ON interactions(source_ref) WHERE source_ref IS NOT NULL;
CREATE INDEX interactions_by_thread ON interactions(thread_ref) WHERE thread_ref IS NOT NULL;
CREATE INDEX interactions_by_batch ON interactions(import_batch_id) WHERE import_batch_id IS NOT NULL;
"#,
];
