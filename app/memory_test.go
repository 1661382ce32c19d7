package app

import (
	"context"
	"math"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
)

// collectorNow is the heap's limit and GOGC now.
func collectorNow() (limit int64, percent int) {
	percent = debug.SetGCPercent(100)
	debug.SetGCPercent(percent)
	return debug.SetMemoryLimit(-1), percent
}

// sessionCollector makes the session's settings a limit of limit and
// GOGC 100 for the test, and has collector start from them.
func sessionCollector(t *testing.T, limit int64) *collectorSettings {
	t.Helper()
	l, p := debug.SetMemoryLimit(limit), debug.SetGCPercent(100)
	c := &collectorSettings{limit: limit, percent: 100}
	saved := collector
	collector = func() *collectorSettings { return c }
	t.Cleanup(func() {
		collector = saved
		debug.SetMemoryLimit(l)
		debug.SetGCPercent(p)
	})
	return c
}

// TestCollectorSettings: reading a document holds the collector off, a
// job that reads the corpus gives the heap room, and when they overlap,
// in any order, each one's end leaves the settings of what goes on, then
// the session's.
func TestCollectorSettings(t *testing.T) {
	const session = 48 << 20
	c := sessionCollector(t, session)
	want := func(step string, limit int64, percent int) {
		t.Helper()
		if l, p := collectorNow(); l != limit || p != percent {
			t.Errorf("%s: limit %d, GOGC %d; want %d, %d", step, l, p, limit, percent)
		}
	}
	read := c.whileReading()
	want("while a document is read", math.MaxInt64, -1)
	read()
	read() // once only
	want("after the read", session, 100)

	job := c.forJob()
	want("while the index is built", indexMemoryLimit, 25)
	read = c.whileReading()
	want("a document read meanwhile", math.MaxInt64, -1)
	other := c.forJob()
	job()
	want("the first job over, the read going on", math.MaxInt64, -1)
	read()
	want("the read over, the second job going on", indexMemoryLimit, 25)
	read = c.whileReading()
	other()
	want("the jobs over, a read going on", math.MaxInt64, -1)
	read()
	want("all over", session, 100)

	// A session whose own limit is higher keeps its settings for jobs.
	c = sessionCollector(t, 1<<30)
	job = c.forJob()
	want("a job in a session of 1 GB", 1<<30, 100)
	job()
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

// TestDocumentsAreReadWithTheCollectorOff: the app reads a document with
// the collector held off, and puts the session's settings back after.
func TestDocumentsAreReadWithTheCollectorOff(t *testing.T) {
	ws, _ := newSample(t)
	sessionCollector(t, 48<<20)
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
	if l, p := collectorNow(); l != 48<<20 || p != 100 {
		t.Errorf("after: limit %d, GOGC %d; want the session's", l, p)
	}
}
