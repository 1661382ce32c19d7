-- How many documents the project holds, kept by triggers. Counting them
-- reads a whole index (a million documents: 60-90 ms), and the window
-- counts them as it opens, and again at every filter, import and switch of
-- annotator. Documents are inserted and deleted, never replaced (a REPLACE
-- would delete without its trigger).
CREATE TABLE document_count (
	one INTEGER PRIMARY KEY CHECK (one = 1),
	n   INTEGER NOT NULL
);

INSERT INTO document_count(one, n) SELECT 1, count(*) FROM documents;

CREATE TRIGGER document_count_insert AFTER INSERT ON documents BEGIN
	UPDATE document_count SET n = n + 1;
END;

CREATE TRIGGER document_count_delete AFTER DELETE ON documents BEGIN
	UPDATE document_count SET n = n - 1;
END;
