package app

import (
	"context"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/recommend"
	"github.com/qalam-annotate/qalam/modelserver"
	"github.com/qalam-annotate/qalam/modelserver/modelservertest"
)

// withoutLearning switches the built-in recommender off in the project,
// for tests of the other suggestions.
func withoutLearning(t *testing.T, ws *Workspace) {
	t.Helper()
	if err := recommend.Switch(context.Background(), ws.Store, "", false); err != nil {
		t.Fatal(err)
	}
	ws.startLearning()
	ws.reload()
}

// suggested lists the open suggestions shown, as "LABEL:text", and
// checks that the article view draws each as a suggestion.
func suggested(t *testing.T, ws *Workspace) []string {
	t.Helper()
	var out []string
	for _, sp := range ws.suggests {
		out = append(out, sp.Label+":"+ws.spanText(sp))
	}
	drawn := 0
	for _, m := range ws.ui.view.Spans() {
		if m.Suggestion {
			drawn++
		}
	}
	if drawn != len(ws.suggests) {
		t.Errorf("the view draws %d suggestions, the list has %d", drawn, len(ws.suggests))
	}
	return out
}

// addDocument imports a document into the window's project, and lists it.
func addDocument(t *testing.T, ws *Workspace, name, text string) int64 {
	t.Helper()
	id := importDocument(t, ws.Store, name, text)
	ws.docs.reset()
	return id
}

// importDocument imports a document into s and returns its id.
func importDocument(t *testing.T, s annotate.Store, name, text string) int64 {
	t.Helper()
	im, err := s.NewImporter(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	id, _, err := im.Add(annotate.NewDocument(name, text, nil))
	if err != nil || im.Close() != nil {
		t.Fatal(err)
	}
	return id
}

// TestLearnedSuggestions follows amira: a name she labels is proposed at
// its other places in the document and in the next one (after a
// proclitic too), a rejection is undone with Ctrl+Z, accepting takes them
// all, and the switches take them away.
func TestLearnedSuggestions(t *testing.T) {
	ws, _ := newSample(t)
	if got := suggested(t, ws); got != nil {
		t.Fatalf("suggestions before any work: %q", got)
	}
	n := strings.Count(ws.doc.Text, "ترامب")
	s, e := find(t, ws, "ترامب", 0)
	selectText(ws, s, e)
	test.Type(ws.ui.view, "1")
	got := suggested(t, ws)
	if len(got) != n-1 {
		t.Fatalf("after labelling ترامب once of %d: %q", n, got)
	}
	for _, sp := range ws.suggests {
		if sp.Layer != annotate.OwnSuggestions("amira") || ws.spanText(sp) != "ترامب" || sp.Label != "PERSON" {
			t.Errorf("suggestion %+v %q", sp, ws.spanText(sp))
		}
	}
	// X rejects the one at the caret; Ctrl+Z brings it back.
	first := ws.suggests[0]
	ws.ui.view.SetSelection(first.Start, first.Start)
	test.Type(ws.ui.view, "x")
	if len(ws.suggests) != n-2 {
		t.Errorf("%d open after rejecting one, want %d", len(ws.suggests), n-2)
	}
	shortcut(ws, &fyne.ShortcutUndo{})
	if len(ws.suggests) != n-1 || !strings.Contains(ws.ui.message.Text, "reject suggestion") {
		t.Errorf("%d open after undoing the rejection (%q), want %d", len(ws.suggests), ws.ui.message.Text, n-1)
	}
	// Accept all, as one edit.
	shortcut(ws, &desktop.CustomShortcut{KeyName: fyne.KeyA, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift})
	if len(ws.spans) != n || len(ws.suggests) != 0 {
		t.Errorf("after accepting all: %d spans, %d suggestions", len(ws.spans), len(ws.suggests))
	}

	// The next document: ترامب and, after a proclitic, موسكو.
	s, e = find(t, ws, "موسكو", 0)
	selectText(ws, s, e)
	test.Type(ws.ui.view, "2")
	other := addDocument(t, ws, "next", "قال ترامب في موسكو، ثم عاد وبموسكو ثلج. ترامبي ليس اسماً.")
	ws.openDocument(other)
	if got, want := suggested(t, ws), []string{"PERSON:ترامب", "PLACE:موسكو", "PLACE:موسكو"}; !reflect.DeepEqual(got, want) {
		t.Errorf("the next document: %q, want %q", got, want)
	}
	// Ctrl+Down selects a suggestion; the status bar says where it comes from.
	shortcut(ws, &desktop.CustomShortcut{KeyName: fyne.KeyDown, Modifier: fyne.KeyModifierShortcutDefault})
	if !strings.Contains(ws.ui.message.Text, "learned from your earlier work") {
		t.Errorf("hint %q", ws.ui.message.Text)
	}

	// Switched off for amina: they go, and come back when switched on.
	ws.toggleRecommender(false)
	if got := suggested(t, ws); got != nil {
		t.Errorf("switched off for amira: %q", got)
	}
	if menuChecked(ws, "Suggest names I labelled before") {
		t.Error("the menu says on")
	}
	ws.toggleRecommender(false)
	if got := suggested(t, ws); len(got) != 3 || !menuChecked(ws, "Suggest names I labelled before") {
		t.Errorf("switched on again: %q", got)
	}
	ws.toggleRecommender(true)
	if got := suggested(t, ws); got != nil || menuChecked(ws, "Suggest learned names in this project (everyone)") {
		t.Errorf("switched off for the project: %q", got)
	}
	ws.toggleRecommender(true)

	// Another annotator sees none of amira's.
	ws.setLayer("badr")
	if got := suggested(t, ws); got != nil {
		t.Errorf("badr sees %q", got)
	}
}

// TestAlternativeLabel: a name labelled two ways is proposed with the
// label used most, the other shown beside it.
func TestAlternativeLabel(t *testing.T) {
	ws, _ := newSample(t)
	ctx := context.Background()
	text := "واشنطن هنا وواشنطن هناك وواشنطن أيضاً"
	a := addDocument(t, ws, "a", text)
	for i, label := range []string{"PLACE", "PLACE", "PERSON"} {
		occ := annotate.FindOccurrences(text, "واشنطن")[i]
		if _, err := ws.Store.AddSpan(ctx, annotate.Span{DocID: a, Layer: "amira", Start: occ.Start, End: occ.End, Label: label}); err != nil {
			t.Fatal(err)
		}
	}
	ws.startLearning()
	b := addDocument(t, ws, "b", "وصل إلى واشنطن")
	ws.openDocument(b)
	if got := suggested(t, ws); !reflect.DeepEqual(got, []string{"PLACE:واشنطن"}) {
		t.Fatalf("suggested %q", got)
	}
	o := ws.ui.suggestList.CreateItem()
	ws.ui.suggestList.UpdateItem(0, o)
	row := o.(*spanListRow)
	if l := row.label.Text; l != "PLACE" {
		t.Errorf("the list says %q", l)
	}
	if !row.alt.Visible() || row.alt.FillColor != ws.labelColor("PERSON") {
		t.Errorf("no swatch of the alternative beside the label's: %v", row.alt)
	}
	ws.spanTapped(ws.suggests[0].ID)
	if !strings.Contains(unisolated(ws.ui.message.Text), "also labelled PERSON: 1 accepts it so") {
		t.Errorf("hint %q", ws.ui.message.Text)
	}
	test.Type(ws.ui.view, "1")
	if len(ws.spans) != 1 || ws.spans[0].Label != "PERSON" || ws.spans[0].Origin != annotate.Suggested {
		t.Errorf("accepted as the alternative: %+v", ws.spans)
	}
}

// TestNoSuggestionsForReviewers: adjudicating edits gold, to which
// nothing is ever proposed, and the adjudication shows no suggestion.
func TestNoSuggestionsForReviewers(t *testing.T) {
	path := buildProject(t, t.TempDir(), "review", nil)
	ws := openReview(t, path)
	id := docID(t, ws, "washington")
	ws.adjudicate(id)
	a := ws.review.adj
	if a == nil {
		t.Fatal("no adjudication window")
	}
	a.acceptAll()
	layers := layerNames(t, ws.Store)
	for _, l := range layers {
		if annotate.KindOf(l) == annotate.SuggestionLayer {
			t.Errorf("adjudicating made suggestion layer %s", l)
		}
	}
	if _, _, err := recommend.Store(context.Background(), ws.Store, id, annotate.Gold, []recommend.Proposal{{Start: 0, End: 3, Label: "PLACE"}}); err == nil {
		t.Error("gold was proposed to")
	}
}

func menuChecked(ws *Workspace, name string) bool {
	for _, m := range ws.mainMenu().Items {
		for _, it := range m.Items {
			if it.Label == name {
				return it.Checked
			}
		}
	}
	return false
}

// TestModelServer asks a Label Studio ML backend about the document
// shown and about the queue, and one that is down.
func TestModelServer(t *testing.T) {
	ws, _ := newSample(t)
	backend := &modelservertest.LabelStudio{Names: map[string]string{"ترامب": "PER", "زيلينسكي": "PER", "رويترز": "ORG"}}
	srv := httptest.NewServer(backend)
	defer srv.Close()
	ws.modelCache().mappings[srv.URL] = modelserver.Mapping{"PER": "PERSON", "ORG": ""}
	client, err := modelserver.New(modelserver.Config{URL: srv.URL}, ws.modelCache().answers)
	if err != nil {
		t.Fatal(err)
	}
	ws.askModelServer(client, false)
	ws.jobs.Wait()
	n := strings.Count(ws.doc.Text, "ترامب") + strings.Count(ws.doc.Text, "زيلينسكي")
	if len(ws.suggests) != n || ws.suggests[0].Layer != annotate.Suggestion {
		t.Errorf("%d suggestions from the server, want %d: %+v", len(ws.suggests), n, ws.suggests)
	}
	if msg := unisolated(ws.ui.message.Text); !strings.Contains(msg, srv.URL+": ") || !strings.Contains(msg, "in 1 of 1 document.") || !strings.Contains(msg, "ORG") {
		t.Errorf("message %q", ws.ui.message.Text)
	}
	// Asking again costs the server nothing: the answer is cached.
	ws.askModelServer(client, false)
	ws.jobs.Wait()
	if backend.Requests.Load() != 1 {
		t.Errorf("%d requests for one document", backend.Requests.Load())
	}
	// The queue: every unfinished document of the sample.
	ws.askModelServer(client, true)
	ws.jobs.Wait()
	if !strings.Contains(ws.ui.message.Text, "in 6 of 6 documents") {
		t.Errorf("queue: %q", ws.ui.message.Text)
	}

	srv.Close()
	down, _ := modelserver.New(modelserver.Config{URL: srv.URL}, nil)
	ws.askModelServer(down, true)
	ws.jobs.Wait()
	if !overlayHas(ws, "does not answer") {
		t.Error("no message for a server that is down")
	}
}

// TestMappingDialog: the model's labels the project lacks are listed
// once, with a guess, and map to a project label or are left out.
func TestMappingDialog(t *testing.T) {
	ws, _ := newSample(t)
	var got modelserver.Mapping
	m := ws.mappingDialog([]string{"PER", "GPE", "ORG"}, func(mp modelserver.Mapping) { got = mp })
	if m.selects["PER"].Selected != "PERSON" || m.selects["GPE"].Selected != "PLACE" || m.selects["ORG"].Selected != "Leave them out" {
		t.Errorf("guesses %s %s %s", m.selects["PER"].Selected, m.selects["GPE"].Selected, m.selects["ORG"].Selected)
	}
	m.selects["ORG"].SetSelected("EVENT")
	m.selects["GPE"].SetSelected("Leave them out")
	m.answer(true)
	if want := (modelserver.Mapping{"PER": "PERSON", "GPE": "", "ORG": "EVENT"}); !reflect.DeepEqual(got, want) {
		t.Errorf("mapping %v, want %v", got, want)
	}
	got = nil
	ws.mappingDialog([]string{"PER"}, func(mp modelserver.Mapping) { got = mp })
	ws.closeDialog() // Escape: all left out
	if want := (modelserver.Mapping{"PER": ""}); !reflect.DeepEqual(got, want) {
		t.Errorf("closed: %v", got)
	}
}

// TestDashboardSaysSuggestions: the agreement dashboard says which
// layers worked with suggestions.
func TestDashboardSaysSuggestions(t *testing.T) {
	path := buildProject(t, t.TempDir(), "review", nil)
	ws := openReview(t, path)
	ctx := context.Background()
	id := docID(t, ws, "washington")
	doc, _ := ws.Store.Document(ctx, id)
	if err := recommend.Switch(ctx, ws.Store, "badr", false); err != nil {
		t.Fatal(err)
	}
	occ := annotate.FindOccurrences(doc.Text, "ترامب")
	if len(occ) == 0 {
		t.Fatalf("no ترامب in %q", doc.Text)
	}
	if _, _, err := recommend.Store(ctx, ws.Store, id, "amira", []recommend.Proposal{{Start: occ[0].Start, End: occ[0].End, Label: "EVENT"}}); err != nil {
		t.Fatal(err)
	}
	sg, _ := ws.Store.Suggestions(ctx, id, "amira")
	if _, err := ws.Store.AcceptSuggestions(ctx, id, "amira", "", sg[0].ID); err != nil {
		t.Fatal(err)
	}
	d := dashboardFor(t, ws, []string{"amira", "badr"})
	ws.jobs.Wait()
	text := unisolated(d.suggestUse.Text)
	for _, want := range []string{"amira: 1 of", "spans accepted from suggestions (1 document), learned suggestions on", "badr: 0 of", "(0 documents), learned suggestions off"} {
		if !strings.Contains(text, want) {
			t.Errorf("the dashboard says %q, not %q", text, want)
		}
	}
}

// TestTwins: a name suggested by two sources shows once, and rejecting
// it rejects both.
func TestTwins(t *testing.T) {
	ws, _ := newSample(t)
	ctx := context.Background()
	n := strings.Count(ws.doc.Text, "ترامب")
	s1, e1 := find(t, ws, "ترامب", 1)
	if _, err := ws.Store.AddSpan(ctx, annotate.Span{DocID: ws.doc.ID, Layer: "amira", Start: s1, End: e1, Label: "PERSON"}); err != nil {
		t.Fatal(err)
	}
	ws.startLearning()
	ws.reload()
	if len(ws.suggests) != n-1 {
		t.Fatalf("%d learned suggestions, want %d", len(ws.suggests), n-1)
	}
	s, e := find(t, ws, "ترامب", 0)
	ai, err := ws.Store.NewAnnotationImporter(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ai.Add(ws.doc.ID, annotate.Suggestion, []annotate.Span{{Start: s, End: e, Label: "PERSON"}}, ""); err != nil || ai.Close() != nil {
		t.Fatal(err)
	}
	ws.reload()
	if open, _ := ws.Store.Suggestions(ctx, ws.doc.ID, "amira"); len(open) != n || len(ws.suggests) != n-1 {
		t.Fatalf("%d open, %d shown; want %d and %d", len(open), len(ws.suggests), n, n-1)
	}
	ws.rejectSuggestions(ws.suggests[0].ID)
	if open, _ := ws.Store.Suggestions(ctx, ws.doc.ID, "amira"); len(open) != n-2 || len(ws.suggests) != n-2 {
		t.Errorf("after rejecting the twins: %d open, %d shown; want %d", len(open), len(ws.suggests), n-2)
	}
}
