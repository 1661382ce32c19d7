-- The stretches of documents the gold layer settled (adjudication). Each
-- row belongs to the edit that settled it: undoing that edit unsettles the
-- stretch, redoing it settles it again, and an undone edit that a new one
-- drops from the redo list takes its rows along.
CREATE TABLE adjudications (
	edit_id INTEGER NOT NULL REFERENCES edits(id) ON DELETE CASCADE,
	start   INTEGER NOT NULL,
	end     INTEGER NOT NULL,
	PRIMARY KEY (edit_id, start, end)
) WITHOUT ROWID;
