package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/postgres"
	"github.com/qalam-annotate/qalam/annotate/postgres/pgtest"
)

// team is a team project with an administrator (who may create roles),
// two annotators and a reviewer, each a login role of their own.
type team struct {
	admin, amina, karim, salma string // URLs
	aminaName, karimName       string
	salmaName                  string
	doc                        int64
}

func newTeam(t *testing.T) team {
	t.Helper()
	ctx := context.Background()
	server := pgtest.Server(t)
	adminRole := pgtest.Role(t, "admin")
	db := pgtest.NewDatabase(t)
	dbName := pgtest.Database(t, db)
	pgtest.Exec(t, server, "CREATE ROLE "+adminRole+" LOGIN CREATEROLE", "ALTER DATABASE "+dbName+" OWNER TO "+adminRole)
	tm := team{admin: pgtest.WithDatabase(t, db, dbName, adminRole)}
	if _, err := postgres.Init(ctx, tm.admin); err != nil {
		t.Fatal(err)
	}
	tm.aminaName, tm.karimName, tm.salmaName = pgtest.Role(t, "amina"), pgtest.Role(t, "karim"), pgtest.Role(t, "salma")
	for _, m := range []struct{ name, kind string }{{tm.aminaName, postgres.Annotator}, {tm.karimName, postgres.Annotator}, {tm.salmaName, postgres.Reviewer}} {
		lines, err := postgres.AddMember(ctx, tm.admin, m.name, m.kind, true)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(strings.Join(lines, "\n"), "created login role "+m.name) {
			t.Errorf("team add said %q", lines)
		}
	}
	t.Cleanup(func() {
		// Roles are the server's: drop them with the database.
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, server)
		if err != nil {
			return
		}
		defer conn.Close(ctx)
		conn.Exec(ctx, "DROP DATABASE IF EXISTS "+dbName+" WITH (FORCE)")
		for _, r := range []string{tm.aminaName, tm.karimName, tm.salmaName, adminRole} {
			conn.Exec(ctx, "DROP ROLE IF EXISTS "+r)
		}
	})
	tm.amina = pgtest.WithDatabase(t, db, dbName, tm.aminaName)
	tm.karim = pgtest.WithDatabase(t, db, dbName, tm.karimName)
	tm.salma = pgtest.WithDatabase(t, db, dbName, tm.salmaName)

	a := pgtest.Open(t, tm.admin)
	im, err := a.NewImporter(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if tm.doc, _, err = im.Add(annotate.NewDocument("d", "ستيف ويتكوف في واشنطن", nil)); err != nil {
		t.Fatal(err)
	}
	if err := im.Close(); err != nil {
		t.Fatal(err)
	}
	// karim works on his layer through the store.
	k := pgtest.Open(t, tm.karim)
	if _, err := k.AddSpan(ctx, annotate.Span{DocID: tm.doc, Layer: tm.karimName, Start: 0, End: 11, Label: "PERSON"}); err != nil {
		t.Fatal(err)
	}
	if err := k.SetStatus(ctx, tm.doc, tm.karimName, annotate.Done); err != nil {
		t.Fatal(err)
	}
	if _, err := k.AddComment(ctx, annotate.Comment{DocID: tm.doc, Layer: tm.karimName, Text: "سهل"}); err != nil {
		t.Fatal(err)
	}
	return tm
}

// session is a hand-made SQL session as one role.
type session struct {
	t    *testing.T
	conn *pgx.Conn
}

func sessionAs(t *testing.T, u string) *session {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return &session{t, conn}
}

// refused runs stmt and wants the server to refuse it (privileges or
// row-level security).
func (s *session) refused(stmt string, args ...any) {
	s.t.Helper()
	_, err := s.conn.Exec(context.Background(), stmt, args...)
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
		s.t.Errorf("%s: %v, want a refusal (42501)", stmt, err)
	}
}

// rows runs stmt and returns how many rows it touched.
func (s *session) rows(stmt string, args ...any) int64 {
	s.t.Helper()
	tag, err := s.conn.Exec(context.Background(), stmt, args...)
	if err != nil {
		s.t.Fatalf("%s: %v", stmt, err)
	}
	return tag.RowsAffected()
}

func (s *session) count(q string, args ...any) int {
	s.t.Helper()
	var n int
	if err := s.conn.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		s.t.Fatalf("%s: %v", q, err)
	}
	return n
}

// TestRowLevelSecurity checks, in SQL sessions made by hand as each
// member, what the server lets them read and write.
func TestRowLevelSecurity(t *testing.T) {
	tm := newTeam(t)
	ctx := context.Background()
	admin := sessionAs(t, tm.admin)
	karimLayer := admin.count(`SELECT id FROM qalam.layers WHERE name = $1`, tm.karimName)
	karimSpans := func() int {
		return admin.count(`SELECT count(*) FROM qalam.spans WHERE layer_id = $1`, karimLayer)
	}
	if karimSpans() != 1 {
		t.Fatalf("karim has %d spans", karimSpans())
	}

	amina := sessionAs(t, tm.amina)
	amina.rows(`SET search_path = qalam`)
	// amina cannot read karim's layer...
	for _, table := range []string{"spans", "doc_status", "comments", "edits"} {
		if n := amina.count(`SELECT count(*) FROM `+table+` WHERE layer_id = $1`, karimLayer); n != 0 {
			t.Errorf("amina reads %d rows of karim's %s", n, table)
		}
	}
	// ... nor change or remove it: the rows are not hers to see.
	if n := amina.rows(`UPDATE spans SET start = 1 WHERE layer_id = $1`, karimLayer); n != 0 {
		t.Errorf("amina changed %d of karim's spans", n)
	}
	if n := amina.rows(`DELETE FROM spans WHERE layer_id = $1`, karimLayer); n != 0 {
		t.Errorf("amina deleted %d of karim's spans", n)
	}
	if n := amina.rows(`DELETE FROM doc_status WHERE layer_id = $1`, karimLayer); n != 0 {
		t.Errorf("amina deleted %d of karim's statuses", n)
	}
	if n := amina.rows(`UPDATE edits SET undone = true WHERE layer_id = $1`, karimLayer); n != 0 {
		t.Errorf("amina undid %d of karim's edits", n)
	}
	// Writing into his layer is refused outright.
	label := admin.count(`SELECT id FROM qalam.labels WHERE name = 'PLACE'`)
	amina.refused(`INSERT INTO spans(doc_id, layer_id, label_id, start, "end", origin) VALUES ($1, $2, $3, 15, 21, 'manual')`, tm.doc, karimLayer, label)
	amina.refused(`INSERT INTO doc_status(doc_id, layer_id, status) VALUES ($1, $2, 'skipped') ON CONFLICT DO NOTHING`, tm.doc, karimLayer)
	amina.refused(`INSERT INTO comments(doc_id, layer_id, text) VALUES ($1, $2, 'x')`, tm.doc, karimLayer)
	amina.refused(`INSERT INTO edits(doc_id, layer_id, kind, ops) VALUES ($1, $2, 'x', '[]')`, tm.doc, karimLayer)
	// Nor can she make layers that are not hers, gold among them.
	amina.refused(`INSERT INTO layers(name, kind) VALUES ('someone', 'annotator')`)
	amina.refused(`INSERT INTO layers(name, kind) VALUES ('gold', 'gold')`)
	// Labels, documents, assignments and settings are the administrator's.
	amina.refused(`INSERT INTO labels(name, color, position) VALUES ('ORG', '#000000', 9)`)
	amina.refused(`UPDATE labels SET name = 'X'`)
	amina.refused(`INSERT INTO documents(name, text, sha256, length) VALUES ('x', 'x', 'x', 1)`)
	amina.refused(`UPDATE documents SET name = 'x'`)
	amina.refused(`INSERT INTO assignments(layer_id, doc_id) VALUES ($1, $2)`, karimLayer, tm.doc)
	amina.refused(`INSERT INTO settings(key, value) VALUES ('allow_overlap', 'false')`)
	amina.refused(`DELETE FROM members`)
	if karimSpans() != 1 {
		t.Errorf("karim's spans changed: %d", karimSpans())
	}

	// Through the store, amina edits her own layer and nothing else.
	as := pgtest.Open(t, tm.amina)
	if _, err := as.AddSpan(ctx, annotate.Span{DocID: tm.doc, Layer: tm.aminaName, Start: 15, End: 21, Label: "PLACE"}); err != nil {
		t.Fatalf("amina on her own layer: %v", err)
	}
	if _, err := as.AddSpan(ctx, annotate.Span{DocID: tm.doc, Layer: tm.karimName, Start: 15, End: 21, Label: "PLACE"}); !errors.Is(err, annotate.ErrReadOnly) {
		t.Errorf("amina adding to karim's layer: %v, want ErrReadOnly", err)
	}
	if _, err := as.Undo(ctx, tm.karimName, tm.doc); !errors.Is(err, annotate.ErrNothingToUndo) {
		t.Errorf("amina undoing karim's edit: %v", err)
	}
	if err := as.AddLabel(ctx, annotate.Label{Name: "ORG"}); !errors.Is(err, annotate.ErrReadOnly) {
		t.Errorf("amina adding a label: %v", err)
	}
	if _, err := as.Assign(ctx, []string{tm.aminaName}, 0, 1); !errors.Is(err, annotate.ErrReadOnly) {
		t.Errorf("amina assigning: %v", err)
	}
	if err := as.Settle(ctx, tm.doc, []annotate.Decision{{Start: 0, End: 11}}, false); !errors.Is(err, annotate.ErrReadOnly) {
		t.Errorf("amina adjudicating: %v", err)
	}
	if me, err := as.Me(ctx); err != nil || me.Name != tm.aminaName || me.Reviewer || me.Admin {
		t.Errorf("amina is %+v %v", me, err)
	}
	if sp, _ := as.Spans(ctx, tm.doc, tm.karimName); len(sp) != 0 {
		t.Errorf("amina's store reads karim's spans: %v", sp)
	}
	// Her first search indexes the documents not indexed yet; once one
	// is, she can no longer change its index.
	if found, err := as.DocumentPage(ctx, annotate.DocQuery{Layer: tm.aminaName, Search: "واشنطن"}, 0, 0, 0); err != nil || len(found) != 1 {
		t.Errorf("amina searching: %v %v", found, err)
	}
	if n := amina.rows(`UPDATE documents SET search = ' x '`); n != 0 {
		t.Errorf("amina rewrote the search index of %d documents", n)
	}
	if ls, err := as.Layers(ctx); err != nil || len(ls) != 1 || ls[0].Name != tm.aminaName {
		t.Errorf("amina's layers: %v %v, want only hers", ls, err)
	}

	// salma reviews: she reads every layer and writes gold, and only gold.
	salma := sessionAs(t, tm.salma)
	salma.rows(`SET search_path = qalam`)
	if n := salma.count(`SELECT count(*) FROM spans WHERE layer_id = $1`, karimLayer); n != 1 {
		t.Errorf("salma reads %d of karim's spans, want 1", n)
	}
	salma.refused(`INSERT INTO spans(doc_id, layer_id, label_id, start, "end", origin) VALUES ($1, $2, $3, 15, 21, 'manual')`, tm.doc, karimLayer, label)
	if n := salma.rows(`DELETE FROM spans WHERE layer_id = $1`, karimLayer); n != 0 {
		t.Errorf("salma deleted %d of karim's spans", n)
	}
	salma.refused(`INSERT INTO labels(name, color, position) VALUES ('ORG', '#000000', 9)`)
	ss := pgtest.Open(t, tm.salma)
	karimsSpans, err := ss.Spans(ctx, tm.doc, tm.karimName)
	if err != nil || len(karimsSpans) != 1 {
		t.Fatalf("salma reading karim: %v %v", karimsSpans, err)
	}
	if err := ss.Settle(ctx, tm.doc, []annotate.Decision{{Start: 0, End: 11, Spans: karimsSpans}}, true); err != nil {
		t.Fatalf("salma adjudicating: %v", err)
	}
	if st, _, _ := ss.Status(ctx, tm.doc, annotate.Gold); st != annotate.Done {
		t.Errorf("gold status %s after salma finished it", st)
	}
	if settled, _ := ss.Settled(ctx, tm.doc); len(settled) != 1 {
		t.Errorf("settled %v", settled)
	}
	if ls, err := ss.Layers(ctx); err != nil || len(ls) != 3 || ls[0].Name != annotate.Gold {
		t.Errorf("salma's layers: %v %v, want gold, amina's and karim's", ls, err)
	}
	if me, err := ss.Me(ctx); err != nil || !me.Reviewer || me.Admin {
		t.Errorf("salma is %+v %v", me, err)
	}
	// amina cannot write gold, even through the store's own rules.
	if n := amina.rows(`UPDATE edits SET undone = true WHERE layer_id = (SELECT id FROM layers WHERE name = 'gold')`); n != 0 {
		t.Errorf("amina undid %d of gold's edits", n)
	}
	if n := amina.rows(`DELETE FROM doc_status WHERE layer_id = (SELECT id FROM layers WHERE name = 'gold')`); n != 0 {
		t.Errorf("amina deleted %d of gold's statuses", n)
	}
	if _, err := as.Undo(ctx, annotate.Gold, tm.doc); !errors.Is(err, annotate.ErrNothingToUndo) {
		t.Errorf("amina undoing gold: %v", err)
	}
	if karimSpans() != 1 {
		t.Errorf("karim's spans changed: %d", karimSpans())
	}

	// The administrator does what members may not.
	ad := pgtest.Open(t, tm.admin)
	if err := ad.AddLabel(ctx, annotate.Label{Name: "ORG"}); err != nil {
		t.Errorf("admin adding a label: %v", err)
	}
	if _, err := ad.Assign(ctx, []string{tm.aminaName, tm.karimName}, 1, 1); err != nil {
		t.Errorf("admin assigning: %v", err)
	}
	if me, err := ad.Me(ctx); err != nil || !me.Admin {
		t.Errorf("admin is %+v %v", me, err)
	}
	// Each annotator sees their own queue only.
	if n := amina.count(`SELECT count(*) FROM assignments`); n != 1 {
		t.Errorf("amina sees %d assignments, want her 1", n)
	}
}

// TestTeamAddNeedsCreateRole checks that adding a member whose role does
// not exist is refused, saying why, when the administrator lacks
// CREATEROLE, and that an existing role is given access all the same.
func TestTeamAddNeedsCreateRole(t *testing.T) {
	ctx := context.Background()
	server := pgtest.Server(t)
	owner, existing := pgtest.Role(t, "owner"), pgtest.Role(t, "dalia")
	db := pgtest.NewDatabase(t)
	dbName := pgtest.Database(t, db)
	pgtest.Exec(t, server, "CREATE ROLE "+owner+" LOGIN", "CREATE ROLE "+existing+" LOGIN", "ALTER DATABASE "+dbName+" OWNER TO "+owner)
	t.Cleanup(func() {
		pgtest.Exec(t, server, "DROP DATABASE IF EXISTS "+dbName+" WITH (FORCE)", "DROP ROLE "+existing, "DROP ROLE "+owner)
	})
	admin := pgtest.WithDatabase(t, db, dbName, owner)
	if _, err := postgres.Init(ctx, admin); err != nil {
		t.Fatal(err)
	}
	_, err := postgres.AddMember(ctx, admin, pgtest.Role(t, "amina"), postgres.Annotator, true)
	if !errors.Is(err, annotate.ErrReadOnly) || !strings.Contains(err.Error(), "lacks CREATEROLE") {
		t.Errorf("team add without CREATEROLE: %v", err)
	}
	lines, err := postgres.AddMember(ctx, admin, existing, postgres.Reviewer, true)
	if err != nil || !strings.Contains(strings.Join(lines, "\n"), "exists already") {
		t.Errorf("team add of an existing role: %q %v", lines, err)
	}
	for _, bad := range []string{"gold", "suggestion", "pg_x", "a,b", ""} {
		if _, err := postgres.AddMember(ctx, admin, bad, postgres.Annotator, true); err == nil {
			t.Errorf("member %q accepted", bad)
		}
	}
}

// TestInitUpToDate checks that team init twice changes nothing, and that
// a database without a project is refused by Open.
func TestInitUpToDate(t *testing.T) {
	ctx := context.Background()
	db := pgtest.NewDatabase(t)
	if _, err := postgres.Open(ctx, db, postgres.Options{}); !errors.Is(err, annotate.ErrNoProject) {
		t.Errorf("open an empty database: %v", err)
	}
	if _, err := postgres.Init(ctx, db); err != nil {
		t.Fatal(err)
	}
	lines, err := postgres.Init(ctx, db)
	if err != nil || len(lines) != 1 || !strings.Contains(lines[0], "up to date") {
		t.Errorf("second init: %q %v", lines, err)
	}
	pgtest.Exec(t, db, `INSERT INTO qalam.schema_migrations(version, name) VALUES (999, 'future')`)
	if _, err := postgres.Open(ctx, db, postgres.Options{}); err == nil || !strings.Contains(err.Error(), "update Qalam") {
		t.Errorf("open a newer schema: %v", err)
	}
	if _, err := postgres.Init(ctx, db); err == nil {
		t.Error("init over a newer schema accepted")
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://amina:secret@db.example.org/news?sslmode=require":   "postgres://amina@db.example.org/news?sslmode=require",
		"postgresql://amina@db.example.org:5433/news":                   "postgresql://amina@db.example.org:5433/news",
		"postgres://db.example.org/news?user=amina&password=secret&x=1": "postgres://db.example.org/news?user=amina&x=1",
	} {
		if got := postgres.Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestOwnSuggestionsAndSwitches: an annotator writes their own suggestion
// layer (what the recommender learned from their work) and their own
// switch of the recommender; they neither read another annotator's own
// suggestions nor change another's switch or the project's; a reviewer
// reads every suggestion layer.
func TestOwnSuggestionsAndSwitches(t *testing.T) {
	ctx := context.Background()
	tm := newTeam(t)
	a, k, s := pgtest.Open(t, tm.amina), pgtest.Open(t, tm.karim), pgtest.Open(t, tm.salma)
	own := func(st annotate.Store, name string) {
		t.Helper()
		if _, err := st.AddSpans(ctx, tm.doc, annotate.OwnSuggestions(name), "suggest", []annotate.Span{{Start: 15, End: 21, Label: "PLACE", Origin: annotate.Suggested}}); err != nil {
			t.Fatalf("%s writes their own suggestions: %v", name, err)
		}
	}
	own(a, tm.aminaName)
	own(k, tm.karimName)
	if _, err := a.AddSpans(ctx, tm.doc, annotate.OwnSuggestions(tm.karimName), "suggest", []annotate.Span{{Start: 0, End: 4, Label: "PLACE"}}); err == nil {
		t.Error("amina wrote karim's own suggestions")
	}
	if spans, err := a.Spans(ctx, tm.doc, annotate.OwnSuggestions(tm.karimName)); err != nil || len(spans) != 0 {
		t.Errorf("amina reads karim's own suggestions: %v %v", spans, err)
	}
	if got, err := a.Suggestions(ctx, tm.doc, tm.aminaName); err != nil || len(got) != 1 || got[0].Layer != annotate.OwnSuggestions(tm.aminaName) {
		t.Errorf("amina's open suggestions: %+v %v", got, err)
	}
	if spans, err := s.Spans(ctx, tm.doc, annotate.OwnSuggestions(tm.karimName)); err != nil || len(spans) != 1 {
		t.Errorf("the reviewer reads karim's own suggestions: %v %v", spans, err)
	}
	if err := a.SetSetting(ctx, "suggest.learn:"+tm.aminaName, "off"); err != nil {
		t.Errorf("amina switches her own recommender off: %v", err)
	}
	if v, _ := k.Setting(ctx, "suggest.learn:"+tm.aminaName); v != "off" {
		t.Errorf("karim reads amina's switch as %q", v)
	}
	for _, key := range []string{"suggest.learn:" + tm.karimName, "suggest.learn"} {
		a.SetSetting(ctx, key, "off") //nolint:errcheck // refused, silently or not: what counts is below
		if v, _ := k.Setting(ctx, key); v == "off" {
			t.Errorf("amina changed the setting %s", key)
		}
	}
}
