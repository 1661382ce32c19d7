package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/qalam-annotate/qalam/annotate"
)

// EachDocument calls fn for every document in import order, with the spans
// and statuses of the named layers: all layers when layers is nil, none
// when it is empty but not nil. It
// reads in pages, so memory does not grow with the project. withText false
// leaves Text empty, for callers that need only spans.
func (s *Store) EachDocument(ctx context.Context, layers []string, withText bool, fn func(*annotate.AnnotatedDoc) error) error {
	const page = 512
	layerIDs := map[int64]string{}
	all, err := s.Layers(ctx)
	if err != nil {
		return err
	}
	want := map[string]bool{}
	for _, l := range layers {
		want[l] = true
	}
	var idList []string
	for _, l := range all {
		if layers == nil || want[l.Name] {
			id, _, err := s.lookupLayer(ctx, l.Name)
			if err != nil {
				return err
			}
			layerIDs[id] = l.Name
			idList = append(idList, fmt.Sprint(id))
		}
	}
	inLayers := "(" + strings.Join(idList, ",") + ")"
	if len(idList) == 0 {
		inLayers = "(NULL)"
	}
	textCol := "''"
	if withText {
		textCol = "text"
	}
	var after int64
	for {
		rows, err := s.db.QueryContext(ctx, `SELECT id, name, `+textCol+`, sha256, length, meta FROM documents
			WHERE id > ? ORDER BY id LIMIT ?`, after, page)
		if err != nil {
			return err
		}
		var docs []*annotate.AnnotatedDoc
		byID := map[int64]*annotate.AnnotatedDoc{}
		for rows.Next() {
			d := &annotate.AnnotatedDoc{Layers: map[string]*annotate.LayerDoc{}}
			var meta sql.NullString
			if err := rows.Scan(&d.ID, &d.Name, &d.Text, &d.SHA256, &d.Length, &meta); err != nil {
				rows.Close()
				return err
			}
			if meta.Valid {
				d.Meta = json.RawMessage(meta.String)
			}
			docs = append(docs, d)
			byID[d.ID] = d
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(docs) == 0 {
			return nil
		}
		first, last := docs[0].ID, docs[len(docs)-1].ID
		layerOf := func(d *annotate.AnnotatedDoc, layerID int64) *annotate.LayerDoc {
			name := layerIDs[layerID]
			l := d.Layers[name]
			if l == nil {
				l = &annotate.LayerDoc{Status: annotate.Todo}
				d.Layers[name] = l
			}
			return l
		}
		rows, err = s.db.QueryContext(ctx, `SELECT doc_id, layer_id, status FROM doc_status
			WHERE doc_id BETWEEN ? AND ? AND layer_id IN `+inLayers, first, last)
		if err != nil {
			return err
		}
		for rows.Next() {
			var docID, layerID int64
			var st annotate.Status
			if err := rows.Scan(&docID, &layerID, &st); err != nil {
				rows.Close()
				return err
			}
			if d := byID[docID]; d != nil {
				layerOf(d, layerID).Status = st
			}
		}
		rows.Close()
		rows, err = s.db.QueryContext(ctx, `SELECT sp.id, sp.doc_id, sp.layer_id, sp.start, sp.end, l.name, sp.origin
			FROM spans sp JOIN labels l ON l.id = sp.label_id
			WHERE sp.doc_id BETWEEN ? AND ? AND sp.layer_id IN `+inLayers+`
			ORDER BY sp.doc_id, sp.start, sp.end, sp.id`, first, last)
		if err != nil {
			return err
		}
		for rows.Next() {
			var sp annotate.Span
			var layerID int64
			if err := rows.Scan(&sp.ID, &sp.DocID, &layerID, &sp.Start, &sp.End, &sp.Label, &sp.Origin); err != nil {
				rows.Close()
				return err
			}
			if d := byID[sp.DocID]; d != nil {
				sp.Layer = layerIDs[layerID]
				l := layerOf(d, layerID)
				l.Spans = append(l.Spans, sp)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, d := range docs {
			if err := fn(d); err != nil {
				return err
			}
		}
		after = last
	}
}

// AnnotationImporter stores annotations brought from other tools: each
// document is matched by its text (added when the project lacks it), and
// its spans go into a layer. This is not a user edit: it is not in the undo
// log. Spans identical to ones the layer has are skipped, so importing the
// same file twice changes nothing.
type AnnotationImporter struct {
	s        *Store
	ctx      context.Context
	tx       *sql.Tx
	n        int
	labelIDs map[string]int64
	layerIDs map[string]int64
}

// NewAnnotationImporter starts an import; Close commits it.
func (s *Store) NewAnnotationImporter(ctx context.Context) (*AnnotationImporter, error) {
	ai := &AnnotationImporter{s: s, ctx: context.WithoutCancel(ctx), layerIDs: map[string]int64{}}
	if err := ai.begin(); err != nil {
		return nil, err
	}
	return ai, nil
}

func (ai *AnnotationImporter) begin() error {
	tx, err := ai.s.db.BeginTx(ai.ctx, nil)
	if err != nil {
		return err
	}
	ai.tx = tx
	ai.labelIDs = map[string]int64{}
	rows, err := tx.QueryContext(ai.ctx, `SELECT id, name FROM labels`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return err
		}
		ai.labelIDs[name] = id
	}
	return rows.Err()
}

// Labels is the label set as the import sees it (with labels it added).
func (ai *AnnotationImporter) Labels() (annotate.LabelSet, error) {
	return queryLabels(ai.ctx, ai.tx)
}

// AddLabel adds a label the project lacks (for --new-labels).
func (ai *AnnotationImporter) AddLabel(name string) error {
	if err := addLabel(ai.ctx, ai.tx, annotate.Label{Name: name}); err != nil {
		return err
	}
	var id int64
	if err := ai.tx.QueryRowContext(ai.ctx, `SELECT id FROM labels WHERE name = ?`, name).Scan(&id); err != nil {
		return err
	}
	ai.labelIDs[name] = id
	return nil
}

// Document returns the project's document with doc's text, adding doc
// when there is none; added tells which.
func (ai *AnnotationImporter) Document(doc annotate.Document) (annotate.Document, bool, error) {
	if doc.SHA256 == "" {
		doc = annotate.NewDocument(doc.Name, doc.Text, doc.Meta)
	}
	var id int64
	err := ai.tx.QueryRowContext(ai.ctx, `SELECT id FROM documents WHERE sha256 = ?`, doc.SHA256).Scan(&id)
	if err == nil {
		doc.ID = id
		return doc, false, nil
	}
	if err != sql.ErrNoRows {
		return doc, false, err
	}
	var meta any
	if len(doc.Meta) > 0 {
		meta = string(doc.Meta)
	}
	res, err := ai.tx.ExecContext(ai.ctx, `INSERT INTO documents(name, text, sha256, length, meta) VALUES (?, ?, ?, ?, ?)`,
		doc.Name, doc.Text, doc.SHA256, doc.Length, meta)
	if err != nil {
		return doc, false, err
	}
	doc.ID, err = res.LastInsertId()
	return doc, true, err
}

// DocumentBySHA256 finds the project's document whose text has that
// SHA-256 (an xlsx import whose text a spreadsheet changed names its
// document so).
func (ai *AnnotationImporter) DocumentBySHA256(sha string) (annotate.Document, bool, error) {
	d, err := scanDocument(ai.tx.QueryRowContext(ai.ctx, `SELECT id, name, text, sha256, length, meta FROM documents WHERE sha256 = ?`, sha))
	if errors.Is(err, annotate.ErrNotFound) {
		return d, false, nil
	}
	return d, err == nil, err
}

// Add stores spans (already validated against the document and the label
// set by the caller) in layer on document docID, and sets the layer's
// status there unless status is "". It returns how many spans were new.
func (ai *AnnotationImporter) Add(docID int64, layer string, spans []annotate.Span, status annotate.Status) (int, error) {
	layerID, ok := ai.layerIDs[layer]
	if !ok {
		var err error
		if layerID, err = ai.s.layerID(ai.ctx, ai.tx, layer); err != nil {
			return 0, err
		}
		ai.layerIDs[layer] = layerID
	}
	type key struct {
		start, end int
		label      int64
	}
	have := map[key]bool{}
	rows, err := ai.tx.QueryContext(ai.ctx, `SELECT start, end, label_id FROM spans WHERE doc_id = ? AND layer_id = ?`, docID, layerID)
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		var k key
		if err := rows.Scan(&k.start, &k.end, &k.label); err != nil {
			rows.Close()
			return 0, err
		}
		have[k] = true
	}
	rows.Close()
	added := 0
	for _, sp := range spans {
		labelID, ok := ai.labelIDs[sp.Label]
		if !ok {
			return added, fmt.Errorf("%w %q", annotate.ErrUnknownLabel, sp.Label)
		}
		k := key{sp.Start, sp.End, labelID}
		if have[k] {
			continue
		}
		have[k] = true
		origin := sp.Origin
		if origin == "" {
			origin = annotate.Imported
		}
		if _, err := ai.tx.ExecContext(ai.ctx, `INSERT INTO spans(doc_id, layer_id, label_id, start, end, origin) VALUES (?, ?, ?, ?, ?, ?)`,
			docID, layerID, labelID, sp.Start, sp.End, origin); err != nil {
			return added, err
		}
		added++
	}
	if status != "" {
		if _, err := ai.tx.ExecContext(ai.ctx, `INSERT INTO doc_status(doc_id, layer_id, status) VALUES (?, ?, ?)
			ON CONFLICT(doc_id, layer_id) DO UPDATE SET status = excluded.status,
			updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`, docID, layerID, status); err != nil {
			return added, err
		}
	}
	if ai.n++; ai.n%1000 == 0 {
		if err := ai.tx.Commit(); err != nil {
			return added, err
		}
		return added, ai.begin()
	}
	return added, nil
}

// Close commits the import.
func (ai *AnnotationImporter) Close() error {
	err := ai.tx.Commit()
	ai.remember()
	return err
}

// Abort rolls back what was not committed yet.
func (ai *AnnotationImporter) Abort() {
	ai.tx.Rollback()
}

func (ai *AnnotationImporter) remember() {
	for name := range ai.layerIDs {
		ai.s.rememberLayer(ai.ctx, name)
	}
}
