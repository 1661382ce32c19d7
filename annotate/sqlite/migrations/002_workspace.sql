-- Suggestions (spans of the suggestion layer) that an annotator rejected:
-- hidden from that annotator, kept for everyone else.
CREATE TABLE rejected_suggestions (
	layer_id INTEGER NOT NULL REFERENCES layers(id) ON DELETE CASCADE,
	span_id  INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
	doc_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
	PRIMARY KEY (layer_id, span_id)
) WITHOUT ROWID;
CREATE INDEX rejected_suggestions_doc ON rejected_suggestions(layer_id, doc_id);

-- The document list pages through documents in import order: a narrow
-- index keeps that from reading the texts (100,000 documents: a 6 MB
-- index instead of the whole file).
CREATE INDEX documents_list ON documents(id, name, length);
