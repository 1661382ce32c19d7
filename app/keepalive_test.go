package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// The windows' objects are looked up in the driver's cache of canvases,
// which keeps them there: the Agreement window's Measure dropdown, the
// document list's search box and filter, and an entry in a dialog. One
// the cache lost has its window repaint, which puts it back. (Fyne's test
// driver has no such cache: the lookups are counted here; the crash
// itself is reproduced under Xvfb, see keepalive.go.)
func TestKeepCanvases(t *testing.T) {
	ws := openReview(t, buildProject(t, t.TempDir(), "review", nil))
	ws.showAgreement()
	ws.jobs.Wait()
	ws.exportDialog()
	seen := map[fyne.CanvasObject]bool{}
	var lose fyne.CanvasObject
	old := canvasOf
	defer func() { canvasOf = old }()
	canvasOf = func(o fyne.CanvasObject) fyne.Canvas {
		seen[o] = true
		if o == lose {
			return nil
		}
		return old(o)
	}
	if keepWindow(ws.review.dash.win) || keepWindow(ws.Window) {
		t.Error("an object was lost, none was")
	}
	var dialogSelects int
	for o := range seen {
		if s, ok := o.(*widget.Select); ok && s != ws.docs.filter && s != ws.review.dash.measureSel {
			dialogSelects++
		}
	}
	for name, o := range map[string]fyne.CanvasObject{"Measure": ws.review.dash.measureSel, "search": ws.docs.search, "filter": ws.docs.filter} {
		if !seen[o] {
			t.Errorf("the %s widget was not looked up", name)
		}
	}
	if dialogSelects < 2 {
		t.Errorf("%d selects of the export dialog looked up, want its layer, format and offsets", dialogSelects)
	}
	lose = ws.review.dash.measureSel
	if !keepWindow(ws.review.dash.win) {
		t.Error("the Measure dropdown was lost, and keepWindow did not notice")
	}
}
