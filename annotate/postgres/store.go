// Package postgres is Qalam's team store: one PostgreSQL database is one
// project that a team annotates at once, each member logging in as a
// role of their own. The server keeps each annotator to their own layer
// (row-level security, see migrations/001_init.sql), tells every open
// app of what changed (LISTEN/NOTIFY, Watch) and holds the edit log, so
// undo and redo work per layer and document as in a project file.
//
// A project is made, and its schema brought up to date, by Init (qalam
// team init); members are added by AddMember (qalam team add). Open
// connects to one: its URL takes libpq's settings (sslmode, ...) and the
// password from the URL, PGPASSWORD or ~/.pgpass, through pgx.
//
// Every user edit is one transaction, serialised per layer and document
// by an advisory lock, so two windows of one annotator never lose an
// update. Articles are imported with COPY.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/internal/migrations"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// schema holds a project's tables in its database.
const schema = "qalam"

// IsURL reports whether location names a team project (postgres:// or
// postgresql://) rather than a file.
func IsURL(location string) bool {
	return strings.HasPrefix(location, "postgres://") || strings.HasPrefix(location, "postgresql://")
}

// Store is an open team project. The editing rules come from the domain
// (annotate.Editing) over Edit.
type Store struct {
	annotate.Editing
	pool     *pgxpool.Pool
	location string

	mu     sync.Mutex
	layers map[string]int64 // name → id, filled on demand
	names  map[int64]string // id → name

	notices *notifier
}

var (
	_ annotate.Store   = (*Store)(nil)
	_ annotate.Watcher = (*Store)(nil)
	_ annotate.Team    = (*Store)(nil)
)

// Options say how Open connects.
type Options struct {
	// ReadOnly opens every transaction read-only.
	ReadOnly bool
	// MaxConns bounds the pool (0: pgx's default).
	MaxConns int32
}

// config parses a project URL into a pool configuration whose sessions
// find the project's tables.
func config(rawURL string, opts Options) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(rawURL)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Redact(rawURL), errors.Unwrap(err))
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	if cfg.ConnConfig.RuntimeParams["application_name"] == "" {
		cfg.ConnConfig.RuntimeParams["application_name"] = "qalam"
	}
	if opts.ReadOnly {
		cfg.ConnConfig.RuntimeParams["default_transaction_read_only"] = "on"
	}
	if opts.MaxConns > 0 {
		cfg.MaxConns = opts.MaxConns
	}
	return cfg, nil
}

// Open connects to the team project at rawURL. A database without a
// project is refused (annotate.ErrNoProject: qalam team init makes one),
// and so is a project whose schema this Qalam does not know.
func Open(ctx context.Context, rawURL string, opts Options) (*Store, error) {
	loc := Redact(rawURL)
	fail := func(err error) (*Store, error) { return nil, fmt.Errorf("open team project %s: %w", loc, wrap(err)) }
	cfg, err := config(rawURL, opts)
	if err != nil {
		return fail(err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return fail(err)
	}
	s := &Store{pool: pool, location: loc, layers: map[string]int64{}, names: map[int64]string{}, notices: newNotifier()}
	s.Editing = annotate.Editing{Store: s}
	if err := s.checkSchema(ctx); err != nil {
		pool.Close()
		return fail(err)
	}
	return s, nil
}

// Redact writes a project URL without its password, as the app shows it
// and as preferences keep it.
func Redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "postgres://(a URL that does not parse)"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	if q.Has("password") {
		q.Del("password")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// Location is the project's URL without its password.
func (s *Store) Location() string { return s.location }

// Close sends the notices still pending and closes the connections.
func (s *Store) Close() error {
	s.closeNotices()
	s.pool.Close()
	return nil
}

// Pool exposes the connections to tests and benchmarks of this module.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// schemaVersion is the newest migration applied, 0 for a database
// without a project.
func schemaVersion(ctx context.Context, q querier) (int, error) {
	var exists bool
	if err := q.QueryRow(ctx, `SELECT to_regclass('qalam.schema_migrations') IS NOT NULL`).Scan(&exists); err != nil || !exists {
		return 0, err
	}
	var v int
	err := q.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM qalam.schema_migrations`).Scan(&v)
	return v, err
}

// checkSchema refuses a database without a project, or with a schema
// newer or older than this Qalam's.
func (s *Store) checkSchema(ctx context.Context) error {
	ms, err := migrations.Read(migrationFS, "migrations")
	if err != nil {
		return err
	}
	v, err := schemaVersion(ctx, s.pool)
	if err != nil {
		return err
	}
	switch last := ms[len(ms)-1].Version; {
	case v == 0:
		return fmt.Errorf("%w: the database has no Qalam project (qalam team init --db URL makes one)", annotate.ErrNoProject)
	case v > last:
		return fmt.Errorf("the project has schema version %d, which this Qalam does not know: update Qalam", v)
	case v < last:
		return fmt.Errorf("the project's schema (version %d) needs upgrading to %d: its administrator runs qalam team init once", v, last)
	}
	return nil
}

// querier is what pools, connections and transactions share.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// inTx runs fn in one transaction: committed when fn returns nil, rolled
// back otherwise.
func (s *Store) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return wrap(pgx.BeginFunc(ctx, s.pool, fn))
}

// wrap marks the errors of a server that cannot be reached with
// annotate.ErrOffline, and a refusal of row-level security or of
// privileges with annotate.ErrReadOnly.
func wrap(err error) error {
	if err == nil || errors.Is(err, annotate.ErrOffline) {
		return err
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case pgErr.Code == "42501": // insufficient_privilege, row-level security
			return fmt.Errorf("%w: %w", annotate.ErrReadOnly, err)
		case pgErr.Code == "25006": // read_only_sql_transaction
			return fmt.Errorf("%w: %w", annotate.ErrReadOnly, err)
		case strings.HasPrefix(pgErr.Code, "08"), pgErr.Code == "57P01", pgErr.Code == "57P02", pgErr.Code == "57P03":
			// connection exceptions; the server shutting down or starting
			return fmt.Errorf("%w: %w", annotate.ErrOffline, err)
		}
		return err
	}
	var netErr net.Error
	var connErr *pgconn.ConnectError
	if errors.As(err, &netErr) || errors.As(err, &connErr) || pgconn.SafeToRetry(err) || errors.Is(err, pgx.ErrTxClosed) ||
		strings.Contains(err.Error(), "conn closed") || strings.Contains(err.Error(), "unexpected EOF") {
		return fmt.Errorf("%w: %w", annotate.ErrOffline, err)
	}
	return err
}

// domainSetting prefixes the keys of the domain's settings
// (annotate.Settings), keeping them apart from the store's own.
const domainSetting = "domain."

// Setting returns the domain setting kept under key, "" when none.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	v, err := s.setting(ctx, domainSetting+key, "")
	if err != nil {
		return "", fmt.Errorf("read setting %s: %w", key, err)
	}
	return v, nil
}

// SetSetting keeps a domain setting; "" removes it.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	var err error
	if value == "" {
		_, err = s.pool.Exec(ctx, `DELETE FROM settings WHERE key = $1`, domainSetting+key)
	} else {
		_, err = s.pool.Exec(ctx, `INSERT INTO settings(key, value) VALUES ($1, $2)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, domainSetting+key, value)
	}
	if err != nil {
		return fmt.Errorf("set setting %s: %w", key, wrap(err))
	}
	return nil
}

// setting reads one of the store's own settings, def when unset.
func (s *Store) setting(ctx context.Context, key, def string) (string, error) {
	var v string
	err := s.pool.QueryRow(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return def, nil
	}
	return v, wrap(err)
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
	_, err := s.pool.Exec(ctx, `INSERT INTO settings(key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, settingAllowOverlap, strconv.FormatBool(allow))
	if err != nil {
		return fmt.Errorf("set overlap setting: %w", wrap(err))
	}
	return nil
}

// Me says who the store's user is in the team: the project's owner
// administers it; a member annotates or reviews.
func (s *Store) Me(ctx context.Context) (annotate.Member, error) {
	var m annotate.Member
	var kind *string
	err := s.pool.QueryRow(ctx, `SELECT current_user,
		(SELECT kind FROM members WHERE role = current_user),
		pg_has_role(current_user, (SELECT tableowner FROM pg_tables WHERE schemaname = 'qalam' AND tablename = 'documents'), 'USAGE')`).
		Scan(&m.Name, &kind, &m.Admin)
	if err != nil {
		return m, fmt.Errorf("who am I: %w", wrap(err))
	}
	m.Reviewer = m.Admin || kind != nil && *kind == "reviewer"
	return m, nil
}

// --- layers ------------------------------------------------------------------

// layerID returns the id of the named layer, creating it on first use (in
// q's transaction).
func (s *Store) layerID(ctx context.Context, q querier, name string) (int64, error) {
	s.mu.Lock()
	id, ok := s.layers[name]
	s.mu.Unlock()
	if ok {
		return id, nil
	}
	if err := annotate.ValidateNewLayer(name); err != nil {
		return 0, err
	}
	err := q.QueryRow(ctx, `SELECT id FROM layers WHERE name = $1`, name).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		err = q.QueryRow(ctx, `INSERT INTO layers(name, kind) VALUES ($1, $2)
			ON CONFLICT (name) DO NOTHING RETURNING id`, name, annotate.KindOf(name)).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) { // made meanwhile by another session
			err = q.QueryRow(ctx, `SELECT id FROM layers WHERE name = $1`, name).Scan(&id)
		}
		if err != nil {
			return 0, fmt.Errorf("layer %s: %w", name, wrap(err))
		}
		return id, nil // remembered once committed (rememberLayer)
	}
	if err != nil {
		return 0, wrap(err)
	}
	s.remember(name, id)
	return id, nil
}

func (s *Store) remember(name string, id int64) {
	s.mu.Lock()
	s.layers[name], s.names[id] = id, name
	s.mu.Unlock()
}

// lookupLayer returns the id of an existing layer, or ok=false.
func (s *Store) lookupLayer(ctx context.Context, name string) (int64, bool, error) {
	s.mu.Lock()
	id, ok := s.layers[name]
	s.mu.Unlock()
	if ok {
		return id, true, nil
	}
	err := s.pool.QueryRow(ctx, `SELECT id FROM layers WHERE name = $1`, name).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, wrap(err)
	}
	s.remember(name, id)
	return id, true, nil
}

// layerName returns the name of the layer with that id ("" when none).
func (s *Store) layerName(ctx context.Context, id int64) string {
	s.mu.Lock()
	name, ok := s.names[id]
	s.mu.Unlock()
	if ok {
		return name
	}
	if err := s.pool.QueryRow(ctx, `SELECT name FROM layers WHERE id = $1`, id).Scan(&name); err != nil {
		return ""
	}
	s.remember(name, id)
	return name
}

// forgetLayers empties the cache of layer ids (layers were renamed or
// removed).
func (s *Store) forgetLayers() {
	s.mu.Lock()
	s.layers, s.names = map[string]int64{}, map[int64]string{}
	s.mu.Unlock()
}

// Layers lists the project's layers that the user may read, gold first
// (staging layers, which a merge is still loading, are left out).
func (s *Store) Layers(ctx context.Context) ([]annotate.Layer, error) {
	rows, err := s.pool.Query(ctx, `SELECT name, kind FROM layers WHERE left(name, 1) <> $1
		AND (NOT row_security_active('qalam.spans') OR id IN (SELECT id FROM readable_layers))
		ORDER BY kind <> 'gold', name COLLATE "C"`, stagingMark)
	if err != nil {
		return nil, fmt.Errorf("list layers: %w", wrap(err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (annotate.Layer, error) {
		var l annotate.Layer
		err := r.Scan(&l.Name, &l.Kind)
		return l, err
	})
	if err != nil {
		return nil, fmt.Errorf("list layers: %w", wrap(err))
	}
	return out, nil
}

// stagingMark is the first character of a staging layer's name.
var stagingMark = annotate.StagingName("", "")[:1]
