package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"

	"github.com/qalam-annotate/qalam/annotate"
)

// Check reads the whole project file with SQLite's integrity_check and
// returns what is wrong with it (nothing when it is sound). The file is
// opened for reading only.
func Check(ctx context.Context, path string) ([]string, error) {
	db, err := openRaw(path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	problems, err := pragmaCheck(ctx, db, `PRAGMA integrity_check(100)`)
	if err != nil {
		// A file too damaged to be checked to the end: that is one more
		// problem.
		problems = append(problems, err.Error())
	}
	return problems, nil
}

// openRaw opens a project file to read only, without any check, as it is
// on disk when its folder cannot be written.
func openRaw(path string) (*sql.DB, error) {
	if err := checkFile(context.Background(), path, false); err != nil {
		return nil, err
	}
	q := url.Values{}
	q.Set("mode", "ro")
	if !writableDir(filepath.Dir(path)) {
		q.Set("immutable", "1")
	}
	return sql.Open("sqlite3", "file:"+url.PathEscape(path)+"?"+q.Encode())
}

// Salvage copies what can still be read of the project file at path into
// dst: its labels, then every document, one by one, with its layers'
// spans, statuses, flags and comments, skipping (and listing in Lost)
// whatever cannot be read. The edit history, assignments and settled
// stretches are not copied.
func Salvage(ctx context.Context, path string, dst annotate.Store, progress func(done, total int)) (annotate.SalvageSummary, error) {
	var sum annotate.SalvageSummary
	lost := func(format string, args ...any) { sum.Lost = append(sum.Lost, fmt.Sprintf(format, args...)) }
	db, err := openRaw(path)
	if err != nil {
		return sum, err
	}
	defer db.Close()

	labels := map[int64]string{}
	rows, err := db.QueryContext(ctx, `SELECT id, name, color, hotkey FROM labels ORDER BY position, id`)
	if err == nil {
		have, _ := dst.Labels(ctx)
		for rows.Next() {
			var id int64
			var l annotate.Label
			if err := rows.Scan(&id, &l.Name, &l.Color, &l.Hotkey); err != nil {
				lost("a label: %v", err)
				continue
			}
			labels[id] = l.Name
			if _, ok := have.Find(l.Name); ok {
				continue
			}
			if _, taken := have.ByHotkey(l.Hotkey); taken {
				l.Hotkey = ""
			}
			if err := dst.AddLabel(ctx, l); err != nil {
				lost("label %s: %v", l.Name, err)
				continue
			}
			have = append(have, l)
		}
		err = rows.Err()
		rows.Close()
	}
	if err != nil {
		lost("labels: %v", err)
	}
	layers := map[int64]string{}
	if rows, err = db.QueryContext(ctx, `SELECT id, name FROM layers`); err == nil {
		for rows.Next() {
			var id int64
			var name string
			if rows.Scan(&id, &name) == nil && !annotate.IsStaging(name) {
				layers[id] = name
			}
		}
		err = rows.Err()
		rows.Close()
	}
	if err != nil {
		lost("layers: %v", err)
	}

	var last int64
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(max(id), 0) FROM documents`).Scan(&last); err != nil {
		return sum, fmt.Errorf("salvage %s: the documents cannot be counted: %w", path, err)
	}
	ai, err := dst.NewAnnotationImporter(ctx)
	if err != nil {
		return sum, err
	}
	for id := int64(1); id <= last; id++ {
		if err := ctx.Err(); err != nil {
			ai.Abort()
			return sum, err
		}
		if progress != nil && id%256 == 0 {
			progress(int(id), int(last))
		}
		var name, text string
		var meta sql.NullString
		err := db.QueryRowContext(ctx, `SELECT name, text, meta FROM documents WHERE id = ?`, id).Scan(&name, &text, &meta)
		if err == sql.ErrNoRows {
			continue
		}
		if err != nil {
			lost("document %d: %v", id, err)
			continue
		}
		var m json.RawMessage
		if meta.Valid && json.Valid([]byte(meta.String)) {
			m = json.RawMessage(meta.String)
		}
		doc, _, err := ai.Document(annotate.NewDocument(name, text, m))
		if err != nil {
			lost("document %d (%q): %v", id, name, err)
			continue
		}
		sum.Documents++
		salvageWork(ctx, db, ai, id, doc, labels, layers, &sum, lost)
	}
	if err := ai.Close(); err != nil {
		return sum, err
	}
	if progress != nil {
		progress(int(last), int(last))
	}
	return sum, nil
}

// salvageWork copies one document's spans, statuses and comments.
func salvageWork(ctx context.Context, db *sql.DB, ai annotate.AnnotationImporter, id int64, doc annotate.Document,
	labels, layers map[int64]string, sum *annotate.SalvageSummary, lost func(string, ...any)) {
	spans := map[string][]annotate.Span{}
	rows, err := db.QueryContext(ctx, `SELECT layer_id, label_id, start, end, origin FROM spans WHERE doc_id = ?`, id)
	if err == nil {
		for rows.Next() {
			var layerID, labelID int64
			var sp annotate.Span
			if err := rows.Scan(&layerID, &labelID, &sp.Start, &sp.End, &sp.Origin); err != nil {
				lost("a span of document %q: %v", doc.Name, err)
				continue
			}
			layer, label := layers[layerID], labels[labelID]
			sp.Label = label
			if layer == "" || label == "" || !sp.Origin.Valid() || sp.Start < 0 || sp.End > doc.Length || sp.Start >= sp.End {
				lost("a span of document %q: [%d,%d) in layer %d, label %d, no longer makes sense", doc.Name, sp.Start, sp.End, layerID, labelID)
				continue
			}
			spans[layer] = append(spans[layer], sp)
		}
		err = rows.Err()
		rows.Close()
	}
	if err != nil {
		lost("spans of document %q: %v", doc.Name, err)
	}
	for layer, sps := range spans {
		n, err := ai.Add(doc.ID, layer, sps, "")
		if err != nil {
			lost("spans of layer %s on document %q: %v", layer, doc.Name, err)
		}
		sum.Spans += n
	}
	if rows, err = db.QueryContext(ctx, `SELECT layer_id, status, flagged, updated_at FROM doc_status WHERE doc_id = ?`, id); err == nil {
		for rows.Next() {
			var layerID int64
			var st annotate.DocState
			var updated string
			if err := rows.Scan(&layerID, &st.Status, &st.Flagged, &updated); err != nil || layers[layerID] == "" {
				lost("a status of document %q: %v", doc.Name, err)
				continue
			}
			if _, err := annotate.ParseStatus(string(st.Status)); err != nil {
				lost("the status of layer %s on document %q: %v", layers[layerID], doc.Name, err)
				continue
			}
			if err := ai.SetState(doc.ID, layers[layerID], st, parseTime(updated)); err != nil {
				lost("the status of layer %s on document %q: %v", layers[layerID], doc.Name, err)
				continue
			}
			sum.Statuses++
		}
		err = rows.Err()
		rows.Close()
	}
	if err != nil {
		lost("statuses of document %q: %v", doc.Name, err)
	}
	if rows, err = db.QueryContext(ctx, `SELECT layer_id, text, created_at FROM comments WHERE doc_id = ? ORDER BY id`, id); err == nil {
		for rows.Next() {
			var layerID int64
			var c annotate.Comment
			var created string
			if err := rows.Scan(&layerID, &c.Text, &created); err != nil || layers[layerID] == "" {
				lost("a comment on document %q: %v", doc.Name, err)
				continue
			}
			c.DocID, c.Layer, c.Created = doc.ID, layers[layerID], parseTime(created)
			if err := ai.AddComment(c); err != nil {
				lost("a comment on document %q: %v", doc.Name, err)
				continue
			}
			sum.Comments++
		}
		err = rows.Err()
		rows.Close()
	}
	if err != nil {
		lost("comments on document %q: %v", doc.Name, err)
	}
}
