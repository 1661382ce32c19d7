package app

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/agreement"
	"github.com/qalam-annotate/qalam/assets"
	"github.com/qalam-annotate/qalam/export"
	"github.com/qalam-annotate/qalam/project"
	"github.com/qalam-annotate/qalam/widgets"
)

// mark is a span by its text: the n-th occurrence of text in a document.
type mark struct {
	text  string
	label string
}

// layerWork is one layer's work on one document.
type layerWork struct {
	layer string
	done  bool
	marks []mark
}

// reviewDocs are the documents of the review project, with amira's,
// badr's and karim's work on them.
var reviewDocs = []struct {
	name, text string
	work       []layerWork
}{
	{"washington", "ستيف ويتكوف في واشنطن مع ترامب", []layerWork{
		{"amira", true, []mark{{"ستيف ويتكوف", "PERSON"}, {"واشنطن", "PLACE"}, {"ترامب", "PERSON"}}},
		{"badr", true, []mark{{"ستيف ويتكوف", "PERSON"}, {"واشنطن", "PERSON"}}},
		{"karim", true, []mark{{"ستيف ويتكوف", "PERSON"}, {"واشنطن", "PLACE"}, {"ترامب", "PERSON"}}},
	}},
	{"alaska", "ترامب في ألاسكا", []layerWork{
		{"amira", true, []mark{{"ترامب", "PERSON"}, {"ألاسكا", "PLACE"}}},
		{"badr", true, []mark{{"ترامب", "PERSON"}, {"ألاسكا", "PLACE"}}},
	}},
	{"moscow", "بوتين في موسكو", []layerWork{
		{"amira", true, []mark{{"بوتين", "PERSON"}}},
		{"badr", true, []mark{{"بوتين", "PERSON"}, {"موسكو", "PLACE"}}},
		{"karim", true, []mark{{"بوتين", "PERSON"}, {"موسكو", "EVENT"}}},
	}},
	{"unfinished", "قمة في بكين", []layerWork{
		{"amira", true, []mark{{"بكين", "PLACE"}}},
		{"badr", false, []mark{{"قمة", "EVENT"}}},
	}},
}

// at is the code-point range of text in doc.
func at(t testing.TB, doc, text string) (int, int) {
	t.Helper()
	i := strings.Index(doc, text)
	if i < 0 {
		t.Fatalf("%q not in %q", text, doc)
	}
	s := len([]rune(doc[:i]))
	return s, s + len([]rune(text))
}

// buildProject writes a project with the given layers' work on the review
// documents (all layers when layers is nil) and returns its path.
func buildProject(t testing.TB, dir, name string, layers []string) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(dir, name+project.Ext)
	s, err := testOpen(ctx, path, project.Create)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	im, err := s.NewImporter(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for _, d := range reviewDocs {
		id, _, err := im.Add(annotate.NewDocument(d.name, d.text, nil))
		if err != nil {
			t.Fatal(err)
		}
		ids[d.name] = id
	}
	if err := im.Close(); err != nil {
		t.Fatal(err)
	}
	for _, d := range reviewDocs {
		for _, w := range d.work {
			if layers != nil && !slices.Contains(layers, w.layer) {
				continue
			}
			for _, m := range w.marks {
				st, en := at(t, d.text, m.text)
				if _, err := s.AddSpan(ctx, annotate.Span{DocID: ids[d.name], Layer: w.layer, Start: st, End: en, Label: m.label}); err != nil {
					t.Fatal(err)
				}
			}
			if w.done {
				if err := s.SetStatus(ctx, ids[d.name], w.layer, annotate.Done); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	return path
}

// openReview opens a project in a workspace as annotator rev.
func openReview(t *testing.T, path string) *Workspace {
	t.Helper()
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	a := test.NewTempApp(t)
	return openWSAs(t, a, path, "rev")
}

// docID finds a document of the workspace's project by name.
func docID(t *testing.T, ws *Workspace, name string) int64 {
	t.Helper()
	var id int64
	ws.Store.EachDocument(context.Background(), []string{}, annotate.ReadSpans, func(d *annotate.AnnotatedDoc) error {
		if d.Name == name {
			id = d.ID
		}
		return nil
	})
	if id == 0 {
		t.Fatalf("no document %s", name)
	}
	return id
}

// dashboardFor opens the dashboard comparing layers and waits for its
// figures.
func dashboardFor(t *testing.T, ws *Workspace, layers []string) *dashboard {
	t.Helper()
	ws.reviewState().layers = layers
	ws.showAgreement()
	ws.jobs.Wait()
	d := ws.review.dash
	if d == nil || d.data == nil {
		t.Fatalf("the dashboard computed nothing: %q", d.summary.Text)
	}
	return d
}

// cells lists the heat map's cells as drawn, row by row.
func cells(d *dashboard) []string {
	var out []string
	walk(d.heat, func(o fyne.CanvasObject) {
		if c, ok := o.(*widgets.HeatCell); ok {
			out = append(out, c.Text())
		}
	})
	return out
}

// docRows lists the dashboard's document list as drawn.
func docRows(d *dashboard) []string {
	var out []string
	for i := range d.docs.Length() {
		o := d.docs.CreateItem()
		d.docs.UpdateItem(i, o)
		r := o.(*reviewRow)
		out = append(out, r.name.Text+": "+r.info.Text)
	}
	return out
}

// TestDashboard checks the dashboard's figures against project.Agreement
// for two and three layers, the heat map and bars drawn from them, and
// the documents most disagreement first.
func TestDashboard(t *testing.T) {
	path := buildProject(t, t.TempDir(), "review", nil)
	ctx := context.Background()
	for _, c := range []struct {
		layers  []string
		docs    []string // the list, top down
		summary string
	}{
		{
			layers: []string{"amira", "badr"},
			docs: []string{
				"washington: 2 of 3 stretches differ · 0 settled",
				"moscow: 1 of 2 stretches differ · 0 settled",
				"alaska: 0 of 2 stretches differ · 0 settled",
			},
			summary: "Adjudication: 0 of 7 stretches settled (3 differ) · gold done on 0 of 3 documents",
		},
		{
			layers: []string{"amira", "badr", "karim"},
			docs: []string{
				"washington: 2 of 3 stretches differ · 0 settled",
				"moscow: 1 of 2 stretches differ · 0 settled",
				"alaska: 0 of 2 stretches differ · 0 settled",
			},
			summary: "Adjudication: 0 of 7 stretches settled (3 differ) · gold done on 0 of 3 documents",
		},
	} {
		t.Run(strings.Join(c.layers, ","), func(t *testing.T) {
			ws := openReview(t, path)
			d := dashboardFor(t, ws, c.layers)
			want, err := project.Agreement(ctx, ws.Store, c.layers, agreement.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(d.data.Report, want) {
				t.Errorf("the dashboard's report differs from project.Agreement:\n%+v\nwant\n%+v", d.data.Report, want)
			}
			for m, measure := range pairMeasures() {
				d.measureSel.SetSelectedIndex(m)
				var wantCells []string
				for i := range c.layers {
					for j := range c.layers {
						if i == j {
							wantCells = append(wantCells, "—")
							continue
						}
						v := measure.get(want.Pairs[pairIndex(want.Pairs, c.layers[min(i, j)], c.layers[max(i, j)])])
						wantCells = append(wantCells, valueText(v))
					}
				}
				if got := cells(d); !reflect.DeepEqual(got, wantCells) {
					t.Errorf("%s: heat map %q, want %q", measure.name, got, wantCells)
				}
				var bars []float32
				walk(d.bars, func(o fyne.CanvasObject) {
					if b, ok := o.(*widgets.FigureBar); ok {
						bars = append(bars, b.Fraction())
					}
				})
				var wantBars []float32
				for _, l := range want.Labels {
					v := measure.get(want.PerLabel[l].Pairs[0])
					f := float32(0)
					if v.Defined {
						f = float32(min(max(v.Value, 0), 1))
					}
					wantBars = append(wantBars, f)
				}
				if !reflect.DeepEqual(bars, wantBars) {
					t.Errorf("%s: bars %v, want %v", measure.name, bars, wantBars)
				}
			}
			if got := docRows(d); !reflect.DeepEqual(got, c.docs) {
				t.Errorf("documents\n%q\nwant\n%q", got, c.docs)
			}
			if got := d.settled.Text(); got != c.summary {
				t.Errorf("adjudication progress %q, want %q", got, c.summary)
			}
			if !strings.Contains(d.summary.Text, "Krippendorff's alpha "+valueText(want.KrippendorffAlpha)) {
				t.Errorf("summary %q lacks alpha %s", d.summary.Text, valueText(want.KrippendorffAlpha))
			}
			// Another pair: its cell is outlined and the bars follow it.
			last := len(want.Pairs) - 1
			var tapped bool
			walk(d.heat, func(o fyne.CanvasObject) {
				if cell, ok := o.(*widgets.HeatCell); ok && !tapped && !cell.Diagonal && !cell.Selected {
					test.Tap(cell)
					tapped = true
				}
			})
			if last > 0 && (!tapped || d.pair == 0) {
				t.Errorf("tapping a cell chose pair %d", d.pair)
			}
			p := want.Pairs[d.pair]
			if want := fmt.Sprintf("Per label — F1, overlap, any label, %s × %s", p.A, p.B); unisolated(d.barsTitle.Text) != want {
				t.Errorf("bars title %q, want %q", d.barsTitle.Text, want)
			}
		})
	}
}

// TestDashboardTooFewLayers: with one layer chosen nothing is computed
// and the window says why.
func TestDashboardTooFewLayers(t *testing.T) {
	ws := openReview(t, buildProject(t, t.TempDir(), "review", nil))
	ws.reviewState().layers = []string{"amira"}
	ws.showAgreement()
	ws.jobs.Wait()
	d := ws.review.dash
	if d.data != nil || !strings.Contains(d.summary.Text, "at least two layers") {
		t.Errorf("one layer: data %v, summary %q", d.data, d.summary.Text)
	}
	d.layerChecks.SetSelected([]string{"amira", "karim"})
	ws.jobs.Wait()
	if d.data == nil || !reflect.DeepEqual(d.data.Layers, []string{"amira", "karim"}) {
		t.Fatalf("choosing two layers computed nothing")
	}
	if got := ws.review.layers; !reflect.DeepEqual(got, []string{"amira", "karim"}) {
		t.Errorf("the choice is not remembered: %v", got)
	}
	// washington and moscow: karim finished both, alaska he did not touch.
	if len(d.data.Docs) != 2 {
		t.Errorf("%d documents, want 2", len(d.data.Docs))
	}
}

// goldOf lists gold's spans on a document as the project holds them.
func goldOf(t *testing.T, ws *Workspace, doc int64, text string) []mark {
	t.Helper()
	spans, err := ws.Store.Spans(context.Background(), doc, annotate.Gold)
	if err != nil {
		t.Fatal(err)
	}
	return marksOf(spans, text)
}

// marksOf writes spans by their text, in text order (then by label).
func marksOf(spans []annotate.Span, text string) []mark {
	spans = slices.Clone(spans)
	slices.SortFunc(spans, func(a, b annotate.Span) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End), cmp.Compare(a.Label, b.Label))
	})
	r := []rune(text)
	var out []mark
	for _, sp := range spans {
		out = append(out, mark{string(r[sp.Start:sp.End]), sp.Label})
	}
	return out
}

// goldShown lists the spans gold's view draws.
func goldShown(a *adjudicator) []mark {
	var spans []annotate.Span
	for _, m := range a.views[annotate.Gold].Spans() {
		for _, sp := range a.gold {
			if sp.ID == m.ID && sp.Start == m.Start && sp.End == m.End && m.Color == a.ws.labelColor(sp.Label) {
				spans = append(spans, sp)
			}
		}
	}
	return marksOf(spans, a.doc.Text)
}

func wantGold(t *testing.T, ws *Workspace, a *adjudicator, step string, want []mark, settled string) {
	t.Helper()
	if got := goldOf(t, ws, a.doc.ID, a.doc.Text); !reflect.DeepEqual(got, want) {
		t.Errorf("%s: the project's gold %v, want %v", step, got, want)
	}
	if got := goldShown(a); !reflect.DeepEqual(got, want) {
		t.Errorf("%s: gold's view draws %v, want %v", step, got, want)
	}
	if got := a.ProgressText(); !strings.HasPrefix(got, settled) {
		t.Errorf("%s: progress %q, want it to start %q", step, got, settled)
	}
}

func currentText(a *adjudicator) string {
	if a.current < 0 {
		return ""
	}
	c := a.clusters[a.current]
	return a.text(c.Start, c.End)
}

// TestAdjudicate settles a document from the keyboard: accept one side
// (gold holds it, in the project and on screen), accept the side that
// marked nothing, undo, accept both, settle the agreed stretches in bulk
// (gold becomes done) and undo that.
func TestAdjudicate(t *testing.T) {
	ctx := context.Background()
	ws := openReview(t, buildProject(t, t.TempDir(), "review", nil))
	d := dashboardFor(t, ws, []string{"amira", "badr"})
	d.docs.Select(0) // washington, most disagreement
	a := ws.review.adj
	if a == nil || a.doc.Name != "washington" {
		t.Fatalf("clicking the first document opened %v", a)
	}
	if !reflect.DeepEqual(a.layers, []string{"amira", "badr"}) || len(a.views) != 3 {
		t.Fatalf("layers %v, %d views; want amira, badr and gold", a.layers, len(a.views))
	}
	if got := currentText(a); got != "واشنطن" {
		t.Fatalf("the first stretch shown is %q, want the first that differs", got)
	}
	wantOutlined(t, a, "واشنطن")
	canvas := a.win.Canvas()

	test.TypeOnCanvas(canvas, "1") // amira's PLACE
	wantGold(t, ws, a, "accept amira", []mark{{"واشنطن", "PLACE"}}, "1 of 3 stretches settled")
	if got := currentText(a); got != "ترامب" {
		t.Errorf("after accepting, the current stretch is %q, want the next that differs", got)
	}
	if st, _, _ := ws.Store.Status(ctx, a.doc.ID, annotate.Gold); st != annotate.InProgress {
		t.Errorf("gold is %s, want in progress", st)
	}

	test.TypeOnCanvas(canvas, "2") // badr marked nothing at ترامب
	wantGold(t, ws, a, "accept badr's nothing", []mark{{"واشنطن", "PLACE"}}, "2 of 3 stretches settled")

	press := func(s fyne.Shortcut) { canvas.(fyne.Shortcutable).TypedShortcut(s) }
	press(&fyne.ShortcutUndo{})
	wantGold(t, ws, a, "undo", []mark{{"واشنطن", "PLACE"}}, "1 of 3 stretches settled")
	if got := currentText(a); got != "ترامب" {
		t.Errorf("after undo, the current stretch is %q", got)
	}

	test.TypeOnCanvas(canvas, "a") // all: amira's PERSON
	wantGold(t, ws, a, "accept all", []mark{{"واشنطن", "PLACE"}, {"ترامب", "PERSON"}}, "2 of 3 stretches settled")

	// Every difference settled, the agreed name is next; n goes on to
	// the next difference, p back to the one before.
	if got := currentText(a); got != "ستيف ويتكوف" {
		t.Errorf("after the last difference, the current stretch is %q, want the agreed one", got)
	}
	test.TypeOnCanvas(canvas, "p")
	if got := currentText(a); got != "ترامب" {
		t.Errorf("p went to %q", got)
	}
	test.TypeOnCanvas(canvas, "n") // wraps round
	if got := currentText(a); got != "واشنطن" {
		t.Fatalf("n went to %q", got)
	}
	test.TypeOnCanvas(canvas, "a") // both labels
	wantGold(t, ws, a, "accept both", []mark{{"واشنطن", "PERSON"}, {"واشنطن", "PLACE"}, {"ترامب", "PERSON"}}, "2 of 3 stretches settled")

	press(key(fyne.KeyA, ctrl|fyne.KeyModifierShift)) // the agreed name
	all := []mark{{"ستيف ويتكوف", "PERSON"}, {"واشنطن", "PERSON"}, {"واشنطن", "PLACE"}, {"ترامب", "PERSON"}}
	wantGold(t, ws, a, "accept agreed", all, "3 of 3 stretches settled")
	if st, _, _ := ws.Store.Status(ctx, a.doc.ID, annotate.Gold); st != annotate.Done {
		t.Errorf("every stretch settled, gold is %s, want done", st)
	}
	// The dashboard follows.
	if got := docRows(d)[0]; got != "washington: 2 of 3 stretches differ · 3 settled · gold done" {
		t.Errorf("dashboard row %q", got)
	}
	if got := d.settled.Text(); got != "Adjudication: 3 of 7 stretches settled (3 differ) · gold done on 1 of 3 documents" {
		t.Errorf("dashboard progress %q", got)
	}

	press(&fyne.ShortcutUndo{})
	wantGold(t, ws, a, "undo the bulk", all[1:], "2 of 3 stretches settled")
	if st, _, _ := ws.Store.Status(ctx, a.doc.ID, annotate.Gold); st != annotate.InProgress {
		t.Errorf("after undo gold is %s, want in progress", st)
	}
	press(key(fyne.KeyZ, ctrl|fyne.KeyModifierShift))
	wantGold(t, ws, a, "redo", all, "3 of 3 stretches settled")

	// The annotators' layers are untouched.
	for _, l := range []string{"amira", "badr"} {
		if sp, _ := ws.Store.Spans(ctx, a.doc.ID, l); !reflect.DeepEqual(sp, a.versions[l]) {
			t.Errorf("%s changed: %v", l, sp)
		}
	}

	// Ctrl+Enter: gold is done already; the next document left opens.
	press(key(fyne.KeyReturn, ctrl))
	if a.doc.Name != "moscow" {
		t.Errorf("Ctrl+Enter opened %s, want moscow", a.doc.Name)
	}
}

// wantOutlined checks that every view of the adjudication window marks
// the current stretch, text, with an outline, and selects nothing: the
// theme's selection is blue, close to a label's colour, and made an
// unmarked word look like an EVENT span.
func wantOutlined(t *testing.T, a *adjudicator, text string) {
	t.Helper()
	for name, v := range a.views {
		if s, e := v.Selection(); s != e {
			t.Errorf("%s's view selects %q", name, a.text(s, e))
		}
		if v.SelectedSpan() != stretchMark {
			t.Errorf("%s's view outlines %d, not the stretch", name, v.SelectedSpan())
		}
		found := false
		for _, m := range v.Spans() {
			if m.ID == stretchMark {
				found = true
				if _, _, _, alpha := m.Color.RGBA(); alpha != 0 || a.text(m.Start, m.End) != text {
					t.Errorf("%s's view marks the stretch %q with a fill of alpha %d", name, a.text(m.Start, m.End), alpha)
				}
			}
		}
		if !found {
			t.Errorf("%s's view has no mark of the stretch", name)
		}
	}
}

// The adjudication window closes with Escape and with Ctrl+W, like the
// other windows; Escape while gold is edited only stops editing.
func TestAdjudicateCloses(t *testing.T) {
	ws := openReview(t, buildProject(t, t.TempDir(), "review", nil))
	id := docID(t, ws, "moscow")
	for _, how := range []string{"escape", "ctrl+w", "escape while editing"} {
		ws.adjudicate(id)
		a := ws.review.adj
		c := a.win.Canvas()
		switch how {
		case "escape":
			c.(interface{ OnTypedKey() func(*fyne.KeyEvent) }).OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
		case "ctrl+w":
			c.(fyne.Shortcutable).TypedShortcut(key(fyne.KeyW, ctrl))
		case "escape while editing":
			test.TypeOnCanvas(c, "e")
			c.(interface{ OnTypedKey() func(*fyne.KeyEvent) }).OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
			if ws.review.adj != a || a.editing {
				t.Fatalf("escape while editing: window closed %v, editing %v", ws.review.adj != a, a.editing)
			}
			c.(interface{ OnTypedKey() func(*fyne.KeyEvent) }).OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
		}
		if ws.review.adj != nil {
			t.Errorf("%s left the adjudication window open", how)
		}
	}
}

// A stretch whose versions differ only in their extent shows each
// version's text in the list, not only the stretch's.
func TestStretchCaption(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "extent"+project.Ext)
	ctx := context.Background()
	s, err := testOpen(ctx, path, project.Create)
	if err != nil {
		t.Fatal(err)
	}
	text := "استقبل عبد الفتاح السيسي الوفد"
	im, err := s.NewImporter(ctx)
	if err != nil {
		t.Fatal(err)
	}
	id, _, err := im.Add(annotate.NewDocument("sisi", text, nil))
	if err != nil || im.Close() != nil {
		t.Fatal(err)
	}
	for layer, name := range map[string]string{"amira": "عبد الفتاح السيسي", "badr": "السيسي"} {
		st, en := at(t, text, name)
		if _, err := s.AddSpan(ctx, annotate.Span{DocID: id, Layer: layer, Start: st, End: en, Label: "PERSON"}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetStatus(ctx, id, layer, annotate.Done); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	ws := openReview(t, path)
	ws.adjudicate(id)
	a := ws.review.adj
	o := a.list.CreateItem()
	a.list.UpdateItem(0, o)
	if got := o.(*stretchRow).text.Text; !strings.Contains(got, "عبد الفتاح السيسي") || !strings.Contains(got, "/ السيسي") {
		t.Errorf("the stretch reads %q, not both versions", got)
	}
	wantOutlined(t, a, "عبد الفتاح السيسي")
}

// TestAdjudicateEdit edits gold by hand: E, a label's key on the
// stretch, Enter settles it as gold now has it; Escape leaves without.
func TestAdjudicateEdit(t *testing.T) {
	ws := openReview(t, buildProject(t, t.TempDir(), "review", nil))
	ws.reviewState().layers = []string{"amira", "badr"}
	ws.adjudicate(docID(t, ws, "moscow"))
	a := ws.review.adj
	if got := currentText(a); got != "موسكو" {
		t.Fatalf("current stretch %q", got)
	}
	canvas := a.win.Canvas()
	test.TypeOnCanvas(canvas, "e")
	gv := a.views[annotate.Gold]
	if !a.editing || canvas.Focused() != gv || !strings.HasPrefix(a.keys.Text, "label keys label the selection") {
		t.Fatalf("E: editing %v, focus %v, keys shown %q", a.editing, canvas.Focused(), a.keys.Text)
	}
	test.Type(gv, "3") // EVENT, the label key while editing
	wantGold(t, ws, a, "label in gold", []mark{{"موسكو", "EVENT"}}, "0 of 2 stretches settled")
	// Click the gold span and relabel it.
	a.spanTapped(annotate.Gold, a.gold[0].ID)
	test.Type(gv, "2")
	wantGold(t, ws, a, "relabel in gold", []mark{{"موسكو", "PLACE"}}, "0 of 2 stretches settled")
	gv.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if a.editing {
		t.Error("Enter did not stop editing")
	}
	wantGold(t, ws, a, "settle the edit", []mark{{"موسكو", "PLACE"}}, "1 of 2 stretches settled")

	// Escape leaves the edit mode without settling.
	test.TypeOnCanvas(canvas, "p")
	test.TypeOnCanvas(canvas, "e")
	a.spanTapped(annotate.Gold, a.gold[0].ID)
	gv.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDelete})
	gv.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if a.editing || !strings.HasPrefix(a.keys.Text, "1–9 accept") {
		t.Errorf("Escape: editing %v, keys shown %q", a.editing, a.keys.Text)
	}
	wantGold(t, ws, a, "delete, then escape", nil, "1 of 2 stretches settled")
}

// TestChooseLayers: the layers shown are those that finished the
// document, or every one that worked on it when fewer than two did.
func TestChooseLayers(t *testing.T) {
	sp := []annotate.Span{{Start: 0, End: 1, Label: "PERSON"}}
	for _, c := range []struct {
		name   string
		status map[string]annotate.Status
		spans  map[string][]annotate.Span
		want   []string
		note   string
	}{
		{"all finished", map[string]annotate.Status{"a": annotate.Done, "b": annotate.Done, "c": annotate.Done}, nil, []string{"a", "b", "c"}, ""},
		{"one left out", map[string]annotate.Status{"a": annotate.Done, "b": annotate.InProgress, "c": annotate.Done}, nil, []string{"a", "c"}, "b did not"},
		{"too few finished", map[string]annotate.Status{"a": annotate.Done, "b": annotate.InProgress}, nil, []string{"a", "b"}, "Fewer than two"},
		{"spans without a status", map[string]annotate.Status{"a": annotate.Done}, map[string][]annotate.Span{"c": sp}, []string{"a", "c"}, "Fewer than two"},
		{"nobody", nil, nil, nil, "No compared layer"},
	} {
		got, note := chooseLayers([]string{"a", "b", "c"}, withTodo(c.status), c.spans)
		if !reflect.DeepEqual(got, c.want) || !strings.Contains(unisolated(note), c.note) {
			t.Errorf("%s: %v %q, want %v and a note with %q", c.name, got, note, c.want, c.note)
		}
	}
}

func withTodo(m map[string]annotate.Status) map[string]annotate.Status {
	out := map[string]annotate.Status{"a": annotate.Todo, "b": annotate.Todo, "c": annotate.Todo}
	for k, v := range m {
		out[k] = v
	}
	return out
}

func TestHeatColor(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{
		{-0.4, "#d73027"}, {0, "#d73027"}, {0.5, "#fee08b"}, {1, "#1a9850"}, {1.5, "#1a9850"}, {0.25, "#eb8859"},
	} {
		col := widgets.HeatColor(c.v)
		if got := fmt.Sprintf("#%02x%02x%02x", col.R, col.G, col.B); got != c.want {
			t.Errorf("heatColor(%v) = %s, want %s", c.v, got, c.want)
		}
	}
}

// TestDashboardUndefined: two layers that finished no document in common
// give undefined figures, drawn grey as n/a with the reason beside.
func TestDashboardUndefined(t *testing.T) {
	ctx := context.Background()
	path := buildProject(t, t.TempDir(), "review", nil)
	s, err := testOpen(ctx, path, project.Create)
	if err != nil {
		t.Fatal(err)
	}
	id := importDocument(t, s, "beirut", "لينا في بيروت")
	if _, err := s.AddSpan(ctx, annotate.Span{DocID: id, Layer: "lina", Start: 8, End: 13, Label: "PLACE"}); err != nil {
		t.Fatal(err)
	}
	s.SetStatus(ctx, id, "lina", annotate.Done)
	s.Close()

	ws := openReview(t, path)
	d := dashboardFor(t, ws, []string{"badr", "lina"})
	if got := cells(d); !reflect.DeepEqual(got, []string{"—", "n/a", "n/a", "—"}) {
		t.Errorf("heat map %q", got)
	}
	walk(d.heat, func(o fyne.CanvasObject) {
		if c, ok := o.(*widgets.HeatCell); ok && !c.Diagonal && c.Fill() != widgets.UndefinedColor {
			t.Errorf("an undefined cell is drawn %v, not grey", c.Fill())
		}
	})
	reason := d.data.Report.Pairs[0].CohenKappa.Reason
	if reason == "" || !strings.Contains(unisolated(d.heatNotes.Text), "badr × lina: n/a, "+reason) {
		t.Errorf("the reason %q is not beside the heat map: %q", reason, d.heatNotes.Text)
	}
	if !strings.Contains(d.summary.Text, "alpha is undefined: ") || len(d.data.Docs) != 0 {
		t.Errorf("summary %q, %d documents", d.summary.Text, len(d.data.Docs))
	}
}

// sampleReview writes a project of the Reuters sample article marked by
// three annotators who agree on most words and not on some.
func sampleReview(tb testing.TB) string {
	tb.Helper()
	ctx := context.Background()
	path := filepath.Join(tb.TempDir(), "sample"+project.Ext)
	s, err := testOpen(ctx, path, project.Create)
	if err != nil {
		tb.Fatal(err)
	}
	defer s.Close()
	smp := assets.Samples()[0]
	im, err := s.NewImporter(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	text, err := annotate.CleanText(smp.Text)
	if err != nil {
		tb.Fatal(err)
	}
	id, _, err := im.Add(annotate.NewDocument(smp.Name, text, nil))
	if err != nil || im.Close() != nil {
		tb.Fatal(err)
	}
	labels := []string{"PERSON", "PLACE", "EVENT"}
	for k, layer := range []string{"amira", "badr", "karim"} {
		var spans []annotate.Span
		for i, tok := range annotate.Tokenize(text) {
			if len([]rune(tok.Text)) < 5 || i%7 != 0 {
				continue
			}
			label := labels[i%3]
			switch (i + k) % 11 {
			case 0:
				continue // this annotator missed it
			case 1:
				label = labels[(i+1)%3]
			}
			spans = append(spans, annotate.Span{Start: tok.Start, End: tok.End, Label: label})
		}
		if _, err := s.AddSpans(ctx, id, layer, "add span", spans); err != nil {
			tb.Fatal(err)
		}
		if err := s.SetStatus(ctx, id, layer, annotate.Done); err != nil {
			tb.Fatal(err)
		}
	}
	return path
}

// BenchmarkAdjudicateKey is a decision from the keyboard and its undo on
// the Reuters sample article with three annotators' layers: two store
// edits, and each time gold read back and the views, the stretch list and
// the panel redrawn. A key must answer within a frame or two.
func BenchmarkAdjudicateKey(b *testing.B) {
	path := sampleReview(b)
	b.Setenv("XDG_DATA_HOME", b.TempDir())
	a := test.NewTempApp(b)
	ws, err := OpenAs(a, testOpen, path, "rev")
	if err != nil {
		b.Fatal(err)
	}
	ws.jobs.Wait()
	defer ws.Window.Close()
	ws.adjudicate(ws.doc.ID)
	adj := ws.review.adj
	adj.win.Resize(fyne.NewSize(1280, 820))
	if _, differ, _ := adj.counts(); differ < 10 {
		b.Fatalf("only %d stretches differ", differ)
	}
	canvas := adj.win.Canvas()
	test.TypeOnCanvas(canvas, "1")
	if _, _, settled := adj.counts(); settled != 1 {
		b.Fatalf("the key settled %d stretches, want 1", settled)
	}
	canvas.(fyne.Shortcutable).TypedShortcut(&fyne.ShortcutUndo{})
	for b.Loop() {
		test.TypeOnCanvas(canvas, "1")
		canvas.(fyne.Shortcutable).TypedShortcut(&fyne.ShortcutUndo{})
	}
	if _, _, settled := adj.counts(); settled != 0 {
		b.Errorf("%d stretches settled after undoing every decision", settled)
	}
}

// TestExportGold: once gold exists, File → Export offers it first, and
// what it writes is the documents gold finished, as adjudicated.
func TestExportGold(t *testing.T) {
	ctx := context.Background()
	ws := openReview(t, buildProject(t, t.TempDir(), "review", nil))
	layerChoice := func() *widget.Select {
		ws.exportDialog()
		defer ws.Window.Canvas().Overlays().Top().Hide()
		var sel *widget.Select
		walk(ws.Window.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
			if s, ok := o.(*widget.Select); ok && slices.Contains(s.Options, "all") {
				sel = s
			}
		})
		if sel == nil {
			t.Fatal("no layer choice in the export dialog")
		}
		return sel
	}
	// Only layers that exist are offered: the reviewer rev has none.
	if sel := layerChoice(); sel.Selected != "amira" || !reflect.DeepEqual(sel.Options, []string{"amira", "badr", "karim", "all"}) {
		t.Errorf("before adjudication the export offers %v, chosen %s", sel.Options, sel.Selected)
	}
	ws.reviewState().layers = []string{"amira", "badr"}
	ws.adjudicate(docID(t, ws, "alaska"))
	a := ws.review.adj
	a.acceptAgreed() // every stretch agreed: gold is done
	if st, _, _ := ws.Store.Status(ctx, a.doc.ID, annotate.Gold); st != annotate.Done {
		t.Fatalf("gold is %s on alaska", st)
	}
	ws.adjudicate(docID(t, ws, "washington"))
	test.TypeOnCanvas(ws.review.adj.win.Canvas(), "1") // one stretch of three: gold in progress

	sel := layerChoice()
	if want := []string{annotate.Gold, "amira", "badr", "karim", "all"}; sel.Selected != annotate.Gold || !reflect.DeepEqual(sel.Options, want) {
		t.Errorf("the export offers %v, chosen %s; want %v, gold", sel.Options, sel.Selected, want)
	}
	out := filepath.Join(t.TempDir(), "gold.jsonl")
	ws.runExport(export.Options{Format: "jsonl", Output: out, Layer: sel.Selected})
	ws.jobs.Wait()
	if !overlayHas(ws, "Wrote 1 document (1 records, 2 spans)") {
		t.Error("the gold export is not alaska alone, as settled")
	}
	b, err := os.ReadFile(out)
	if err != nil || !strings.Contains(string(b), "ترامب في ألاسكا") || strings.Contains(string(b), "واشنطن") {
		t.Errorf("gold export: %s (%v)", b, err)
	}
}

// TestReviewWindows: the review opens from the menu's shortcuts, compares
// every annotator's layer by default, and its windows close with the
// project.
func TestReviewWindows(t *testing.T) {
	ws := openReview(t, buildProject(t, t.TempDir(), "review", nil))
	ws.openDocument(docID(t, ws, "moscow"))
	before := len(ws.App.Driver().AllWindows())
	shortcut(ws, key(fyne.KeyR, ctrl|fyne.KeyModifierShift))
	a := ws.review.adj
	if a == nil || a.doc.Name != "moscow" || !reflect.DeepEqual(a.layers, []string{"amira", "badr", "karim"}) {
		t.Fatalf("Ctrl+Shift+R: %+v", a)
	}
	shortcut(ws, key(fyne.KeyR, ctrl))
	ws.jobs.Wait()
	if ws.review.dash == nil || ws.review.dash.data == nil || len(ws.App.Driver().AllWindows()) != before+2 {
		t.Fatalf("Ctrl+R: dashboard %v, %d windows", ws.review.dash, len(ws.App.Driver().AllWindows()))
	}
	// A decision shows in the dashboard's document row at once.
	test.TypeOnCanvas(a.win.Canvas(), "2")
	if got := docRows(ws.review.dash)[1]; got != "moscow: 1 of 2 stretches differ · 1 settled" {
		t.Errorf("dashboard row after a decision: %q", got)
	}
	ws.openProject(filepath.Join(t.TempDir(), "other"+project.Ext), project.Create)
	ws.jobs.Wait()
	if ws.review != nil || len(ws.App.Driver().AllWindows()) != before {
		t.Errorf("after changing projects: review %v, %d windows, want %d", ws.review, len(ws.App.Driver().AllWindows()), before)
	}
}
