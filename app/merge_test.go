package app

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/project"
)

// layerNames lists the project's layers.
func layerNames(t *testing.T, s annotate.Store) []string {
	t.Helper()
	ls, err := s.Layers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range ls {
		out = append(out, l.Name)
	}
	return out
}

func spanCount(t *testing.T, s annotate.Store) map[string]int {
	t.Helper()
	st, err := s.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for name, l := range st.Layers {
		out[name] = l.Spans
	}
	return out
}

// TestMergeProjects merges two annotators' projects into the reviewer's:
// the layers come in, merging again changes nothing, a layer that differs
// is refused with a message and comes in under another name when asked.
func TestMergeProjects(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	pa := buildProject(t, dir, "A", []string{"amira"})
	pb := buildProject(t, dir, "B", []string{"badr"})
	ws := openReview(t, filepath.Join(dir, "review"+project.Ext))

	ws.runMerge([]string{pa, pb}, nil)
	ws.jobs.Wait()
	if !overlayHas(ws, "A.qalam: layers amira; 4 new documents") || !overlayHas(ws, "B.qalam: layers badr; 0 new documents") {
		t.Error("no merge summary")
	}
	ws.closeDialog()
	if got := layerNames(t, ws.Store); !reflect.DeepEqual(got, []string{"amira", "badr"}) {
		t.Errorf("layers %v after merging", got)
	}
	if ws.docs.pager.count != 4 || ws.doc.ID == 0 {
		t.Errorf("the list shows %d documents (open: %d) after merging", ws.docs.pager.count, ws.doc.ID)
	}
	counts := spanCount(t, ws.Store)

	// Merging twice changes nothing.
	ws.runMerge([]string{pa, pb}, nil)
	ws.jobs.Wait()
	if !overlayHas(ws, "A.qalam: nothing new; layers amira are here already, unchanged") {
		t.Error("the second merge does not say it changed nothing")
	}
	ws.closeDialog()
	if got := spanCount(t, ws.Store); !reflect.DeepEqual(got, counts) {
		t.Errorf("the second merge changed the spans: %v, were %v", got, counts)
	}

	// amira works on in her project: merging again is refused, then
	// brought in under another name.
	src, err := testOpen(ctx, pa, project.Create)
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := src.DocumentByHash(ctx, annotate.Hash(reviewDocs[1].text))
	if _, err := src.AddSpan(ctx, annotate.Span{DocID: doc.ID, Layer: "amira", Start: 6, End: 8, Label: "EVENT"}); err != nil {
		t.Fatal(err)
	}
	src.Close()
	ws.runMerge([]string{pa}, nil)
	ws.jobs.Wait()
	if !overlayHas(ws, "Layer amira of A.qalam already exists in this project with different content. Nothing from A.qalam was merged") {
		t.Fatal("no conflict message")
	}
	if got := spanCount(t, ws.Store); !reflect.DeepEqual(got, counts) {
		t.Errorf("a refused merge changed the project: %v", got)
	}
	entry := topEntry(t, ws, anyEntry)
	if entry.Text != "amira-2" {
		t.Fatalf("the new name offered is %v", entry)
	}
	entry.SetText("badr")
	if entry.Validate() == nil {
		t.Error("a name the project has is accepted")
	}
	entry.SetText("amira-v2")
	tapButton(t, ws, "Bring in under these names")
	ws.jobs.Wait()
	if !overlayHas(ws, "A.qalam: layers amira-v2") {
		t.Error("no summary after the rename")
	}
	ws.closeDialog()
	got := spanCount(t, ws.Store)
	if got["amira"] != counts["amira"] || got["amira-v2"] != counts["amira"]+1 {
		t.Errorf("after the rename: %v (amira had %d)", got, counts["amira"])
	}

	// Skipping leaves everything as it is.
	ws.runMerge([]string{pa}, map[string]map[string]string{pa: {"amira": "badr"}})
	ws.jobs.Wait()
	if !overlayHas(ws, "Layers amira") && !overlayHas(ws, "Layer amira") {
		t.Fatal("renaming onto a layer that differs is not refused")
	}
	tapButton(t, ws, "Skip this project")
	if !overlayHas(ws, "A.qalam: skipped") {
		t.Error("no summary after skipping")
	}
	if after := spanCount(t, ws.Store); !reflect.DeepEqual(after, got) {
		t.Errorf("skipping changed the project: %v", after)
	}
}
