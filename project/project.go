// Package project knows where projects live, seeds the default project
// with the bundled sample articles, and runs article imports into a
// project for the command line and the app alike.
package project

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/qalam-annotate/qalam/annotate"
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

// Ext is the file extension of a project file.
const Ext = ".qalam"

// DefaultPath is the file of the default sample project.
func DefaultPath() (string, error) {
	dir, err := DataDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "sample"+Ext), nil
}

// Modes of opening a project (annotate.OpenMode).
const (
	Existing = annotate.OpenExisting
	Create   = annotate.OpenCreate
	ReadOnly = annotate.OpenReadOnly
	// CheckLater, with another mode, leaves the soundness check of the
	// file to the caller (annotate.Checker).
	CheckLater = annotate.OpenCheckLater
)

// OpenFunc opens the project at location as mode allows: the store
// adapters' opener (annotate/stores.Open), handed down from main so that
// what runs on it holds only the store contract.
type OpenFunc func(ctx context.Context, location string, mode annotate.OpenMode) (annotate.Store, error)

// CheckFunc reads the project at location whole and says what is wrong
// with it (annotate/stores.Check).
type CheckFunc func(ctx context.Context, location string) ([]string, error)

// SalvageFunc copies what can still be read of a damaged project into dst
// (annotate/stores.Salvage).
type SalvageFunc func(ctx context.Context, location string, dst annotate.Store, progress func(done, total int)) (annotate.SalvageSummary, error)

// Open opens the project at location with open. An empty location opens
// the default sample project, made and seeded with the sample articles
// when missing.
func Open(ctx context.Context, open OpenFunc, location string, mode annotate.OpenMode) (annotate.Store, error) {
	if location != "" {
		return open(ctx, location, mode)
	}
	path, err := DefaultPath()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		s, err := open(ctx, path, Create)
		if err != nil {
			return nil, err
		}
		err = Seed(ctx, s)
		if cerr := s.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path)
			return nil, err
		}
	}
	mode &^= Create
	return open(ctx, path, mode)
}

// Seed adds the bundled sample articles to a project.
func Seed(ctx context.Context, s annotate.Bulk) error {
	im, err := s.NewImporter(ctx)
	if err != nil {
		return err
	}
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
	Imported   int // stored for sure, when the import failed part way
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
func Import(ctx context.Context, s annotate.Bulk, paths []string, report func(articles.Item), progress func(done int64)) (Summary, error) {
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
	im, err := s.NewImporter(ctx)
	if err != nil {
		return sum, err
	}
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
	if err != nil && !errors.Is(err, context.Canceled) {
		// What was added in the batch that failed is not stored.
		sum.Imported = im.Committed()
	}
	return sum, err
}

// Name is a project's short name, for titles: its file's name without
// the extension.
func Name(location string) string {
	return strings.TrimSuffix(filepath.Base(location), Ext)
}

// IsProjectFile reports whether path is an SQLite database (a project, or
// another program's): a file nothing may overwrite with an export.
func IsProjectFile(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 16)
	_, err = io.ReadFull(f, head)
	return err == nil && string(head) == "SQLite format 3\x00"
}
