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
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/mattn/go-sqlite3"

	"github.com/qalam-annotate/qalam/annotate"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Ext is the file extension of a project.
const Ext = ".qalam"

// Store is an open project.
type Store struct {
	db   *sql.DB
	path string

	mu     sync.Mutex
	layers map[string]int64 // name → id, filled on demand
}

// Open opens the project at path, creating it when it does not exist, and
// brings its schema up to date.
func Open(ctx context.Context, path string) (*Store, error) {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "5000")
	q.Set("_synchronous", "NORMAL")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite3", "file:"+url.PathEscape(path)+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	s := &Store{db: db, path: path, layers: map[string]int64{}}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open project %s: %w", path, err)
	}
	return s, nil
}

// Close closes the project.
func (s *Store) Close() error { return s.db.Close() }

// Path is the project's file.
func (s *Store) Path() string { return s.path }

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

// migrate applies, in order and each in its own transaction, the embedded
// migrations the file has not seen, then seeds a new project's labels.
func (s *Store) migrate(ctx context.Context) error {
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

// Setting reads a project setting, def when unset.
func (s *Store) Setting(ctx context.Context, key, def string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return def, nil
	}
	return v, err
}

// SetSetting stores a project setting.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO settings(key, value) VALUES (?, ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// SettingAllowOverlap names the setting that lets spans of one layer overlap.
const SettingAllowOverlap = "allow_overlap"

// AllowOverlap reports whether spans of one layer may overlap (the default).
func (s *Store) AllowOverlap(ctx context.Context) (bool, error) {
	v, err := s.Setting(ctx, SettingAllowOverlap, "true")
	return v == "true", err
}

// SetAllowOverlap changes whether spans of one layer may overlap.
func (s *Store) SetAllowOverlap(ctx context.Context, allow bool) error {
	return s.SetSetting(ctx, SettingAllowOverlap, strconv.FormatBool(allow))
}

func isUniqueViolation(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintUnique
}
