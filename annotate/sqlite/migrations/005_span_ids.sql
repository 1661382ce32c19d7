-- Span ids are never given twice. Undo puts a deleted span back under its
-- id; without AUTOINCREMENT SQLite gave the id of a deleted span to the
-- next new one (in any document), and undoing the delete then failed.
-- The table is rebuilt (SQLite's procedure for changing a table, run with
-- foreign keys off), and ids the undo log still holds are never given.
CREATE TABLE spans_new (
	id       INTEGER PRIMARY KEY AUTOINCREMENT,
	doc_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
	layer_id INTEGER NOT NULL REFERENCES layers(id) ON DELETE CASCADE,
	label_id INTEGER NOT NULL REFERENCES labels(id),
	start    INTEGER NOT NULL,
	end      INTEGER NOT NULL,
	origin   TEXT NOT NULL CHECK (origin IN ('manual', 'imported', 'propagated', 'suggested')),
	CHECK (start >= 0 AND end > start)
);
INSERT INTO spans_new(id, doc_id, layer_id, label_id, start, end, origin)
	SELECT id, doc_id, layer_id, label_id, start, end, origin FROM spans;
DROP TABLE spans;
ALTER TABLE spans_new RENAME TO spans;
CREATE INDEX spans_doc_layer ON spans(doc_id, layer_id, start);
CREATE INDEX spans_layer ON spans(layer_id, doc_id);
CREATE INDEX spans_label ON spans(label_id);
INSERT INTO sqlite_sequence(name, seq) SELECT 'spans', max(
	COALESCE((SELECT max(id) FROM spans), 0),
	COALESCE((SELECT max(json_extract(o.value, '$.span.id')) FROM edits e, json_each(e.ops) o), 0),
	COALESCE((SELECT max(json_extract(o.value, '$.before.id')) FROM edits e, json_each(e.ops) o), 0));
