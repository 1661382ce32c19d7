// Package storetest is the store contract's conformance suite: every rule
// a project store must keep (edits and undo across reopening, statuses,
// labels, search with harakat and proclitics, suggestions, adjudication,
// assignment, bulk import, merging, edits from two stores at once), run
// against any store:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) storetest.Opener { ... })
//	}
package storetest

import (
	"context"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
)

// Opener opens the test's project called name: a new, empty one (with the
// default labels) the first time, the same project again later (after the
// store was closed, or beside it, as a second window would). The stores it
// returns are closed when the test ends.
type Opener func(name string) annotate.Store

// Run runs the suite; newOpener gives each test an Opener of its own.
func Run(t *testing.T, newOpener func(t *testing.T) Opener) {
	tests := []struct {
		name string
		run  func(t *testing.T, open Opener)
	}{
		{"ImporterSkipsDuplicates", testImporterSkipsDuplicates},
		{"TextHead", testTextHead},
		{"EditsUndoRedo", testEditsUndoRedo},
		{"UndoAfterIDReuse", testUndoAfterIDReuse},
		{"ImportEndsUndo", testImportEndsUndo},
		{"SpanValidation", testSpanValidation},
		{"StatusAndFlag", testStatusAndFlag},
		{"Labels", testLabels},
		{"StatsAndComments", testStatsAndComments},
		{"Settle", testSettle},
		{"SettleUndo", testSettleUndo},
		{"Assign", testAssign},
		{"AnnotationImportAndEachDocument", testAnnotationImportAndEachDocument},
		{"EachDocumentPages", testEachDocumentPages},
		{"EachDocumentMatchesReads", testEachDocumentMatchesReads},
		{"Merge", testMerge},
		{"Search", testSearch},
		{"SearchIndexResumes", testSearchIndexResumes},
		{"CountMatchesList", testCountMatchesList},
		{"CorpusOccurrences", testCorpusOccurrences},
		{"Navigation", testNavigation},
		{"Suggestions", testSuggestions},
		{"ConcurrentEdits", testConcurrentEdits},
		{"RejectUndo", testRejectUndo},
		{"OwnSuggestions", testOwnSuggestions},
		{"Settings", testSettings},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, newOpener(t)) })
	}
}

func newImporter(t testing.TB, s annotate.Bulk) annotate.DocumentImporter {
	t.Helper()
	im, err := s.NewImporter(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return im
}

// AddDoc adds a document of that name and text, new to s, and returns
// its id.
func AddDoc(t testing.TB, s annotate.Bulk, name, text string) int64 {
	t.Helper()
	im := newImporter(t, s)
	id, added, err := im.Add(annotate.NewDocument(name, text, nil))
	if err != nil || !added {
		t.Fatalf("add %s: added=%v err=%v", name, added, err)
	}
	if err := im.Close(); err != nil {
		t.Fatal(err)
	}
	return id
}

// listDocs is the documents q selects, from q.Offset, at most q.Limit.
func listDocs(ctx context.Context, s annotate.Store, q annotate.DocQuery) ([]annotate.DocSummary, error) {
	return s.DocumentPage(ctx, q, 0, q.Offset, q.Limit)
}

func docIDs(ds []annotate.DocSummary) []int64 {
	var out []int64
	for _, d := range ds {
		out = append(out, d.ID)
	}
	return out
}

// project opens a project and fills it: doc adds a document.
func project(t *testing.T, open Opener, name string, work func(s annotate.Store, doc func(text string) int64)) annotate.Store {
	t.Helper()
	s := open(name)
	work(s, func(text string) int64 {
		ai, err := s.NewAnnotationImporter(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		d, _, err := ai.Document(annotate.NewDocument("n", text, nil))
		if err != nil {
			t.Fatal(err)
		}
		if err := ai.Close(); err != nil {
			t.Fatal(err)
		}
		return d.ID
	})
	return s
}

// layerSummary writes a layer's work, document by document: the text and
// status, then each span's label and text.
func layerSummary(t *testing.T, s annotate.Store, layer string) []string {
	t.Helper()
	var out []string
	err := s.EachDocument(context.Background(), []string{layer}, annotate.ReadText, func(d *annotate.AnnotatedDoc) error {
		ld, ok := d.Layers[layer]
		if !ok {
			return nil
		}
		out = append(out, d.Text+"/"+string(ld.Status))
		for _, sp := range ld.Spans {
			out = append(out, sp.Label+":"+string([]rune(d.Text)[sp.Start:sp.End]))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
