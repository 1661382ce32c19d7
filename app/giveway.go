package app

import (
	"context"
	"sync"

	"github.com/qalam-annotate/qalam/annotate"
)

// What reads the whole project in the background with nobody waiting for
// it gives way to a job the user waits for (startJob): the soundness
// check of a large file and the recommender's learning, both started as
// a project opens. On two cores, with a search asked for as soon as a
// project of a million documents opened, the three read it at once: 10 s
// after the search, 59,000-92,000 documents were indexed, and with the
// check and learning waiting, 187,000-225,000.

// giveWay tells background work whether a job runs. Its zero value has
// none running.
type giveWay struct {
	mu      sync.Mutex
	jobs    int           // jobs running
	idle    chan struct{} // closed when the last job ends; nil while none runs
	started chan struct{} // closed when a job starts; nil when nobody waits for that
	waiting int           // background work waiting for a job to end (the tests look)
}

// job counts one job as running until done is called.
func (g *giveWay) job() (done func()) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.jobs == 0 {
		g.idle = make(chan struct{})
		if g.started != nil {
			close(g.started)
			g.started = nil
		}
	}
	g.jobs++
	return sync.OnceFunc(func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		if g.jobs--; g.jobs == 0 {
			close(g.idle)
			g.idle = nil
		}
	})
}

// wait returns once no job runs, or with ctx's error when it ends first.
func (g *giveWay) wait(ctx context.Context) error {
	for {
		g.mu.Lock()
		idle := g.idle
		if idle != nil {
			g.waiting++
		}
		g.mu.Unlock()
		if idle == nil {
			return ctx.Err()
		}
		select {
		case <-idle:
		case <-ctx.Done():
		}
		g.mu.Lock()
		g.waiting--
		g.mu.Unlock()
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// run runs fn once no job runs, with a context that ends when a job
// starts: fn cut short so runs again, from the start, once no job runs.
// It is for work that cannot pause, one statement of SQLite's, say.
func (g *giveWay) run(ctx context.Context, fn func(context.Context) error) error {
	for {
		if err := g.wait(ctx); err != nil {
			return err
		}
		g.mu.Lock()
		if g.jobs > 0 {
			g.mu.Unlock()
			continue // one started meanwhile
		}
		if g.started == nil {
			g.started = make(chan struct{})
		}
		started := g.started
		g.mu.Unlock()
		fctx, cancel := context.WithCancel(ctx)
		go func() {
			select {
			case <-started:
				cancel()
			case <-fctx.Done():
			}
		}()
		err := fn(fctx)
		cut := err != nil && fctx.Err() != nil && ctx.Err() == nil
		cancel()
		if !cut {
			return err
		}
	}
}

// givingWay is a project reader for learning: before each document it
// hands on, it waits while a job runs. The pages it reads ahead are a
// few, and it holds no transaction open meanwhile.
type givingWay struct {
	annotate.DocumentReader
	way *giveWay
}

func (r givingWay) EachDocument(ctx context.Context, layers []string, read annotate.Reading, fn func(*annotate.AnnotatedDoc) error) error {
	return r.DocumentReader.EachDocument(ctx, layers, read, func(d *annotate.AnnotatedDoc) error {
		if err := r.way.wait(ctx); err != nil {
			return err
		}
		return fn(d)
	})
}
