//! PostgreSQL migrations 4–6 (`pg_schema::PG_MIGRATIONS` lists them all, in order).

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
