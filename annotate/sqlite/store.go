// Package sqlite is Qalam's project store: one SQLite file (extension
// .qalam) is one project. Every user edit is one transaction and is logged
// so that undo and redo work across restarts.
//
// All SQLite-specific SQL lives in this package; the app and the exporters
// reach it through small interfaces of their own.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	_ "github.com/mattn/go-sqlite3" // the database/sql driver "sqlite3"

	"github.com/qalam-annotate/qalam/annotate"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Ext is the file extension of a project.
const Ext = ".qalam"

// Store is an open project. The editing rules come from the domain
// (annotate.Editing) over Edit.
type Store struct {
	annotate.Editing
	db   *sql.DB
	path string

	readOnly bool

	mu     sync.Mutex
	layers map[string]int64 // name → id, filled on demand
}

// Options say how Open opens a project.
type Options struct {
	// Create makes a new project when path does not exist (or is an
	// empty file).
	Create bool
	// ReadOnly opens for reading only: nothing is written, not even a
	// schema upgrade; where the folder cannot be written (WAL needs its
	// files beside the project) the file is read as it is on disk.
	ReadOnly bool
}

// applicationID marks a Qalam project in its SQLite header ("Qalm").
const applicationID = 0x51616C6D

// Open opens the project at path and brings its schema up to date. A
// file that is not a Qalam project (another program's database, or not a
// database) is refused before anything is written to it.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	fail := func(err error) (*Store, error) { return nil, fmt.Errorf("open project %s: %w", path, err) }
	err := checkFile(ctx, path, opts.Create)
	if err != nil {
		return fail(err)
	}
	q := url.Values{}
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "5000")
	if opts.ReadOnly {
		q.Set("mode", "ro")
		if !writableDir(filepath.Dir(path)) {
			q.Set("immutable", "1")
		}
	} else {
		q.Set("_journal_mode", "WAL")
		q.Set("_synchronous", "NORMAL")
		q.Set("_txlock", "immediate")
	}
	db, err := sql.Open("sqlite3", "file:"+url.PathEscape(path)+"?"+q.Encode())
	if err != nil {
		return fail(err)
	}
	s := &Store{db: db, path: path, layers: map[string]int64{}, readOnly: opts.ReadOnly}
	s.Editing = annotate.Editing{Store: s}
	if opts.ReadOnly {
		err = s.checkSchema(ctx)
	} else {
		err = s.migrate(ctx)
	}
	if err != nil {
		db.Close()
		return fail(err)
	}
	return s, nil
}

// checkFile makes sure path holds a Qalam project, or may become one: no
// file (or an empty one) when create allows making it.
func checkFile(ctx context.Context, path string, create bool) error {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist) || err == nil && fi.Mode().IsRegular() && fi.Size() == 0:
		if !create {
			return annotate.ErrNoProject
		}
		return nil
	case err != nil:
		return err
	case !fi.Mode().IsRegular():
		return fmt.Errorf("%w: not a regular file", annotate.ErrNotProject)
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, 100)
	if _, err := io.ReadFull(f, head); err != nil || string(head[:16]) != "SQLite format 3\x00" {
		return fmt.Errorf("%w: not an SQLite database", annotate.ErrNotProject)
	}
	switch binary.BigEndian.Uint32(head[68:72]) {
	case applicationID:
		return nil
	case 0:
		// Projects made before the mark was set: recognised by their
		// tables, read without changing anything.
		db, err := sql.Open("sqlite3", "file:"+url.PathEscape(path)+"?mode=ro")
		if err != nil {
			return err
		}
		defer db.Close()
		var n int
		err = db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table'
			AND name IN ('schema_migrations', 'documents', 'spans', 'layers', 'edits')`).Scan(&n)
		if err != nil {
			return err
		}
		if n == 5 {
			return nil
		}
	}
	return fmt.Errorf("%w: an SQLite database of another program", annotate.ErrNotProject)
}

// writableDir reports whether files can be made in dir.
func writableDir(dir string) bool {
	f, err := os.CreateTemp(dir, ".qalam-probe-*")
	if err != nil {
		return false
	}
	f.Close()
	os.Remove(f.Name())
	return true
}

// ReadOnly reports whether the project was opened for reading only.
func (s *Store) ReadOnly() bool { return s.readOnly }

// Close closes the project.
func (s *Store) Close() error { return s.db.Close() }

var _ annotate.Store = (*Store)(nil)

// Path is the project's file.
func (s *Store) Path() string { return s.path }

// Location is the project's file, as the app shows it.
func (s *Store) Location() string { return s.path }

// DB exposes the connection pool to tests and benchmarks of this module.
func (s *Store) DB() *sql.DB { return s.db }

// SchemaVersion is the version of the newest migration applied.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number and _", e.Name())
		}
		b, err := migrationFS.ReadFile(path.Join("migrations", e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{v, e.Name(), string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// checkSchema refuses, for a read-only open, a project whose schema is
// newer than this Qalam knows or older than it reads.
func (s *Store) checkSchema(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	switch last := ms[len(ms)-1].version; {
	case v > last:
		return fmt.Errorf("the project has schema version %d, which this Qalam does not know: update Qalam", v)
	case v < last:
		return fmt.Errorf("%w: the project's schema (version %d) needs upgrading to %d, which needs writing: open it once where it can be written", annotate.ErrReadOnly, v, last)
	}
	return nil
}

// migrate applies, in order and each in its own transaction, the embedded
// migrations the file has not seen, then seeds a new project's labels. The
// file is marked as a Qalam project first.
func (s *Store) migrate(ctx context.Context) error {
	var id int64
	if err := s.db.QueryRowContext(ctx, `PRAGMA application_id`).Scan(&id); err != nil {
		return err
	}
	if id != applicationID {
		// A new project, or one made before projects were marked.
		if _, err := s.db.ExecContext(ctx, fmt.Sprintf(`PRAGMA application_id = %d`, applicationID)); err != nil {
			return err
		}
	}
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL,
		applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))`); err != nil {
		return err
	}
	ms, err := migrations()
	if err != nil {
		return err
	}
	applied := map[int]bool{}
	rows, err := s.db.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return err
		}
		applied[v] = true
	}
	rows.Close()
	known := map[int]bool{}
	for _, m := range ms {
		known[m.version] = true
	}
	for v := range applied {
		if !known[v] {
			return fmt.Errorf("the project has schema version %d, which this Qalam does not know: update Qalam", v)
		}
	}
	for _, m := range ms {
		if applied[m.version] {
			continue
		}
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
			if m.version == 1 {
				if err := seedLabels(ctx, tx); err != nil {
					return err
				}
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations(version, name) VALUES (?, ?)`, m.version, m.name)
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func seedLabels(ctx context.Context, tx *sql.Tx) error {
	for i, l := range annotate.DefaultLabels() {
		if _, err := tx.ExecContext(ctx, `INSERT INTO labels(name, color, hotkey, position) VALUES (?, ?, ?, ?)`, l.Name, l.Color, l.Hotkey, i); err != nil {
			return err
		}
	}
	return nil
}

// inTx runs fn in one transaction: committed when fn returns nil, rolled
// back otherwise.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// setting reads one of the store's own settings, def when unset.
func (s *Store) setting(ctx context.Context, key, def string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return def, nil
	}
	return v, err
}

// setSetting stores one of the store's own settings; "" removes it.
func (s *Store) setSetting(ctx context.Context, key, value string) error {
	if value == "" {
		_, err := s.db.ExecContext(ctx, `DELETE FROM settings WHERE key = ?`, key)
		return err
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO settings(key, value) VALUES (?, ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// domainSetting prefixes the keys of the domain's settings (annotate.Settings),
// keeping them apart from the store's own.
const domainSetting = "domain."

// Setting returns the domain setting kept under key, "" when none.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	return s.setting(ctx, domainSetting+key, "")
}

// SetSetting keeps a domain setting; "" removes it.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	return s.setSetting(ctx, domainSetting+key, value)
}

// settingAllowOverlap names the setting that lets spans of one layer overlap.
const settingAllowOverlap = "allow_overlap"

// AllowOverlap reports whether spans of one layer may overlap (the default).
func (s *Store) AllowOverlap(ctx context.Context) (bool, error) {
	v, err := s.setting(ctx, settingAllowOverlap, "true")
	return v == "true", err
}

// SetAllowOverlap changes whether spans of one layer may overlap.
func (s *Store) SetAllowOverlap(ctx context.Context, allow bool) error {
	return s.setSetting(ctx, settingAllowOverlap, strconv.FormatBool(allow))
}
