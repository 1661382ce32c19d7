// Package project knows where projects live, seeds the default project
// with the bundled sample articles, and runs article imports into a
// project for the command line and the app alike.
package project

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/sqlite"
	"github.com/qalam-annotate/qalam/articles"
	"github.com/qalam-annotate/qalam/assets"
)

// DataDir is the folder for the user's Qalam data: $XDG_DATA_HOME/qalam
// (~/.local/share/qalam) on Linux and the BSDs, the platform's application
// data folder elsewhere.
func DataDir() (string, error) {
	switch runtime.GOOS {
	case "windows", "darwin", "ios", "android":
		dir, err := os.UserConfigDir()
		if err != nil {
			return "", err
		}
		return filepath.Join(dir, "Qalam"), nil
	}
	if d := os.Getenv("XDG_DATA_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "qalam"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, ".local", "share", "qalam"), nil
}

// DefaultPath is the file of the default sample project.
func DefaultPath() (string, error) {
	dir, err := DataDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "sample"+sqlite.Ext), nil
}

// Open opens the project at path, creating it when missing; an empty path
// opens the default project, seeded with the sample articles when new.
func Open(ctx context.Context, path string) (*sqlite.Store, error) {
	if path != "" {
		return sqlite.Open(ctx, path)
	}
	path, err := DefaultPath()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	_, statErr := os.Stat(path)
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	if errors.Is(statErr, os.ErrNotExist) {
		if err := Seed(ctx, s); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// Seed adds the bundled sample articles to a project.
func Seed(ctx context.Context, s *sqlite.Store) error {
	im := s.NewImporter(ctx)
	for _, smp := range assets.Samples() {
		text, err := annotate.CleanText(smp.Text)
		if err != nil {
			im.Abort()
			return err
		}
		if _, _, err := im.Add(annotate.NewDocument(smp.Name, text, nil)); err != nil {
			im.Abort()
			return err
		}
	}
	return im.Close()
}

// Summary counts what an import did.
type Summary struct {
	Imported   int
	Duplicates int
	Rejected   int
	Skipped    int // files in folders that are not articles
}

// Import reads articles from paths into s. report is called for every
// refused input (it.Err set) and every skipped file (it.Err nil, no
// document); progress with bytes read so far. Both are called from the
// goroutine that called Import. Duplicates of documents already in the
// project (same text) are counted and left out. Cancelling ctx keeps what
// was imported before.
//
// Reading, checking and hashing run on one goroutine while this one
// stores, so the two overlap.
func Import(ctx context.Context, s *sqlite.Store, paths []string, report func(articles.Item), progress func(done int64)) (Summary, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type msg struct {
		item    articles.Item
		skipped bool
		done    int64
	}
	ch := make(chan msg, 256)
	readErr := make(chan error, 1)
	go func() {
		defer close(ch)
		send := func(m msg) error {
			select {
			case ch <- m:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		var done int64
		r := &articles.Reader{
			Progress: func(n int64) { done = n },
			Skipped:  func(path string) { send(msg{item: articles.Item{Path: path}, skipped: true, done: done}) },
		}
		readErr <- r.Read(ctx, paths, func(it articles.Item) error { return send(msg{item: it, done: done}) })
	}()

	var sum Summary
	var err error
	im := s.NewImporter(ctx)
	for m := range ch {
		if progress != nil {
			progress(m.done)
		}
		if err == nil {
			err = ctx.Err() // cancelled: what is buffered is not stored
		}
		switch {
		case err != nil:
			// Drain after a store error.
		case m.skipped:
			sum.Skipped++
			if report != nil {
				report(m.item)
			}
		case m.item.Err != nil:
			sum.Rejected++
			if report != nil {
				report(m.item)
			}
		default:
			var added bool
			if _, added, err = im.Add(m.item.Doc); err != nil {
				cancel()
			} else if added {
				sum.Imported++
			} else {
				sum.Duplicates++
			}
		}
	}
	if rerr := <-readErr; err == nil {
		err = rerr // nil, or the context's error when cancelled
	}
	if cerr := im.Close(); err == nil {
		err = cerr
	}
	return sum, err
}
