-- Which documents each annotator is asked to do (qalam assign). A layer
-- with no rows here sees the whole corpus.
CREATE TABLE assignments (
	layer_id INTEGER NOT NULL REFERENCES layers(id) ON DELETE CASCADE,
	doc_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
	PRIMARY KEY (layer_id, doc_id)
) WITHOUT ROWID;
CREATE INDEX assignments_doc ON assignments(doc_id);
