package sqlite

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
)

// PacksMatch reports how span_packs differs from the spans table, which
// the triggers of migration 006 must keep it equal to (the conformance
// suite asks it after every test).
func PacksMatch(ctx context.Context, s *Store) error {
	ids, err := labelIDs(ctx, s.db)
	if err != nil {
		return err
	}
	var labels labelNames
	for name, id := range ids {
		labels.set(id, name)
	}
	key := func(docID, layerID int64) string { return fmt.Sprint(docID, "/", layerID) }
	table := map[string][]annotate.Span{}
	rows, err := s.db.QueryContext(ctx, `SELECT id, doc_id, layer_id, start, end, label_id, origin FROM spans`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var sp annotate.Span
		var layerID, labelID int64
		if err := rows.Scan(&sp.ID, &sp.DocID, &layerID, &sp.Start, &sp.End, &labelID, &sp.Origin); err != nil {
			rows.Close()
			return err
		}
		sp.Label = labels[labelID]
		table[key(sp.DocID, layerID)] = append(table[key(sp.DocID, layerID)], sp)
	}
	rows.Close()
	packed := map[string][]annotate.Span{}
	rows, err = s.db.QueryContext(ctx, `SELECT doc_id, layer_id, spans FROM span_packs`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var docID, layerID int64
		var pack string
		if err := rows.Scan(&docID, &layerID, &pack); err != nil {
			return err
		}
		sps, _, err := unpack(nil, nil, false, pack, docID, "", labels)
		if err != nil {
			return err
		}
		packed[key(docID, layerID)] = sps
	}
	byID := func(a, b annotate.Span) int { return cmp.Compare(a.ID, b.ID) }
	var problems []error
	for k, want := range table {
		got := packed[k]
		slices.SortFunc(want, byID)
		slices.SortFunc(got, byID)
		if !slices.Equal(got, want) {
			problems = append(problems, fmt.Errorf("document/layer %s: packed %v, table %v", k, got, want))
		}
	}
	for k, got := range packed {
		if table[k] == nil {
			problems = append(problems, fmt.Errorf("document/layer %s: packed %v, no span in the table", k, got))
		}
	}
	return errors.Join(problems...)
}

func TestUnpack(t *testing.T) {
	labels := labelNames{1: "PERSON", 2: "PLACE"}
	got, _, err := unpack(nil, nil, false, "10,17,2,i,7;0,4,1,m,12", 3, "amira", labels)
	if err != nil {
		t.Fatal(err)
	}
	want := []annotate.Span{
		{ID: 7, DocID: 3, Layer: "amira", Start: 10, End: 17, Label: "PLACE", Origin: annotate.Imported},
		{ID: 12, DocID: 3, Layer: "amira", Start: 0, End: 4, Label: "PERSON", Origin: annotate.Manual},
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	_, keys, err := unpack(nil, nil, true, "10,17,2,i,7;0,4,1,m,12", 3, "amira", labels)
	if err != nil || !slices.Equal(keys, []annotate.SpanKey{want[0].Key(), want[1].Key()}) {
		t.Errorf("keys %v, %v", keys, err)
	}
	for _, bad := range []string{"", "1,2,1,m", "1,2,1,m,", "1,2,3,m,4", "1,2,1,x,4", "1,2,1,m,4;", "1,2,1,m,4;5", "1;2,1,m,4", "-1,2,1,m,4", "1,2,1,m,4,5", "1,2,1,mm,4", "1,2,1,,4", "1,2,9,m,4", "1,2,99999999999999999999,m,4", ",2,1,m,4"} {
		if _, _, err := unpack(nil, nil, false, bad, 3, "amira", labels); !errors.Is(err, annotate.ErrDamaged) {
			t.Errorf("%q: err %v, want ErrDamaged", bad, err)
		}
		if _, _, err := unpack(nil, nil, true, bad, 3, "amira", labels); !errors.Is(err, annotate.ErrDamaged) {
			t.Errorf("%q as keys: err %v, want ErrDamaged", bad, err)
		}
	}
}

// beforePacks takes s back to the schema before packs (version 5).
func beforePacks(t *testing.T, s *Store) {
	t.Helper()
	beforeDocumentCount(t, s)
	for _, q := range []string{
		`DROP TRIGGER span_packs_insert`, `DROP TRIGGER span_packs_delete`, `DROP TRIGGER span_packs_update`,
		`DROP TABLE span_packs`, `DROP VIEW span_pack_items`, `DROP INDEX documents_meta`, `DROP INDEX documents_list`,
		`CREATE INDEX documents_list ON documents(id, name, length)`, `DELETE FROM schema_migrations WHERE version = 6`,
	} {
		if _, err := s.db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
}

// TestPacksMigration: a project made before packs gets them, equal to its
// spans, and keeps them so through edits.
func TestPacksMigration(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p"+Ext)
	s, err := Open(ctx, path, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	// Back to the schema before packs, with spans in two layers.
	beforePacks(t, s)
	for _, q := range []string{
		`INSERT INTO documents(id, name, text, sha256, length, meta) VALUES (1, 'a', 'علي في تونس', 'x1', 11, NULL), (2, 'b', 'Ali in Tunis', 'x2', 12, '{"source":"x"}')`,
		`INSERT INTO layers(id, name, kind) VALUES (1, 'amira', 'annotator'), (2, 'badr', 'annotator')`,
		`INSERT INTO spans(doc_id, layer_id, label_id, start, end, origin) VALUES
			(1, 1, 1, 0, 3, 'manual'), (1, 1, 2, 7, 11, 'imported'), (1, 2, 1, 0, 3, 'suggested'), (2, 1, 2, 7, 12, 'propagated')`,
	} {
		if _, err := s.db.ExecContext(ctx, q); err != nil {
			t.Fatal(q, err)
		}
	}
	s.Close()
	// To read only, it is refused for being old, which a reader can tell
	// (the command line then brings it up to date).
	if _, err := Open(ctx, path, Options{ReadOnly: true}); !errors.Is(err, annotate.ErrOldSchema) || !errors.Is(err, annotate.ErrReadOnly) || !strings.Contains(err.Error(), "schema version 5;") {
		t.Fatalf("opened to read only: %v", err)
	}
	if s, err = Open(ctx, path, Options{}); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM span_packs`).Scan(&n); err != nil || n != 3 {
		t.Fatalf("%d packs (%v), want 3", n, err)
	}
	if err := PacksMatch(ctx, s); err != nil {
		t.Fatal(err)
	}
	var docs []*annotate.AnnotatedDoc
	if err := s.EachDocument(ctx, nil, annotate.ReadSpans, func(d *annotate.AnnotatedDoc) error { docs = append(docs, d); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || docs[0].Meta != nil || string(docs[1].Meta) != `{"source":"x"}` || docs[1].SHA256 != "x2" || docs[1].Name != "b" || docs[1].Length != 12 || docs[1].Text != "" {
		t.Fatalf("documents read without text: %+v", docs)
	}
	if got := docs[0].Layers["amira"].Spans; len(got) != 2 || got[0].Start != 0 || got[1].Label != "PLACE" || got[1].Origin != annotate.Imported {
		t.Errorf("document 1, amira: %v", got)
	}
	// Edits through SQL of every kind keep the packs equal.
	for _, q := range []string{
		`UPDATE spans SET end = 4 WHERE doc_id = 1 AND layer_id = 1 AND start = 0`,
		`UPDATE spans SET layer_id = 2 WHERE doc_id = 2`,
		`DELETE FROM spans WHERE doc_id = 1 AND layer_id = 2`,
		`INSERT INTO spans(doc_id, layer_id, label_id, start, end, origin) VALUES (2, 2, 1, 0, 3, 'manual')`,
		`DELETE FROM documents WHERE id = 1`,
	} {
		if _, err := s.db.ExecContext(ctx, q); err != nil {
			t.Fatal(q, err)
		}
		if err := PacksMatch(ctx, s); err != nil {
			t.Fatalf("after %s: %v", q, err)
		}
	}
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM span_packs`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d packs (%v), want 1", n, err)
	}
	// The pack holds the later span first; it is read in text order.
	var pack string
	if err := s.db.QueryRowContext(ctx, `SELECT spans FROM span_packs`).Scan(&pack); err != nil || pack[:2] != "7," {
		t.Fatalf("pack %q (%v), want the span at 7 first", pack, err)
	}
	docs = nil
	if err := s.EachDocument(ctx, []string{"badr"}, annotate.ReadSpans, func(d *annotate.AnnotatedDoc) error { docs = append(docs, d); return nil }); err != nil {
		t.Fatal(err)
	}
	if got := docs[0].Layers["badr"].Spans; len(got) != 2 || got[0].Start != 0 || got[1].Start != 7 {
		t.Errorf("spans out of text order: %v", got)
	}
}

// withNumberedDocuments is a new project of n short documents, with ids
// 1 to n.
func withNumberedDocuments(t *testing.T, n int) *Store {
	t.Helper()
	s, _ := openTemp(t)
	addDocs(t, s, n, func(i int) string { return fmt.Sprint("خبر ", i) })
	return s
}

// TestEachDocumentGaps: pages of ids go to readers in turn; pages left
// empty by removed documents, whole or in part, keep the order.
func TestEachDocumentGaps(t *testing.T) {
	ctx := context.Background()
	s := withNumberedDocuments(t, 3000)
	if _, err := s.db.ExecContext(ctx, `DELETE FROM documents WHERE id BETWEEN 400 AND 1700 OR id % 7 = 0 OR id > 2990`); err != nil {
		t.Fatal(err)
	}
	var read []int64
	if err := s.EachDocument(ctx, nil, annotate.ReadSpans, func(d *annotate.AnnotatedDoc) error { read = append(read, d.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	rows, _ := s.db.QueryContext(ctx, `SELECT id FROM documents ORDER BY id`)
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	if len(ids) < 1000 || !slices.Equal(read, ids) {
		t.Errorf("read %d documents, the project has %d", len(read), len(ids))
	}
}

// TestEachDocumentMeasuredStatuses: a measure's reading (ReadKeys) knows a
// layer that marked a whole page done from a count; pages where a layer
// did not, with statuses of every kind, statuses missing and documents
// removed, read as they are. A reading stopped early leaves no reader in
// a transaction: the write-ahead log can be checkpointed whole after it.
func TestEachDocumentMeasuredStatuses(t *testing.T) {
	ctx := context.Background()
	s := withNumberedDocuments(t, 1600)
	for _, layer := range []string{"a", "b", "c"} {
		if _, err := s.AddSpan(ctx, annotate.Span{DocID: 3, Layer: layer, Start: 0, End: 3, Label: "PERSON"}); err != nil {
			t.Fatal(err)
		}
	}
	// a: done everywhere. b: done but for a skipped document on the
	// first page, one in progress on the second, one never set on the
	// third; the last page is whole. c: in progress everywhere.
	for _, q := range []string{
		`INSERT OR REPLACE INTO doc_status(doc_id, layer_id, status) SELECT d.id, l.id, 'done' FROM documents d, layers l WHERE l.name IN ('a', 'b')`,
		`INSERT OR REPLACE INTO doc_status(doc_id, layer_id, status) SELECT d.id, l.id, 'in_progress' FROM documents d, layers l WHERE l.name = 'c'`,
		`UPDATE doc_status SET status = 'skipped' WHERE doc_id = 100 AND layer_id = (SELECT id FROM layers WHERE name = 'b')`,
		`UPDATE doc_status SET status = 'in_progress' WHERE doc_id = 700 AND layer_id = (SELECT id FROM layers WHERE name = 'b')`,
		`DELETE FROM doc_status WHERE doc_id = 1300 AND layer_id = (SELECT id FROM layers WHERE name = 'b')`,
		`DELETE FROM documents WHERE id BETWEEN 200 AND 260 OR id = 1024`,
	} {
		if _, err := s.db.ExecContext(ctx, q); err != nil {
			t.Fatal(q, err)
		}
	}
	for _, layers := range [][]string{nil, {"b"}, {"c", "a"}} {
		n := 0
		err := s.EachDocument(ctx, layers, annotate.ReadKeys, func(d *annotate.AnnotatedDoc) error {
			n++
			for _, layer := range []string{"a", "b", "c"} {
				want, _, err := s.Status(ctx, d.ID, layer)
				if err != nil {
					return err
				}
				if layers != nil && !slices.Contains(layers, layer) {
					if _, ok := d.Layers[layer]; ok {
						t.Errorf("layers %v, document %d: layer %s read", layers, d.ID, layer)
					}
					continue
				}
				if got := d.Layer(layer).Status; got != want {
					t.Errorf("layers %v, document %d, %s: %s, want %s", layers, d.ID, layer, got, want)
				}
			}
			return nil
		})
		if err != nil || n != 1600-62 {
			t.Fatalf("layers %v: read %d documents, err %v", layers, n, err)
		}
	}

	stop := errors.New("enough")
	n := 0
	err := s.EachDocument(ctx, nil, annotate.ReadKeys, func(*annotate.AnnotatedDoc) error {
		if n++; n == 600 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) {
		t.Fatal(err)
	}
	if err := s.SetStatus(ctx, 5, "c", annotate.Done); err != nil {
		t.Fatal(err)
	}
	var busy, frames, done int
	if err := s.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &frames, &done); err != nil || busy != 0 {
		t.Errorf("checkpoint after a reading stopped early: busy %d, %d of %d frames, %v", busy, done, frames, err)
	}
}

// TestEachDocumentLayerAdded: reading every layer, a layer added while
// the reading goes on is left out of the pages read after it, not named
// "" in them.
func TestEachDocumentLayerAdded(t *testing.T) {
	ctx := context.Background()
	const docs = 20000 // far more pages than the readers read ahead
	s := withNumberedDocuments(t, docs)
	if _, err := s.AddSpan(ctx, annotate.Span{DocID: 1, Layer: "amira", Start: 0, End: 3, Label: "PERSON"}); err != nil {
		t.Fatal(err)
	}
	n := 0
	err := s.EachDocument(ctx, nil, annotate.ReadSpans, func(d *annotate.AnnotatedDoc) error {
		if n++; n == 1 {
			if _, err := s.AddSpan(ctx, annotate.Span{DocID: docs, Layer: "late", Start: 0, End: 3, Label: "PLACE"}); err != nil {
				return err
			}
		}
		for name := range d.Layers {
			if name != "amira" {
				t.Errorf("document %d has a layer %q", d.ID, name)
			}
		}
		return nil
	})
	if err != nil || n != docs {
		t.Fatalf("read %d documents: %v", n, err)
	}
}

// agreePack is a pack of ten spans, as the agreement project's documents
// hold (a million documents in three layers: thirty million spans for
// qalam agree).
func agreePack() string {
	var items []string
	for k := range 10 {
		items = append(items, fmt.Sprintf("%d,%d,%d,i,%d", k*180+37, k*180+61, k%3+1, 2900000+k))
	}
	return strings.Join(items, ";")
}

// BenchmarkUnpackSpans reads agreePack's spans whole.
func BenchmarkUnpackSpans(b *testing.B) {
	labels, pack := labelNames{1: "PERSON", 2: "PLACE", 3: "EVENT"}, agreePack()
	dst := make([]annotate.Span, 0, 10)
	for b.Loop() {
		var err error
		if dst, _, err = unpack(dst[:0], nil, false, pack, 123456, "amira", labels); err != nil || len(dst) != 10 {
			b.Fatal(err)
		}
	}
}

// BenchmarkUnpackKeys reads agreePack's spans as keys, as qalam agree
// does.
func BenchmarkUnpackKeys(b *testing.B) {
	labels, pack := labelNames{1: "PERSON", 2: "PLACE", 3: "EVENT"}, agreePack()
	dst := make([]annotate.SpanKey, 0, 10)
	for b.Loop() {
		var err error
		if _, dst, err = unpack(nil, dst[:0], true, pack, 123456, "amira", labels); err != nil || len(dst) != 10 {
			b.Fatal(err)
		}
	}
}

// TestSpansSorted holds spansSorted to annotate.CompareSpans's order, on
// random spans with many ties in start and end.
func TestSpansSorted(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		spans := make([]annotate.Span, rng.IntN(6))
		for i := range spans {
			spans[i] = annotate.Span{ID: rng.Int64N(3), Start: rng.IntN(3), End: 3 + rng.IntN(3)}
		}
		if rng.IntN(2) == 0 {
			slices.SortFunc(spans, annotate.CompareSpans)
		}
		if got, want := spansSorted(spans), slices.IsSortedFunc(spans, annotate.CompareSpans); got != want {
			t.Fatalf("spansSorted(%v) = %v, want %v", spans, got, want)
		}
	}
}
