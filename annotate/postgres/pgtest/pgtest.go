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
	"os/exec"
	"path/filepath"
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
	return newDatabase(t, Server(t))
}

func newDatabase(t testing.TB, server string) string {
	t.Helper()
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
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("drop database %s: %v", name, err)
		}
	})
	return WithDatabase(t, server, name, "")
}

// NewProject makes a team project in a new database and returns its
// administrator's URL.
func NewProject(t testing.TB) string {
	t.Helper()
	return newProject(t, NewDatabase(t))
}

// NewProject makes a team project on the cluster and returns its
// administrator's URL.
func (c *Cluster) NewProject(t testing.TB) string {
	t.Helper()
	return newProject(t, newDatabase(t, c.URL))
}

func newProject(t testing.TB, u string) string {
	t.Helper()
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

// Database is the name of the database at u.
func Database(t testing.TB, u string) string {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimPrefix(p.Path, "/")
}

// Cluster is a server of the test's own, to stop and start: for tests of
// what happens when the server goes away.
type Cluster struct {
	URL    string // the superuser's
	dir    string
	script string
	t      testing.TB
}

// NewCluster starts a throw-away cluster with scripts/pg-test.sh (found
// above the working directory), stopped and removed when the test ends.
// It skips where QALAM_TEST_POSTGRES is not set, as PostgreSQL is then
// not expected to be installed.
func NewCluster(t testing.TB) *Cluster {
	t.Helper()
	Server(t)
	script := ""
	for dir, _ := os.Getwd(); ; dir = filepath.Dir(dir) {
		if p := filepath.Join(dir, "scripts", "pg-test.sh"); fileExists(p) {
			script = p
			break
		}
		if dir == filepath.Dir(dir) {
			t.Fatal("scripts/pg-test.sh not found above the working directory")
		}
	}
	out, err := exec.Command("sh", script, "start").CombinedOutput()
	if err != nil {
		t.Fatalf("pg-test.sh start: %v\n%s", err, out)
	}
	c := &Cluster{t: t}
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "export QALAM_TEST_POSTGRES="); ok {
			c.URL = strings.Trim(v, "'")
		}
		if v, ok := strings.CutPrefix(line, "export QALAM_TEST_PGDIR="); ok {
			c.dir = strings.Trim(v, "'")
		}
	}
	if c.URL == "" || c.dir == "" {
		t.Fatalf("pg-test.sh start said %s", out)
	}
	c.script = script
	t.Cleanup(func() { exec.Command("sh", script, "stop", c.dir).Run() })
	return c
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// Stop stops the server (fast: sessions are ended).
func (c *Cluster) Stop() { c.run("pause") }

// Start starts it again.
func (c *Cluster) Start() { c.run("resume") }

func (c *Cluster) run(verb string) {
	c.t.Helper()
	if out, err := exec.Command("sh", c.script, verb, c.dir).CombinedOutput(); err != nil {
		c.t.Fatalf("pg-test.sh %s: %v\n%s", verb, err, out)
	}
}
