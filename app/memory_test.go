package app

import (
	"context"
	"math"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/widgets"
)

// sessionCollector makes the session's settings a limit of limit and
// GOGC 100 for the test, and has collector start from them.
func sessionCollector(t testing.TB, limit int64) *collectorSettings {
	t.Helper()
	l, p := debug.SetMemoryLimit(limit), debug.SetGCPercent(100)
	c := newCollectorSettings()
	saved := collector
	collector = func() *collectorSettings { return c }
	t.Cleanup(func() {
		collector = saved
		debug.SetMemoryLimit(l)
		debug.SetGCPercent(p)
	})
	return c
}

// TestCollectorSettings: opening a document holds the collector off, a
// job that reads the corpus gives the heap room, and what is held adds to
// the limit; when they overlap, in any order, each one's end leaves the
// settings of what goes on, then the session's.
func TestCollectorSettings(t *testing.T) {
	const session = 48 << 20
	c := sessionCollector(t, session)
	liveIs(t, 60<<20) // a million documents
	want := func(step string, limit int64, percent int) {
		t.Helper()
		if l, p := collectorNow(); l != limit || p != percent {
			t.Errorf("%s: limit %d, GOGC %d; want %d, %d", step, l, p, limit, percent)
		}
	}
	read := c.whileOpening()
	want("while a document is read", math.MaxInt64, -1)
	c.hold("article", 100<<20)
	want("its text held meanwhile", math.MaxInt64, -1)
	read()
	read() // once only
	want("after the read", session+100<<20, 100)
	c.hold("adjudication", 10<<20)
	want("and 10 MB adjudicated", session+110<<20, 100)
	c.hold("adjudication", 0)
	c.hold("article", 0)
	want("nothing held", session, 100)

	job := c.forJob()
	want("while the index is built", jobMemoryLimit, 25)
	read = c.whileOpening()
	want("a document read meanwhile", math.MaxInt64, -1)
	other := c.forJob()
	job()
	want("the first job over, the read going on", math.MaxInt64, -1)
	read()
	want("the read over, the second job going on", jobMemoryLimit, 25)
	read = c.whileOpening()
	other()
	want("the jobs over, a read going on", math.MaxInt64, -1)
	read()
	want("all over", session, 100)

	// A session whose own limit is higher keeps its settings for jobs.
	c = sessionCollector(t, 1<<30)
	job = c.forJob()
	want("a job in a session of 1 GB", 1<<30, 100)
	job()
	// A session without a limit keeps none.
	c = sessionCollector(t, math.MaxInt64)
	c.hold("article", 100<<20)
	want("an article held in a session without a limit", math.MaxInt64, 100)
}

// liveIs has the collector see a live heap of n bytes for the test.
func liveIs(t *testing.T, n uint64) {
	saved := liveHeap
	liveHeap = func() uint64 { return n }
	t.Cleanup(func() { liveHeap = saved })
}

// TestJobRoomFollowsTheLiveHeap: a job's GOGC leaves the heap the room
// the session's limit leaves it above what is live, a quarter at the
// least: a job in a small project collects no more often than the
// session would (importing the ANT corpus under GOGC 25 took 895-982 ms,
// and 707-749 ms under the session's settings), and one in a project of a
// million documents, whose live heap passes the session's limit, grows
// the heap by a quarter.
func TestJobRoomFollowsTheLiveHeap(t *testing.T) {
	c := sessionCollector(t, 48<<20)
	for _, tc := range []struct {
		live    uint64
		percent int
	}{
		{0, 100},        // no collection yet: nothing known
		{10 << 20, 100}, // 38 MB above it: the session's GOGC
		{30 << 20, 60},  // 18 MB above it
		{40 << 20, 25},  // 8 MB: a quarter at the least
		{60 << 20, 25},  // over the session's limit
		{200 << 20, 25}, // over the job's too
	} {
		liveIs(t, tc.live)
		done := c.forJob()
		if l, p := collectorNow(); l != jobMemoryLimit || p != tc.percent {
			t.Errorf("a job with %d MB live: limit %d, GOGC %d; want %d, %d", tc.live>>20, l, p, jobMemoryLimit, tc.percent)
		}
		done()
		if l, p := collectorNow(); l != 48<<20 || p != 100 {
			t.Errorf("after a job with %d MB live: limit %d, GOGC %d; want the session's", tc.live>>20, l, p)
		}
	}
}

// TestCollectorHeldOffForAWhileAtMost: an opening that never ends (a
// read that hangs) holds the collector off for openingHold at the most.
func TestCollectorHeldOffForAWhileAtMost(t *testing.T) {
	c := sessionCollector(t, 48<<20)
	defer func(d time.Duration) { openingHold = d }(openingHold)
	openingHold = time.Millisecond
	done := c.whileOpening()
	defer done()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if l, p := collectorNow(); l == 48<<20 && p == 100 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the collector is still held off 5 s after an opening that never ended")
		}
		time.Sleep(time.Millisecond)
	}
	done() // later, changes nothing
	if l, p := collectorNow(); l != 48<<20 || p != 100 || c.opening != 0 {
		t.Errorf("after the opening's end: limit %d, GOGC %d, %d openings", l, p, c.opening)
	}
}

// limitWatch is a store that notes the collector's settings while a
// document is read.
type limitWatch struct {
	annotate.Store
	limit   int64
	percent int
}

func (s *limitWatch) Document(ctx context.Context, id int64) (annotate.Document, error) {
	s.limit, s.percent = collectorNow()
	return s.Store.Document(ctx, id)
}

// TestOpeningADocument: the app reads a document with the collector
// held off; after, the limit is the session's and room for the text.
func TestOpeningADocument(t *testing.T) {
	ws, _ := newSample(t)
	c := sessionCollector(t, 48<<20)
	ctx := context.Background()
	im, err := ws.Store.NewImporter(ctx)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Repeat("زار الوزير تونس أمس. ", 50_000)
	long, _, err := im.Add(annotate.NewDocument("long", text, nil))
	if err != nil || im.Close() != nil {
		t.Fatal(err)
	}
	watch := &limitWatch{Store: ws.Store}
	ws.Store = watch
	ws.openDocument(long)
	if watch.limit != math.MaxInt64 || watch.percent != -1 {
		t.Errorf("read with a limit of %d and GOGC %d, want none and off", watch.limit, watch.percent)
	}
	if ws.doc.ID != long {
		t.Errorf("document %d shown, want %d", ws.doc.ID, long)
	}
	room := int64(widgets.PrepareText(text).Bytes()) // the text and what the view knows of it
	if l, p := collectorNow(); l != 48<<20+room || p != 100 || c.opening != 0 {
		t.Errorf("after: limit %d, GOGC %d; want %d, 100", l, p, 48<<20+room)
	}
	// Back on the first document, a sample article.
	first, err := ws.Store.DocumentPage(ctx, ws.docs.query, 0, 0, 1)
	if err != nil || len(first) != 1 {
		t.Fatal(err)
	}
	ws.openDocument(first[0].ID)
	if l, _ := collectorNow(); l != 48<<20+int64(widgets.PrepareText(ws.doc.Text).Bytes()) {
		t.Errorf("limit %d with a sample article shown, want the session's and room for its text", l)
	}
}

// corpusWatch is a store that notes the collector's settings while the
// whole corpus is read.
type corpusWatch struct {
	annotate.Store
	limit   int64
	percent int
	reads   int
}

func (s *corpusWatch) EachDocument(ctx context.Context, layers []string, read annotate.Reading, fn func(*annotate.AnnotatedDoc) error) error {
	s.limit, s.percent = collectorNow()
	s.reads++
	return s.Store.EachDocument(ctx, layers, read, fn)
}

// watchCorpus has ws read through a corpusWatch, in a session of 48 MB
// with a million documents' live heap.
func watchCorpus(t *testing.T, ws *Workspace) *corpusWatch {
	t.Helper()
	sessionCollector(t, 48<<20)
	liveIs(t, 60<<20)
	watch := &corpusWatch{Store: ws.Store}
	ws.Store = watch
	return watch
}

// hadTheJobsRoom checks that what read the corpus (what, in the
// messages) did, with a job's room, and that the session's settings are
// back after.
func (s *corpusWatch) hadTheJobsRoom(t *testing.T, what string) {
	t.Helper()
	if s.reads == 0 {
		t.Fatalf("%s did not read the corpus", what)
	}
	if s.limit != jobMemoryLimit || s.percent != 25 {
		t.Errorf("%s read it with a limit of %d and GOGC %d, want a job's %d and 25", what, s.limit, s.percent, jobMemoryLimit)
	}
	if l, p := collectorNow(); l != 48<<20 || p != 100 {
		t.Errorf("after: limit %d, GOGC %d; want the session's", l, p)
	}
}

// TestLearningHasTheJobsRoom: learning from the project reads the whole
// corpus, and does it with the room a job that reads it has; then the
// session's settings are back. Under the session's limit, below what a
// million documents keep alive, the collector ran without pause while it
// learned.
func TestLearningHasTheJobsRoom(t *testing.T) {
	ws, _ := newSample(t)
	watch := watchCorpus(t, ws)
	ws.startLearning() // at once in the tests (learnMode)
	if watch.reads != 1 {
		t.Fatalf("learning read the corpus %d times, want once", watch.reads)
	}
	watch.hadTheJobsRoom(t, "learning")
}

// TestAgreementHasTheJobsRoom: the dashboard reads the whole corpus for
// its figures with a job's room, as `qalam agree` would read it; then
// the session's settings are back.
func TestAgreementHasTheJobsRoom(t *testing.T) {
	ws := openReview(t, buildProject(t, t.TempDir(), "review", nil))
	watch := watchCorpus(t, ws)
	dashboardFor(t, ws, []string{"amira", "badr"})
	watch.hadTheJobsRoom(t, "the dashboard")
}
