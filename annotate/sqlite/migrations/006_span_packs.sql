-- Each layer's spans on each document, packed in one row, for the readers
-- of whole layers (agreement, exports, merges): a million documents in
-- three layers hold 30 million spans, and stepping over that many rows
-- costs far more than their figures. A pack lists its spans, in no
-- particular order, as "start,end,label_id,o,id" joined by ";" (o is the
-- origin's first letter; the order is not kept, so that SQLite before
-- 3.44 reads the schema too). The triggers below keep every pack equal to the
-- spans table, which stays the truth that edits, undo and searches use:
-- an insert appends to its pack, a delete or update packs its document's
-- layer again from the table.
CREATE TABLE span_packs (
	doc_id   INTEGER NOT NULL,
	layer_id INTEGER NOT NULL,
	spans    TEXT NOT NULL,
	PRIMARY KEY (doc_id, layer_id)
) WITHOUT ROWID;

-- Each span as its pack holds it (the insert trigger writes NEW's the same).
CREATE VIEW span_pack_items AS
	SELECT doc_id, layer_id, start || ',' || end || ',' || label_id || ',' || substr(origin, 1, 1) || ',' || id AS item FROM spans;

INSERT INTO span_packs(doc_id, layer_id, spans)
	SELECT doc_id, layer_id, group_concat(item, ';') FROM span_pack_items GROUP BY doc_id, layer_id;

CREATE TRIGGER span_packs_insert AFTER INSERT ON spans BEGIN
	INSERT INTO span_packs(doc_id, layer_id, spans)
		VALUES (NEW.doc_id, NEW.layer_id, NEW.start || ',' || NEW.end || ',' || NEW.label_id || ',' || substr(NEW.origin, 1, 1) || ',' || NEW.id)
		ON CONFLICT(doc_id, layer_id) DO UPDATE SET spans = span_packs.spans || ';' || excluded.spans;
END;

CREATE TRIGGER span_packs_delete AFTER DELETE ON spans BEGIN
	DELETE FROM span_packs WHERE doc_id = OLD.doc_id AND layer_id = OLD.layer_id;
	INSERT INTO span_packs(doc_id, layer_id, spans)
		SELECT doc_id, layer_id, group_concat(item, ';')
		FROM span_pack_items WHERE doc_id = OLD.doc_id AND layer_id = OLD.layer_id GROUP BY doc_id, layer_id;
END;

-- An update packs both the layer it left and the one it went to (the
-- same, unless a layer's spans were moved to another).
CREATE TRIGGER span_packs_update AFTER UPDATE ON spans BEGIN
	DELETE FROM span_packs WHERE (doc_id = OLD.doc_id AND layer_id = OLD.layer_id) OR (doc_id = NEW.doc_id AND layer_id = NEW.layer_id);
	INSERT INTO span_packs(doc_id, layer_id, spans)
		SELECT doc_id, layer_id, group_concat(item, ';')
		FROM span_pack_items WHERE (doc_id = OLD.doc_id AND layer_id = OLD.layer_id) OR (doc_id = NEW.doc_id AND layer_id = NEW.layer_id)
		GROUP BY doc_id, layer_id;
END;

-- Those readers take each document's digest and name without its text:
-- the list's narrow index holds the digest too, and documents with
-- metadata have an index of their own, so that the rows (where the
-- digest follows the text, in pages of its own when the text is long)
-- are read only for a text (a million documents: 1.7 s to 0.2 s).
DROP INDEX documents_list;
CREATE INDEX documents_list ON documents(id, name, length, sha256);
CREATE INDEX documents_meta ON documents(id) WHERE meta IS NOT NULL;
