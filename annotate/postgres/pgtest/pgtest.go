// Package pgtest gives tests throw-away team projects on the PostgreSQL
// server that QALAM_TEST_POSTGRES names (a superuser's URL); without it
// they are skipped, saying how to start one:
//
//	eval "$(sh scripts/pg-test.sh start)"
package pgtest

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/qalam-annotate/qalam/annotate/postgres"
)

// Env names the variable that holds the test server's URL.
const Env = "QALAM_TEST_POSTGRES"

// Server returns the test server's URL, or skips the test.
func Server(t testing.TB) string {
	t.Helper()
	u := os.Getenv(Env)
	if u == "" {
		t.Skip(Env + " is not set: these tests need a PostgreSQL server. Start a throw-away one with\n" +
			`	eval "$(sh scripts/pg-test.sh start)"` + "\n(from the repository's root; Debian's postgresql package) and run the tests again.")
	}
	return u
}

// WithDatabase is the URL u with its database (and user, when not "")
// replaced.
func WithDatabase(t testing.TB, u, db, user string) string {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	p.Path = "/" + db
	if user != "" {
		p.User = url.User(user)
	}
	return p.String()
}

// Exec runs SQL statements on the server at u.
func Exec(t testing.TB, u string, stmts ...string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, s := range stmts {
		if _, err := conn.Exec(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// NewDatabase makes an empty database, dropped when the test ends, and
// returns its URL as the superuser.
func NewDatabase(t testing.TB) string {
	t.Helper()
	server := Server(t)
	name := "qalam_test_" + strings.ToLower(rand.Text()[:12])
	Exec(t, server, "CREATE DATABASE "+name)
	t.Cleanup(func() {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, server)
		if err != nil {
			t.Logf("drop database %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
			t.Logf("drop database %s: %v", name, err)
		}
	})
	return WithDatabase(t, server, name, "")
}

// NewProject makes a team project in a new database and returns its
// administrator's URL.
func NewProject(t testing.TB) string {
	t.Helper()
	u := NewDatabase(t)
	if _, err := postgres.Init(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

// Open opens the project at u, closed when the test ends.
func Open(t testing.TB, u string) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), u, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Role names a login role unique to this run: roles are the server's,
// shared by every database.
func Role(t testing.TB, name string) string {
	t.Helper()
	return fmt.Sprintf("%s_%s", name, strings.ToLower(rand.Text()[:6]))
}
