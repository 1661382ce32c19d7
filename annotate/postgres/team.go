package postgres

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/internal/migrations"
)

// migrateLock is held while a schema is made or upgraded.
const migrateLock = 0x51616C6E

// connect opens one connection to the database at rawURL.
func connect(ctx context.Context, rawURL string) (*pgx.Conn, error) {
	cfg, err := config(rawURL, Options{})
	if err != nil {
		return nil, err
	}
	conn, err := pgx.ConnectConfig(ctx, cfg.ConnConfig)
	if err != nil {
		return nil, wrap(err)
	}
	return conn, nil
}

// Init makes a team project in the database at rawURL, or brings its
// schema up to date, and returns what it did, a line each. Its user
// becomes the project's administrator: the owner of its tables, who
// changes labels, imports and assigns. A schema newer than this Qalam's
// is refused.
func Init(ctx context.Context, rawURL string) ([]string, error) {
	loc := Redact(rawURL)
	lines, err := initSchema(ctx, rawURL)
	if err != nil {
		return lines, fmt.Errorf("team init %s: %w", loc, err)
	}
	return lines, nil
}

func initSchema(ctx context.Context, rawURL string) ([]string, error) {
	conn, err := connect(ctx, rawURL)
	if err != nil {
		return nil, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrateLock); err != nil {
		return nil, wrap(err)
	}
	var lines []string
	var db, user string
	var mayCreate bool
	var owner *string
	err = conn.QueryRow(ctx, `SELECT current_database(), current_user, has_database_privilege(current_database(), 'CREATE'),
		(SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'qalam')`).Scan(&db, &user, &mayCreate, &owner)
	if err != nil {
		return nil, wrap(err)
	}
	switch {
	case owner == nil && !mayCreate:
		return nil, fmt.Errorf("%w: %s may not create a schema in database %s (GRANT CREATE ON DATABASE %s TO %s, or run team init as its owner)",
			annotate.ErrReadOnly, user, db, db, user)
	case owner == nil:
		if _, err := conn.Exec(ctx, `CREATE SCHEMA qalam`); err != nil {
			return nil, wrap(err)
		}
		lines = append(lines, fmt.Sprintf("created schema qalam in database %s", db))
	}
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS qalam.schema_migrations (
		version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return lines, wrap(err)
	}
	ms, err := migrations.Read(migrationFS, "migrations")
	if err != nil {
		return lines, err
	}
	v, err := schemaVersion(ctx, conn)
	if err != nil {
		return lines, wrap(err)
	}
	if last := ms[len(ms)-1].Version; v > last {
		return lines, fmt.Errorf("the project has schema version %d, which this Qalam does not know: update Qalam", v)
	}
	for _, m := range ms {
		if m.Version <= v {
			continue
		}
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SET LOCAL search_path = qalam, public`); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, m.SQL); err != nil {
				return fmt.Errorf("migration %s: %w", m.Name, err)
			}
			if m.Version == 1 {
				for i, l := range annotate.DefaultLabels() {
					if _, err := tx.Exec(ctx, `INSERT INTO labels(name, color, hotkey, position) VALUES ($1, $2, $3, $4)`,
						l.Name, l.Color, l.Hotkey, i); err != nil {
						return err
					}
				}
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations(version, name) VALUES ($1, $2)`, m.Version, m.Name)
			return err
		})
		if err != nil {
			return lines, wrap(err)
		}
		lines = append(lines, "applied migration "+m.Name)
	}
	if len(lines) == 0 {
		lines = append(lines, fmt.Sprintf("the project in database %s is up to date (schema version %d)", db, v))
	} else {
		lines = append(lines, fmt.Sprintf("%s administers the project: labels, imports, assignments (qalam team add adds members)", user))
	}
	return lines, nil
}

// Member kinds that AddMember accepts.
const (
	Annotator = "annotator"
	Reviewer  = "reviewer"
)

// AddMember gives the role name access to the team project at adminURL
// (connected as its administrator) as an annotator or a reviewer,
// creating the login role when it does not exist, with a new random
// password when password is true. It returns what it did, a line each
// (the new password among them). Creating a role needs CREATEROLE; without
// it the error says so.
func AddMember(ctx context.Context, adminURL, name, kind string, password bool) ([]string, error) {
	lines, err := addMember(ctx, adminURL, name, kind, password)
	if err != nil {
		return lines, fmt.Errorf("team add %s %s: %w", kind, name, err)
	}
	return lines, nil
}

func addMember(ctx context.Context, adminURL, name, kind string, password bool) ([]string, error) {
	if kind != Annotator && kind != Reviewer {
		return nil, fmt.Errorf("a member is an %s or a %s, not %q", Annotator, Reviewer, kind)
	}
	if err := annotate.ValidateLayerName(name); err != nil {
		return nil, err
	}
	if annotate.KindOf(name) != annotate.AnnotatorLayer || strings.HasPrefix(name, "pg_") {
		return nil, fmt.Errorf("%q is reserved and cannot name a member", name)
	}
	conn, err := connect(ctx, adminURL)
	if err != nil {
		return nil, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if v, err := schemaVersion(ctx, conn); err != nil || v == 0 {
		if err == nil {
			err = fmt.Errorf("%w: the database has no Qalam project (qalam team init --db URL makes one)", annotate.ErrNoProject)
		}
		return nil, wrap(err)
	}
	var lines []string
	var me, db string
	var exists, createRole bool
	err = conn.QueryRow(ctx, `SELECT current_user, current_database(),
		EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1),
		(SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user)`, name).Scan(&me, &db, &exists, &createRole)
	if err != nil {
		return nil, wrap(err)
	}
	role := pgx.Identifier{name}.Sanitize()
	var pw string
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if !exists {
			if !createRole {
				return fmt.Errorf("%w: %s lacks CREATEROLE, so it cannot create the login role %s; a superuser runs ALTER ROLE %s CREATEROLE, or creates the role (CREATE ROLE %s LOGIN) and this command then gives it access",
					annotate.ErrReadOnly, me, name, pgx.Identifier{me}.Sanitize(), role)
			}
			stmt := "CREATE ROLE " + role + " LOGIN"
			if password {
				pw = rand.Text()
				var quoted string
				if err := tx.QueryRow(ctx, `SELECT quote_literal($1)`, pw).Scan(&quoted); err != nil {
					return err
				}
				stmt += " PASSWORD " + quoted
			}
			if _, err := tx.Exec(ctx, stmt); err != nil {
				return err
			}
			lines = append(lines, "created login role "+name)
		} else {
			lines = append(lines, "login role "+name+" exists already")
		}
		grants := []string{
			"GRANT CONNECT ON DATABASE " + pgx.Identifier{db}.Sanitize() + " TO " + role,
			"GRANT USAGE ON SCHEMA qalam TO " + role,
			"GRANT SELECT ON ALL TABLES IN SCHEMA qalam TO " + role,
			"GRANT INSERT, UPDATE, DELETE ON qalam.spans, qalam.doc_status, qalam.edits, qalam.rejected_suggestions TO " + role,
			"GRANT INSERT ON qalam.comments, qalam.adjudications, qalam.layers TO " + role,
			"GRANT INSERT, UPDATE, DELETE ON qalam.settings TO " + role, // their own switches only (003)
			"GRANT UPDATE (search) ON qalam.documents TO " + role,
		}
		for _, g := range grants {
			if _, err := tx.Exec(ctx, g); err != nil {
				var pgErr interface{ SQLState() string }
				if errors.As(err, &pgErr) && pgErr.SQLState() == "42501" {
					return fmt.Errorf("%w: %s may not grant access to the project (run team add as the role that ran team init): %w", annotate.ErrReadOnly, me, err)
				}
				return err
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO qalam.members(role, kind) VALUES ($1, $2)
			ON CONFLICT (role) DO UPDATE SET kind = excluded.kind`, name, kind); err != nil {
			return err
		}
		what := "annotates the layer " + name
		if kind == Reviewer {
			what = "reviews: reads every layer and writes gold"
		}
		lines = append(lines, fmt.Sprintf("%s may connect to database %s and %s", name, db, what))
		return nil
	})
	if err != nil {
		return nil, wrap(err)
	}
	if pw != "" {
		lines = append(lines, fmt.Sprintf("password of %s: %s (give it to them once; they keep it in ~/.pgpass or PGPASSWORD, never in the URL)", name, pw))
	}
	return lines, nil
}
