//go:build cgo

package app

import (
	"math/rand/v2"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/qalam-annotate/qalam/app/internal/benchdata"
)

// The performance targets of a 100,000-document project (built once from
// the ANT corpus into the temporary folder, see benchdata; QALAM_BENCH_DOCS
// sets another number, a million for instance): it opens in under a
// second, and a screen of the document list scrolls in well under a frame
// (16 ms). The recommender's learning, which the window runs in
// the background, is left out (annotate/recommend measures it).

func benchWorkspace(b *testing.B, path string) *Workspace {
	b.Helper()
	leaveLearningOut(b)
	a := test.NewTempApp(b)
	a.Preferences().SetString(prefAnnotator, benchdata.Layer)
	ws, err := Open(a, testOpen, path)
	if err != nil {
		b.Fatal(err)
	}
	ws.jobs.Wait()
	ws.Window.Resize(fyne.NewSize(1280, 800))
	b.Cleanup(func() {
		if !ws.closed.Load() {
			ws.Window.Close()
		}
	})
	return ws
}

// BenchmarkOpen100k opens the project in a window: the store, the label
// set, the counts behind the progress bar, the list's first page and the
// first unfinished document, laid out.
func BenchmarkOpen100k(b *testing.B) {
	path := benchdata.Project(b, benchdata.Docs())
	leaveLearningOut(b)
	for b.Loop() {
		a := test.NewTempApp(b)
		a.Preferences().SetString(prefAnnotator, benchdata.Layer)
		ws, err := Open(a, testOpen, path)
		if err != nil {
			b.Fatal(err)
		}
		ws.Window.Resize(fyne.NewSize(1280, 800))
		if ws.docs.pager.count != benchdata.Docs() || ws.doc.ID == 0 {
			b.Fatalf("%d documents, document %d open", ws.docs.pager.count, ws.doc.ID)
		}
		ws.Window.Close()
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/open")
}

// BenchmarkDocListScroll100k scrolls the document list of the 100,000
// document project a screen at a time, top to bottom and round again, as
// a wheel or Page Down does: each op reads the pages it reveals (by id,
// from the page before) and binds the rows shown.
func BenchmarkDocListScroll100k(b *testing.B) {
	ws := benchWorkspace(b, benchdata.Project(b, benchdata.Docs()))
	l := ws.docs.list
	screen := l.Size().Height
	if screen < 100 {
		b.Fatalf("the list is %v high", l.Size())
	}
	rowH := l.MinSize().Height // at least one row
	total := float32(ws.docs.pager.count) * rowH
	var y float32
	var worst time.Duration
	for b.Loop() {
		t0 := time.Now()
		y += screen
		if y > total {
			y = 0
		}
		l.ScrollToOffset(y)
		worst = max(worst, time.Since(t0))
	}
	b.ReportMetric(float64(worst.Microseconds())/1000, "worst-ms")
	b.ReportMetric(float64(ws.docs.pager.fetches), "pages-read")
}

// BenchmarkDocListJump100k drags the scroll bar anywhere: each op shows
// the rows at a random place of the list, which costs a skip from the
// nearest page kept.
func BenchmarkDocListJump100k(b *testing.B) {
	ws := benchWorkspace(b, benchdata.Project(b, benchdata.Docs()))
	l := ws.docs.list
	rnd := rand.New(rand.NewPCG(1, 2))
	var worst time.Duration
	for b.Loop() {
		t0 := time.Now()
		l.ScrollTo(rnd.IntN(ws.docs.pager.count))
		worst = max(worst, time.Since(t0))
	}
	b.ReportMetric(float64(worst.Microseconds())/1000, "worst-ms")
}

// BenchmarkDocListFiltered100k scrolls the "to do" list a screen at a time.
func BenchmarkDocListFiltered100k(b *testing.B) {
	ws := benchWorkspace(b, benchdata.Project(b, benchdata.Docs()))
	ws.docs.filter.SetSelectedIndex(1)
	l := ws.docs.list
	screen := l.Size().Height
	total := float32(ws.docs.pager.count) * l.MinSize().Height
	var y float32
	for b.Loop() {
		y += screen
		if y > total {
			y = 0
		}
		l.ScrollToOffset(y)
	}
}

// leaveLearningOut leaves the recommender's learning out of a benchmark.
func leaveLearningOut(b *testing.B) {
	was := learnMode
	learnMode = noLearning
	b.Cleanup(func() { learnMode = was })
}

// BenchmarkSwitchDocument opens the sample project's documents one after
// the other, as Ctrl+Page Down does, under the session's heap limit
// (cmd/qalam's 48 MB).
func BenchmarkSwitchDocument(b *testing.B) {
	b.Setenv("XDG_DATA_HOME", b.TempDir())
	sessionCollector(b, 48<<20)
	ws := benchWorkspace(b, "")
	page, err := ws.Store.DocumentPage(ws.ctx, ws.docs.query, 0, 0, 0)
	if err != nil || len(page) < 2 {
		b.Fatal(len(page), err)
	}
	i := 0
	for b.Loop() {
		i++
		ws.openDocument(page[i%len(page)].ID)
	}
}
