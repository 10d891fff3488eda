-- Composition search that does not read the catalogue (`store::matching`,
-- `catalog`): the normalized title and writers beside each composition,
-- written by the store (which normalizes in Rust); two word vectors
-- generated from them, each under a GIN index (the title's for a match's
-- all-words probe, title and writers together for the list's `q`); the
-- title's words again in a B-tree (`composition_words`), for the match's
-- word and word-start probes: a B-tree scan stops after the probe's
-- LIMIT, where a GIN bitmap reads every composition with the word first
-- (7 ms a probe for a common word at 1M compositions); a B-tree for the
-- exact title, and one for the list's order.
ALTER TABLE compositions ADD COLUMN title_key TEXT NOT NULL DEFAULT '';
ALTER TABLE compositions ADD COLUMN writers_key TEXT NOT NULL DEFAULT '';

-- Compositions recorded before this migration: the keys as SQL can make
-- them (letters and digits kept, the rest one space, lowercase), the
-- same as `matching::normalize` for the text this catalogue holds.
UPDATE compositions c SET
    title_key = btrim(lower(regexp_replace(c.title, '[^[:alnum:]]+', ' ', 'g'))),
    writers_key = coalesce((
        SELECT string_agg(btrim(lower(regexp_replace(w.name, '[^[:alnum:]]+', ' ', 'g'))),
                          E'\n' ORDER BY w.position)
        FROM composition_writers w WHERE w.composition_id = c.id), '');

ALTER TABLE compositions ADD COLUMN title_words tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', title_key)) STORED;
ALTER TABLE compositions ADD COLUMN all_words tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', title_key || ' ' || writers_key)) STORED;

CREATE INDEX compositions_by_key ON compositions (title_key);
CREATE INDEX compositions_by_title ON compositions (lower(title COLLATE "C"), id);
CREATE INDEX compositions_title_words ON compositions USING gin (title_words);
CREATE INDEX compositions_all_words ON compositions USING gin (all_words);

CREATE TABLE composition_words (
    word           TEXT COLLATE "C" NOT NULL,
    composition_id BIGINT NOT NULL REFERENCES compositions (id),
    PRIMARY KEY (word, composition_id)
);
INSERT INTO composition_words (word, composition_id)
    SELECT DISTINCT w, c.id FROM compositions c, regexp_split_to_table(c.title_key, ' ') w
    WHERE w <> '';
