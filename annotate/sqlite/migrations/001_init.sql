-- Qalam project schema, version 1. One SQLite file is one project.
-- Offsets are Unicode code points, end exclusive.

CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE documents (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	text       TEXT NOT NULL,           -- as received, BOM removed
	sha256     TEXT NOT NULL UNIQUE,    -- hex SHA-256 of text
	length     INTEGER NOT NULL,        -- code points
	meta       TEXT,                    -- JSON object or NULL
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE labels (
	id       INTEGER PRIMARY KEY,
	name     TEXT NOT NULL UNIQUE,
	color    TEXT NOT NULL,
	hotkey   TEXT NOT NULL DEFAULT '',
	position INTEGER NOT NULL
);

CREATE TABLE layers (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	kind TEXT NOT NULL CHECK (kind IN ('annotator', 'gold', 'suggestion'))
);

CREATE TABLE spans (
	id       INTEGER PRIMARY KEY,
	doc_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
	layer_id INTEGER NOT NULL REFERENCES layers(id) ON DELETE CASCADE,
	label_id INTEGER NOT NULL REFERENCES labels(id),
	start    INTEGER NOT NULL,
	end      INTEGER NOT NULL,
	origin   TEXT NOT NULL CHECK (origin IN ('manual', 'imported', 'propagated', 'suggested')),
	CHECK (start >= 0 AND end > start)
);
-- The spans of one document in one layer, in text order (the article view).
CREATE INDEX spans_doc_layer ON spans(doc_id, layer_id, start);
-- The spans of one layer (exports, agreement, stats).
CREATE INDEX spans_layer ON spans(layer_id, doc_id);
-- Whether a label is in use, and per-label counts.
CREATE INDEX spans_label ON spans(label_id);

CREATE TABLE doc_status (
	doc_id     INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
	layer_id   INTEGER NOT NULL REFERENCES layers(id) ON DELETE CASCADE,
	status     TEXT NOT NULL CHECK (status IN ('todo', 'in_progress', 'done', 'skipped')),
	flagged    INTEGER NOT NULL DEFAULT 0,
	updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
	PRIMARY KEY (doc_id, layer_id)
) WITHOUT ROWID;
-- The document list filtered by status, and "N of M done".
CREATE INDEX doc_status_layer ON doc_status(layer_id, status, doc_id);

CREATE TABLE comments (
	id         INTEGER PRIMARY KEY,
	doc_id     INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
	layer_id   INTEGER NOT NULL REFERENCES layers(id) ON DELETE CASCADE,
	text       TEXT NOT NULL,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX comments_doc ON comments(doc_id, layer_id);

-- The edit log: every user edit, with what undoes it. undone = 1 puts an
-- edit on the redo stack; a new edit in the same layer and document clears it.
CREATE TABLE edits (
	id         INTEGER PRIMARY KEY,
	layer_id   INTEGER NOT NULL REFERENCES layers(id) ON DELETE CASCADE,
	doc_id     INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
	kind       TEXT NOT NULL,
	ops        TEXT NOT NULL, -- JSON list of operations, see edits.go
	undone     INTEGER NOT NULL DEFAULT 0,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX edits_layer_doc ON edits(layer_id, doc_id, undone, id);
