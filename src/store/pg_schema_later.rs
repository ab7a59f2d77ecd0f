//! PostgreSQL migrations 4–7 (`pg_schema::PG_MIGRATIONS` lists them all, in order).

/// 4: what a second look at the team schema found let through. (1) A change is signed by
/// a person: a member who SETs ROLE to the team's group would sign as nobody. (2) Deleting a
/// contact for good took a teammate's private conversations and promises about them with it
/// (a foreign key's cascade does not ask row-level security): now it is refused while any
/// remain, and Rapport deletes the ones the person may see itself. (3) Deleting a private
/// conversation set its promises' link to it to nothing, which made them everyone's: they
/// now go with it (an undo brings both back).
pub(super) const REVIEW_HOLES: &str = r#"
CREATE FUNCTION rapport_is_group(name TEXT) RETURNS BOOLEAN LANGUAGE sql STABLE AS $$
    SELECT name IN (rapport_group('owner'), rapport_group('member'), rapport_group('readonly'))
$$;
-- Once a statement: who runs it does not change from row to row.
CREATE FUNCTION rapport_refuse_group() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF rapport_is_group(current_user) THEN
        RAISE EXCEPTION 'A change is signed by a person: sign in as yourself, not as the group "%"; nothing was changed.', current_user
            USING ERRCODE = 'RP001';
    END IF;
    RETURN NULL;
END $$;
DO $$
DECLARE
    t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['contacts', 'interactions', 'follow_ups', 'organizations',
                             'life_events', 'import_batches', 'changes'] LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION rapport_refuse_group()',
                       t || '_signed', t);
    END LOOP;
END $$;

ALTER TABLE interaction_participants DROP CONSTRAINT interaction_participants_contact_id_fkey,
    ADD CONSTRAINT interaction_participants_contact_id_fkey
        FOREIGN KEY (contact_id) REFERENCES contacts(id) ON DELETE RESTRICT;
ALTER TABLE follow_ups DROP CONSTRAINT follow_ups_contact_id_fkey,
    ADD CONSTRAINT follow_ups_contact_id_fkey
        FOREIGN KEY (contact_id) REFERENCES contacts(id) ON DELETE RESTRICT;

CREATE FUNCTION rapport_private_promises_go_along() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM follow_ups WHERE interaction_id = OLD.id;
    RETURN OLD;
END $$;
CREATE TRIGGER interactions_private_promises BEFORE DELETE ON interactions
    FOR EACH ROW WHEN (OLD.private = 1) EXECUTE FUNCTION rapport_private_promises_go_along();
"#;

/// 5: counting what a search of one to three letters matches without walking the matches.
/// Migration 3's count walked every matching beginning ("m": 76,000 rows, 9 ms; 14 ms for
/// a member with 2,000 private contacts). Now a beginning's count is a sum over a few rows
/// of `prefix_counts`: a change appends one row of +n/-n per beginning it moves (nobody
/// waits on a shared counter) and a count that meets many rows folds them into one.
/// Private contacts get beginnings too, marked with their author and seen by her alone.
/// The search documents carry their contact's author when it is private, so the policy
/// that hides them is a column test instead of a look-up of every contact; and the text
/// match is declared leak-proof, so the server may use the search index before that test
/// (it raises no error that depends on a row; without it, each search read all 100,000
/// documents: 1.9 s for a member). Only the server's admin may declare it: a schema
/// migrated by anyone else searches correctly, only slower.
pub(super) const SHORT_COUNTS: &str = r#"
ALTER TABLE contact_fts ADD COLUMN author TEXT COLLATE "C";
UPDATE contact_fts f SET author = c.created_by FROM contacts c WHERE c.id = f.rowid AND c.private = 1;
DROP POLICY with_its_record ON contact_fts;
CREATE POLICY shared_or_mine ON contact_fts USING (author IS NULL OR author = current_user);
CREATE FUNCTION rapport_document_author() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.author := (SELECT CASE WHEN c.private = 1 THEN c.created_by END FROM contacts c WHERE c.id = NEW.rowid);
    RETURN NEW;
END $$;
CREATE TRIGGER contact_fts_author BEFORE INSERT OR UPDATE ON contact_fts
    FOR EACH ROW EXECUTE FUNCTION rapport_document_author();
CREATE FUNCTION rapport_document_follows_private() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE contact_fts SET author = NULL WHERE rowid = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER contacts_document_author AFTER UPDATE OF private ON contacts
    FOR EACH ROW WHEN (OLD.private <> NEW.private) EXECUTE FUNCTION rapport_document_follows_private();
DO $$
BEGIN
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        ALTER FUNCTION ts_match_vq(tsvector, tsquery) LEAKPROOF;
    END IF;
END $$;
ALTER TABLE contact_prefixes ADD COLUMN author TEXT COLLATE "C";
CREATE INDEX contact_prefixes_of_author ON contact_prefixes (author, prefix) WHERE author IS NOT NULL;
ALTER TABLE contact_prefixes ENABLE ROW LEVEL SECURITY;
ALTER TABLE contact_prefixes FORCE ROW LEVEL SECURITY;
CREATE POLICY shared_or_mine ON contact_prefixes USING (author IS NULL OR author = current_user);
CREATE TABLE prefix_counts (
    prefix  TEXT COLLATE "C" NOT NULL,
    delta   BIGINT NOT NULL
);
CREATE INDEX prefix_counts_by_prefix ON prefix_counts (prefix) INCLUDE (delta);

-- The beginnings a contact has now (none when it is in the trash or gone), with its author
-- when it is private.
CREATE FUNCTION rapport_prefixes_now(contact BIGINT) RETURNS TABLE (prefix TEXT, author TEXT)
LANGUAGE sql STABLE AS $$
    SELECT p, CASE WHEN c.private = 1 THEN c.created_by END
    FROM contact_fts f JOIN contacts c ON c.id = f.rowid, rapport_prefixes_of(f.doc) p
    WHERE f.rowid = contact AND c.deleted_at IS NULL
$$;
CREATE OR REPLACE FUNCTION rapport_index_prefixes(contact BIGINT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO prefix_counts (prefix, delta)
        SELECT x.prefix, SUM(x.d) FROM (
            SELECT cp.prefix, -1 AS d FROM contact_prefixes cp
            WHERE cp.contact_id = contact AND cp.author IS NULL
            UNION ALL
            SELECT n.prefix, 1 FROM rapport_prefixes_now(contact) n WHERE n.author IS NULL
        ) x GROUP BY x.prefix HAVING SUM(x.d) <> 0;
    DELETE FROM contact_prefixes WHERE contact_id = contact;
    INSERT INTO contact_prefixes (prefix, contact_id, author)
        SELECT n.prefix, contact, n.author FROM rapport_prefixes_now(contact) n;
END $$;
CREATE OR REPLACE FUNCTION rapport_prefixes_follow_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- A move-in writes them all at the end.
    IF current_setting('rapport.moving_in', true) = 'on'
       AND pg_has_role(current_user, rapport_group('owner'), 'MEMBER') THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' THEN
        PERFORM rapport_index_prefixes(OLD.rowid);
    ELSE
        PERFORM rapport_index_prefixes(NEW.rowid);
    END IF;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION rapport_prefixes_follow_contact() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM rapport_index_prefixes(OLD.id);
    ELSE
        PERFORM rapport_index_prefixes(NEW.id);
    END IF;
    RETURN NULL;
END $$;
-- Many rows of one beginning become one. Read-only people count too, so it runs with the
-- rights of the schema's maker.
CREATE FUNCTION rapport_fold_prefix(beginning TEXT) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH gone AS (DELETE FROM prefix_counts WHERE prefix = beginning RETURNING delta)
    INSERT INTO prefix_counts (prefix, delta)
        SELECT beginning, SUM(delta) FROM gone HAVING COUNT(*) > 0
$$;

INSERT INTO contact_prefixes (prefix, contact_id, author)
    SELECT DISTINCT p, f.rowid, c.created_by FROM contact_fts f JOIN contacts c ON c.id = f.rowid,
        rapport_prefixes_of(f.doc) p
    WHERE c.deleted_at IS NULL AND c.private = 1;
INSERT INTO prefix_counts (prefix, delta)
    SELECT prefix, COUNT(*) FROM contact_prefixes WHERE author IS NULL GROUP BY prefix;
ANALYZE contact_prefixes;
ANALYZE prefix_counts;
"#;

/// 6: follow-ups that repeat, as the file's migration 8.
pub(super) const REPEATS: &str = r#"
ALTER TABLE follow_ups ADD COLUMN repeat_rule TEXT COLLATE "C";
ALTER TABLE follow_ups ADD COLUMN series_first TEXT COLLATE "C";
ALTER TABLE follow_ups ADD COLUMN occurrence BIGINT NOT NULL DEFAULT 1;
ALTER TABLE follow_ups ADD COLUMN series_id BIGINT;
"#;

/// 7: relationships, custom fields and conversations from mail and calendar files, as the
/// file's migration 9. A relationship is seen by whoever sees both of its people; a field's
/// values by whoever sees their contact. Fields are defined by owners alone (members fill
/// them in, read-only people read them): the grants below are made again after every
/// migration, so they live in `rapport_grants`.
pub(super) const CONNECTED: &str = r#"
CREATE TABLE relationships (
    id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    from_id     BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    kind        TEXT COLLATE "C" NOT NULL,
    to_id       BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    note        TEXT COLLATE "C" NOT NULL DEFAULT '',
    created_at  TEXT COLLATE "C" NOT NULL,
    created_by  TEXT COLLATE "C" NOT NULL DEFAULT '',
    UNIQUE (from_id, kind, to_id)
);
CREATE INDEX relationships_by_to ON relationships(to_id, kind);

CREATE TABLE custom_fields (
    id                  BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    applies_to          TEXT COLLATE "C" NOT NULL,
    name                TEXT COLLATE nocase NOT NULL,
    kind                TEXT COLLATE "C" NOT NULL,
    choices             TEXT COLLATE "C" NOT NULL DEFAULT '',
    position            BIGINT NOT NULL,
    remind_days_before  BIGINT,
    created_at          TEXT COLLATE "C" NOT NULL,
    created_by          TEXT COLLATE "C" NOT NULL DEFAULT '',
    UNIQUE (applies_to, name)
);

CREATE TABLE contact_field_values (
    contact_id  BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    field_id    BIGINT NOT NULL REFERENCES custom_fields(id) ON DELETE CASCADE,
    value       TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (contact_id, field_id)
);
CREATE INDEX contact_field_values_by_field ON contact_field_values(field_id, value);

CREATE TABLE organization_field_values (
    organization_id  BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    field_id         BIGINT NOT NULL REFERENCES custom_fields(id) ON DELETE CASCADE,
    value            TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (organization_id, field_id)
);
CREATE INDEX organization_field_values_by_field ON organization_field_values(field_id, value);

ALTER TABLE follow_ups ADD COLUMN field_id BIGINT REFERENCES custom_fields(id) ON DELETE SET NULL;

ALTER TABLE interactions ADD COLUMN source_ref TEXT COLLATE "C";
ALTER TABLE interactions ADD COLUMN thread_ref TEXT COLLATE "C";
ALTER TABLE interactions ADD COLUMN import_batch_id BIGINT REFERENCES import_batches(id) ON DELETE SET NULL;
ALTER TABLE interactions ADD COLUMN attachments TEXT COLLATE "C" NOT NULL DEFAULT '';
CREATE UNIQUE INDEX interactions_by_source ON interactions(source_ref) WHERE source_ref IS NOT NULL;
CREATE INDEX interactions_by_thread ON interactions(thread_ref) WHERE thread_ref IS NOT NULL;
CREATE INDEX interactions_by_batch ON interactions(import_batch_id) WHERE import_batch_id IS NOT NULL;

ALTER TABLE relationships ENABLE ROW LEVEL SECURITY;
ALTER TABLE relationships FORCE ROW LEVEL SECURITY;
CREATE POLICY with_both_people ON relationships USING (
    EXISTS (SELECT 1 FROM contacts p WHERE p.id = from_id)
    AND EXISTS (SELECT 1 FROM contacts p WHERE p.id = to_id));
ALTER TABLE contact_field_values ENABLE ROW LEVEL SECURITY;
ALTER TABLE contact_field_values FORCE ROW LEVEL SECURITY;
CREATE POLICY with_its_record ON contact_field_values USING (
    EXISTS (SELECT 1 FROM contacts p WHERE p.id = contact_id));

CREATE TRIGGER relationships_log AFTER INSERT OR UPDATE OR DELETE ON relationships FOR EACH ROW EXECUTE FUNCTION rapport_log_change();
CREATE TRIGGER custom_fields_log AFTER INSERT OR UPDATE OR DELETE ON custom_fields FOR EACH ROW EXECUTE FUNCTION rapport_log_change();
CREATE TRIGGER relationships_signed BEFORE INSERT OR UPDATE ON relationships FOR EACH STATEMENT EXECUTE FUNCTION rapport_refuse_group();
CREATE TRIGGER custom_fields_signed BEFORE INSERT OR UPDATE ON custom_fields FOR EACH STATEMENT EXECUTE FUNCTION rapport_refuse_group();

CREATE OR REPLACE FUNCTION rapport_grants() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    owner_role TEXT := rapport_group('owner');
    member_role TEXT := rapport_group('member');
    reader_role TEXT := rapport_group('readonly');
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %I, %I, %I', owner_role, member_role, reader_role);
    EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA public TO %I, %I', member_role, reader_role);
    EXECUTE format('GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', member_role);
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE ON team_members, rapport_schema, changes FROM %I', member_role);
    -- The log triggers run with the member's rights; `changes_stamp` writes who and when.
    EXECUTE format('GRANT INSERT ON changes TO %I', member_role);
    EXECUTE format('REVOKE UPDATE ON import_batch_changes FROM %I', member_role);
    -- Owners define the fields; members fill them in.
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE ON custom_fields FROM %I', member_role);
    EXECUTE format('GRANT INSERT, UPDATE, DELETE ON custom_fields TO %I', owner_role);
    EXECUTE 'REVOKE ALL ON FUNCTION rapport_add_person(TEXT, TEXT, TEXT, TEXT) FROM PUBLIC';
    EXECUTE format('GRANT EXECUTE ON FUNCTION rapport_add_person(TEXT, TEXT, TEXT, TEXT) TO %I', owner_role);
    -- Only the team connects (and listens to its changes); owners make scratch tables to move in.
    EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I, %I, %I', current_database(), owner_role, member_role, reader_role);
    EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO %I', current_database(), owner_role);
    EXECUTE format('GRANT INSERT, UPDATE, DELETE ON team_members TO %I', owner_role);
    -- Moving a file in sets the identities past the ids it brought.
    EXECUTE format('GRANT UPDATE ON ALL SEQUENCES IN SCHEMA public TO %I', owner_role);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', member_role);
    EXECUTE format('GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', reader_role);
END $$;
"#;
