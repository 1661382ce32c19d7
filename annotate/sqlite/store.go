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
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/mattn/go-sqlite3" // registers the sqlite3 driver

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/internal/migrations"
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
	// sound is set once the file is found sound: when it opened, before
	// and unchanged since, or by Check. The store writes nothing of its
	// own accord (a merge of the search index) until then.
	sound atomic.Bool

	// writer is held by each write transaction of this process. SQLite
	// lets one writer in at a time but does not queue the others: a bulk
	// import that commits and begins again would keep an edit waiting
	// (its busy handler polls) until it gave up. Go's mutex hands over
	// to a waiter, so an edit waits for one batch at most.
	writer sync.Mutex

	mu     sync.Mutex
	layers map[string]int64 // name → id, filled on demand

	merging merging // the search index's merge, in the background
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
	// CheckLater leaves the soundness check (Check) of a file larger than
	// CheckNowBelow to the caller.
	CheckLater bool
}

// CheckNowBelow is the size under which a file is checked when it opens,
// even when the check is left to the caller (it takes a few ms).
var CheckNowBelow int64 = 32 << 20

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
	if !opts.ReadOnly {
		if err := checkWritable(path); err != nil {
			return fail(err)
		}
	}
	q := url.Values{}
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "5000")
	// Each connection keeps its statements compiled: an edit's few
	// statements, with the triggers that keep span packs, took a third of
	// its time to compile again at every edit.
	q.Set("_stmt_cache_size", "64")
	// database/sql hands a connection to one goroutine at a time, so
	// SQLite's own lock around every call on it is not needed: it was a
	// tenth of the time of reading a million documents (qalam agree).
	q.Set("_mutex", "no")
	if opts.ReadOnly {
		q.Set("mode", "ro")
		if !writableDir(filepath.Dir(path)) {
			q.Set("immutable", "1")
		}
	} else {
		q.Set("_journal_mode", "WAL")
		// FULL syncs the WAL at every commit, so that an edit on screen
		// survives an operating system crash or a power cut, not only a
		// crash of Qalam: 0.2 to 0.3 ms more per edit (BenchmarkEdit).
		q.Set("_synchronous", "FULL")
		q.Set("_txlock", "immediate")
	}
	db, err := sql.Open("sqlite3", "file:"+url.PathEscape(path)+"?"+q.Encode())
	if err != nil {
		return fail(err)
	}
	s := &Store{db: db, path: path, layers: map[string]int64{}, readOnly: opts.ReadOnly}
	s.Editing = annotate.Editing{Store: s}
	if fi, err := os.Stat(path); !opts.CheckLater || err != nil || fi.Size() < CheckNowBelow {
		if err := s.Check(ctx); err != nil {
			db.Close()
			return fail(err)
		}
		s.sound.Store(true)
	} else {
		// A large file found sound before, unchanged since (checked.go).
		s.sound.Store(knownSound(path))
	}
	if opts.ReadOnly {
		err = s.checkSchema(ctx)
	} else if err = s.migrate(ctx); err == nil {
		// A copy of the file made from now on is a project.
		err = s.Checkpoint(ctx)
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
		var n, all int
		err = db.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE type = 'table'
			AND name IN ('schema_migrations', 'documents', 'spans', 'layers', 'edits')), count(*) FROM sqlite_master`).Scan(&n, &all)
		if err != nil {
			return err
		}
		switch {
		case n == 5:
			return nil
		case all == 0:
			// Nothing in it: a project whose making was cut short
			// before the mark, which is written before any table.
			if !create {
				return annotate.ErrNoProject
			}
			return nil
		}
	}
	return fmt.Errorf("%w: an SQLite database of another program", annotate.ErrNotProject)
}

// Check refuses a damaged file (SQLite's quick_check: every page and
// index entry read once, about 1 s per GB). Open runs it before anything
// is read from the file or written to it, unless asked to leave it to the
// caller.
//
// A large file (CheckNowBelow) found sound is remembered so, and not
// checked again at a later Open while it is unchanged (checked.go).
func (s *Store) Check(ctx context.Context) error {
	state := fileState(s.path)
	problems, err := pragmaCheck(ctx, s.db, `PRAGMA quick_check(5)`)
	if err != nil {
		return classify(err)
	}
	if len(problems) > 0 {
		forgetSound(s.path)
		return fmt.Errorf("%w: %s", annotate.ErrDamaged, strings.Join(problems, "; "))
	}
	rememberSound(s.path, state)
	s.sound.Store(true)
	return nil
}

// pragmaCheck runs one of SQLite's checks of a file (quick_check,
// integrity_check) and returns the problems it reports, the lines that
// are not "ok"; err is what stopped the check, with the problems found
// until then.
func pragmaCheck(ctx context.Context, db *sql.DB, pragma string) (problems []string, err error) {
	rows, err := db.QueryContext(ctx, pragma)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return problems, err
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	return problems, rows.Err()
}

// Checkpoint copies what the WAL holds into the project file, without
// waiting for readers, so that the file alone is complete.
func (s *Store) Checkpoint(ctx context.Context) (err error) {
	defer wrap(&err, "write the last edits into %s", s.path)
	if s.readOnly {
		return nil
	}
	_, err = s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`)
	return err
}

// SaveCopy writes the whole project, compacted and in one file, to a new
// file at path (SQLite's VACUUM INTO); an existing file is refused.
func (s *Store) SaveCopy(ctx context.Context, path string) (err error) {
	defer wrap(&err, "save a copy of %s as %s", s.path, path)
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s exists: a copy goes to a new file", path)
	}
	_, err = s.db.ExecContext(ctx, `VACUUM INTO ?`, path)
	return err
}

// Checked reports whether the file was found sound: when it opened,
// before and unchanged since, or by Check.
func (s *Store) Checked() bool { return s.sound.Load() }

// classify marks SQLite's errors by what they mean for the user: a
// damaged file, a file that cannot be written, a full disk, a project
// another program holds.
func classify(err error) error {
	var se sqlite3.Error
	if !errors.As(err, &se) {
		return err
	}
	var kind error
	switch se.Code {
	case sqlite3.ErrCorrupt, sqlite3.ErrNotADB:
		kind = annotate.ErrDamaged
	case sqlite3.ErrReadonly:
		kind = annotate.ErrReadOnly
	case sqlite3.ErrFull, sqlite3.ErrIoErr, sqlite3.ErrCantOpen:
		kind = annotate.ErrStorage
	case sqlite3.ErrBusy, sqlite3.ErrLocked:
		kind = annotate.ErrBusy
	default:
		return err
	}
	if errors.Is(err, kind) {
		return err
	}
	return fmt.Errorf("%w: %w", kind, err)
}

// checkWritable refuses, with annotate.ErrReadOnly, a project that cannot
// be written: the file, or its folder (WAL keeps files beside it).
func checkWritable(path string) error {
	dir := filepath.Dir(path)
	if !writableDir(dir) {
		return fmt.Errorf("%w: the folder %s cannot be written", annotate.ErrReadOnly, dir)
	}
	if f, err := os.OpenFile(path, os.O_WRONLY, 0); err == nil {
		f.Close()
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%w: %v", annotate.ErrReadOnly, err)
	}
	return nil
}

// writableDir reports whether files can be made in dir (a variable so
// that tests, which run as root, can say no).
var writableDir = func(dir string) bool {
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
func (s *Store) Close() error {
	s.stopMerge()
	err := s.db.Close()
	// A file this store knew sound, and wrote through SQLite alone, is
	// sound as it leaves it: it is not read whole again at the next open
	// (checked.go). A store that crashed or was killed remembers nothing.
	if err == nil && !s.readOnly && s.sound.Load() {
		rememberSound(s.path, fileState(s.path))
	}
	return err
}

var (
	_ annotate.Store     = (*Store)(nil)
	_ annotate.FileStore = (*Store)(nil)
	_ annotate.Checker   = (*Store)(nil)
)

// Path is the project's file.
func (s *Store) Path() string { return s.path }

// Location is the project's file, as the app shows it.
func (s *Store) Location() string { return s.path }

// DB exposes the connection pool to tests and benchmarks of this module.
func (s *Store) DB() *sql.DB { return s.db }

// SchemaVersion is the version of the newest migration applied.
func (s *Store) SchemaVersion(ctx context.Context) (_ int, err error) {
	defer wrap(&err, "read the schema version")
	var v int
	err = s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// checkSchema refuses, for a read-only open, a project whose schema is
// newer than this Qalam knows or older than it reads.
func (s *Store) checkSchema(ctx context.Context) error {
	ms, err := migrations.Read(migrationFS, "migrations")
	if err != nil {
		return err
	}
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	switch last := ms[len(ms)-1].Version; {
	case v > last:
		return fmt.Errorf("the project has schema version %d, which this Qalam does not know: update Qalam", v)
	case v < last:
		return fmt.Errorf("%w: %w (schema version %d; this Qalam reads %d), and bringing it up to date needs writing: open it once where it can be written", annotate.ErrReadOnly, annotate.ErrOldSchema, v, last)
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
	ms, err := migrations.Read(migrationFS, "migrations")
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
	if err := rows.Err(); err != nil {
		return err
	}
	known := map[int]bool{}
	for _, m := range ms {
		known[m.Version] = true
	}
	for v := range applied {
		if !known[v] {
			return fmt.Errorf("the project has schema version %d, which this Qalam does not know: update Qalam", v)
		}
	}
	for _, m := range ms {
		if applied[m.Version] {
			continue
		}
		// A file whose check was left for later is checked before it is
		// upgraded: an upgrade rewrites tables, and writing into a
		// damaged file can spread the damage.
		if !s.sound.Load() {
			if err := s.Check(ctx); err != nil {
				return err
			}
		}
		if err := s.apply(ctx, m); err != nil {
			return fmt.Errorf("migration %s: %w", m.Name, err)
		}
	}
	return nil
}

// apply runs one migration in its own transaction, on a connection with
// foreign keys off (so that a migration may rebuild a table others refer
// to, as SQLite's documentation prescribes), and checks the foreign keys
// before it commits.
func (s *Store) apply(ctx context.Context, m migrations.Migration) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA foreign_keys = ON`) //nolint:errcheck // the connection is closed next
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return err
	}
	if m.Version == 1 {
		if err := seedLabels(ctx, tx); err != nil {
			return err
		}
	}
	var bad int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM pragma_foreign_key_check`).Scan(&bad); err != nil {
		return err
	}
	if bad > 0 {
		return fmt.Errorf("%d rows would refer to rows that do not exist", bad)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations(version, name) VALUES (?, ?)`, m.Version, m.Name); err != nil {
		return err
	}
	return tx.Commit()
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
	return s.inTxOn(ctx, s.db, fn)
}

// inTxOn is inTx on db, the store's pool or one of its connections.
func (s *Store) inTxOn(ctx context.Context, db interface {
	BeginTx(context.Context, *sql.TxOptions) (*sql.Tx, error)
}, fn func(tx *sql.Tx) error) error {
	s.writer.Lock()
	defer s.writer.Unlock()
	tx, err := db.BeginTx(ctx, nil)
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
func (s *Store) AllowOverlap(ctx context.Context) (_ bool, err error) {
	defer wrap(&err, "read the overlap setting")
	v, err := s.setting(ctx, settingAllowOverlap, "true")
	return v == "true", err
}

// SetAllowOverlap changes whether spans of one layer may overlap.
func (s *Store) SetAllowOverlap(ctx context.Context, allow bool) (err error) {
	defer wrap(&err, "change the overlap setting")
	return s.setSetting(ctx, settingAllowOverlap, strconv.FormatBool(allow))
}

// wrap names the operation a failure happened in: what the store was
// doing and to what, so that a user reads more than SQLite's words.
func wrap(err *error, format string, args ...any) {
	if *err != nil {
		*err = fmt.Errorf(format+": %w", append(args, classify(*err))...)
	}
}
