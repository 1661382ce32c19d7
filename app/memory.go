package app

import (
	"math"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"
)

// jobMemoryLimit is the Go heap's limit while a job reads the whole
// corpus (builds the search index, exports, learns; see collector).
const jobMemoryLimit = 128 << 20

// collector holds the Go collector's settings (its GOGC and the heap's
// limit) for the whole app: the session's, set when the app started
// (cmd/qalam), and those of what changes them for a while, which may
// overlap:
//
//   - While a document is opened (read, and laid out in its view), the
//     collector is held off. go-sqlite3 copies a text into Go memory in one
//     piece that cannot be interrupted, and a collection that starts
//     meanwhile (the copy's own allocation passes the heap's goal) signals
//     it again and again until it ends: reading a 100 MB article took
//     375-460 ms and 0.7-0.9 s of processor time, and takes 180-210 ms and
//     0.22-0.27 s. Laying out is spared the collector's work too: going
//     from one sample article to the next under the session's limit took
//     8.2-8.7 ms, and takes 3.4-4.2 ms (BenchmarkSwitchDocument).
//   - What a window keeps alive on purpose, the text of the document it
//     shows above all, is held: the limit is the session's plus that. The
//     session's limit (48 MB) is meant for what a session allocates
//     besides; under a limit below what is live, the collector runs
//     without pause, and the window's own goroutine helps it at every
//     allocation. With a 100 MB article, the window's first paint came
//     150-250 ms after it was shown, and comes 110-160 ms after.
//   - While a job runs (startJob: it reads or writes the whole corpus),
//     while the recommender learns from the corpus when a project opens,
//     and while the dashboard reads it for its figures, the heap's limit
//     is jobMemoryLimit, and it may grow over what is live by the room
//     the session's limit leaves, a quarter at the least (jobPercent).
//     The session's limit is below what a project of a million documents
//     keeps alive (about 60 MB): while the index was built, the collector
//     ran without pause, 2,700 times in 80 s, and indexing went at half
//     its pace; with the room, it runs about 400 times, and the app's
//     resident memory peaks 5-10 MB higher (284-289 MB at a million
//     documents). An export of its 200,000 annotated documents took
//     115-121 s, and takes 40-41 s; learning took 12 s, and takes 4-5 s;
//     the dashboard's figures took 10-12 s, and take 2-3 s. A session
//     whose own limit is that high keeps its settings.
var collector = sync.OnceValue(newCollectorSettings)

// newCollectorSettings makes the settings now the session's.
func newCollectorSettings() *collectorSettings {
	c := &collectorSettings{held: map[string]int64{}}
	c.limit, c.percent = collectorNow()
	return c
}

// collectorNow is the heap's limit and GOGC now.
func collectorNow() (limit int64, percent int) {
	percent = debug.SetGCPercent(100)
	debug.SetGCPercent(percent)
	return debug.SetMemoryLimit(-1), percent
}

// collectorSettings are the session's settings, and what has them
// changed now.
type collectorSettings struct {
	mu      sync.Mutex
	limit   int64            // the session's heap limit
	percent int              // and GOGC
	opening int              // documents being opened
	jobs    int              // jobs reading the corpus
	held    map[string]int64 // bytes kept alive on purpose, by what holds them
}

// openingHold is the longest the collector is held off for one opening
// (a 100 MB article opens in under a second): a read that hangs, from a
// team project's server gone quiet, does not keep it off.
var openingHold = 5 * time.Second

// whileOpening holds the collector off until done is called, or for
// openingHold at the most.
func (c *collectorSettings) whileOpening() (done func()) {
	release := c.change(&c.opening)
	t := time.AfterFunc(openingHold, release)
	return func() {
		t.Stop()
		release()
	}
}

// hold makes room for the n bytes that holder keeps alive (0: none any
// more).
func (c *collectorSettings) hold(holder string, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if n > 0 {
		c.held[holder] = int64(n)
	} else {
		delete(c.held, holder)
	}
	c.apply()
}

// forJob gives a job that reads the whole corpus the heap's room until
// done is called.
func (c *collectorSettings) forJob() (done func()) {
	return c.change(&c.jobs)
}

// change counts one more of what n counts until done is called, with the
// settings that follow from the counts meanwhile.
func (c *collectorSettings) change(n *int) (done func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	*n++
	c.apply()
	return sync.OnceFunc(func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		*n--
		c.apply()
	})
}

// apply sets the settings the counts call for (c.mu held).
func (c *collectorSettings) apply() {
	limit, percent := c.limit, c.percent
	switch {
	case c.opening > 0:
		limit, percent = math.MaxInt64, -1
	case c.jobs > 0 && c.limit < jobMemoryLimit:
		limit, percent = jobMemoryLimit, jobPercent(c.limit, c.percent, liveHeap())
	}
	for _, n := range c.held {
		limit = max(limit, limit+n) // no higher than the largest
	}
	debug.SetGCPercent(percent)
	debug.SetMemoryLimit(limit)
}

// jobPercent is a job's GOGC in a session of limit and percent, with
// live bytes live: the room the session's limit leaves above what is
// live, in percent of it, a quarter at the least and no more than the
// session's (the session's when it has the collector off, or before the
// first collection, when nothing is known). A job in a small project so
// collects no more often than the session would, and one in a large
// project grows the heap by a quarter.
func jobPercent(limit int64, percent int, live uint64) int {
	if percent < 0 || live == 0 || live > math.MaxInt64/100 {
		return percent
	}
	room := (limit - int64(live)) * 100 / int64(live)
	return int(max(25, min(int64(percent), room)))
}

// liveHeap is the bytes the heap held live at the end of the last
// collection (tests replace it).
var liveHeap = func() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}
