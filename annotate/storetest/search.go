package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
)

// TestSearch runs with whichever module this build has (fts5 with the
// sqlite_fts5 tag, fts4 without): the results must be the same.
func testSearch(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open("p")
	a := AddDoc(t, s, "a", "قال الرئيس المصري إن مصر ستشارك في القمة.")
	b := AddDoc(t, s, "b", "وصل الوفد إلى القاهرة قادماً من تونس ومصر.")
	c := AddDoc(t, s, "c", "اجتمع وزير الخارجية بنظيره في بمصر العاصمة.")
	d := AddDoc(t, s, "reuters-d", "Reuters reported that the talks in Cairo ended.")
	for _, tc := range []struct {
		query string
		want  []int64
	}{
		{"مصر", []int64{a, b, c}},
		{"ومصر", []int64{b}},
		{"مصري", []int64{a}}, // المصري
		{"المصر*", []int64{a}},
		{"القاهره", []int64{b}},
		{"القاهرة", []int64{b}},
		{"قادما", []int64{b}},
		{`"وزير الخارجية"`, []int64{c}},
		{`"الخارجية وزير"`, nil},
		{"مصر تونس", []int64{b}},
		{"REUTERS", []int64{d}},
		{"reuters-d", []int64{d}},
		{"cairo", []int64{d}},
	} {
		got, err := listDocs(ctx, s, annotate.DocQuery{Layer: "ann", Search: tc.query})
		if err != nil {
			t.Fatalf("%s: %v", tc.query, err)
		}
		n, err := s.CountMatching(ctx, annotate.DocQuery{Layer: "ann", Search: tc.query})
		if err != nil {
			t.Fatal(err)
		}
		if ids := docIDs(got); !reflect.DeepEqual(ids, tc.want) || n != len(tc.want) {
			t.Errorf("search %q: %v (count %d), want %v", tc.query, ids, n, tc.want)
		}
	}
	if _, err := listDocs(ctx, s, annotate.DocQuery{Layer: "ann", Search: "**"}); !errors.Is(err, annotate.ErrBadQuery) {
		t.Errorf("a query without words: %v, want ErrBadQuery", err)
	}

	// Documents imported later are indexed before the next search (or
	// as they are imported: then none is ever missing); a status filter
	// and paging apply to the matches.
	e := AddDoc(t, s, "e", "عاد الوفد من مصر.")
	if missing, total, _ := s.SearchIndexState(ctx); missing > 1 || total != 5 {
		t.Errorf("index state: %d missing of %d, want 1 (or 0) of 5", missing, total)
	}
	if err := s.SetStatus(ctx, b, "ann", annotate.Done); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		q    annotate.DocQuery
		want []int64
	}{
		{annotate.DocQuery{Search: "مصر"}, []int64{a, b, c, e}},
		{annotate.DocQuery{Search: "مصر", Status: annotate.Done}, []int64{b}},
		{annotate.DocQuery{Search: "مصر", Status: annotate.Todo}, []int64{a, c, e}},
		{annotate.DocQuery{Search: "مصر", Offset: 1, Limit: 2}, []int64{b, c}},
	} {
		tc.q.Layer = "ann"
		got, err := listDocs(ctx, s, tc.q)
		if err != nil {
			t.Fatal(err)
		}
		if ids := docIDs(got); !reflect.DeepEqual(ids, tc.want) {
			t.Errorf("%+v: %v, want %v", tc.q, ids, tc.want)
		}
		if tc.q.Limit == 0 {
			if n, _ := s.CountMatching(ctx, tc.q); n != len(tc.want) {
				t.Errorf("%+v: count %d, want %d", tc.q, n, len(tc.want))
			}
		}
	}
	if missing, _, _ := s.SearchIndexState(ctx); missing != 0 {
		t.Errorf("%d documents left unindexed", missing)
	}
	// A phrase's first word may carry proclitics, as a single word may;
	// the words after it are as typed.
	f := AddDoc(t, s, "f", "التقى ووزير الخارجية نظيره.")
	g := AddDoc(t, s, "g", "Le Cafe de Flore.")
	for _, tc := range []struct {
		query string
		want  []int64
	}{
		{`"وزير الخارجية"`, []int64{c, f}},
		{`"ووزير الخارجية"`, []int64{f}},
		{`"وزير خارجية"`, nil},
		{"café", []int64{g}}, // Latin accents are ignored
	} {
		got, err := listDocs(ctx, s, annotate.DocQuery{Layer: "ann", Search: tc.query})
		if ids := docIDs(got); err != nil || !reflect.DeepEqual(ids, tc.want) {
			t.Errorf("search %q: %v %v, want %v", tc.query, ids, err, tc.want)
		}
	}
}

// TestSearchIndexResumes checks that indexing in batches, cancelled part
// way, goes on from where it stopped and indexes every document once. A
// store that indexes documents as they are imported has nothing to
// index: its index must be whole at once.
func testSearchIndexResumes(t *testing.T, open Opener) {
	s := open("p")
	im := newImporter(t, s)
	for i := range 600 {
		if _, _, err := im.Add(annotate.NewDocument(fmt.Sprint(i), fmt.Sprintf("خبر رقم %d عن تونس", i), nil)); err != nil {
			t.Fatal(err)
		}
	}
	if err := im.Close(); err != nil {
		t.Fatal(err)
	}
	if missing, total, err := s.SearchIndexState(context.Background()); err != nil || total != 600 || missing != 0 && missing != 600 {
		t.Fatalf("after importing 600: %d of %d missing, %v; want all or none", missing, total, err)
	} else if missing == 0 {
		err := s.IndexForSearch(context.Background(), func(done, todo int) { t.Errorf("indexed %d of %d: nothing was missing", done, todo) })
		if n, cerr := s.CountMatching(context.Background(), annotate.DocQuery{Search: "تونس"}); err != nil || cerr != nil || n != 600 {
			t.Errorf("indexed on import: %d matches, %v %v; want 600", n, err, cerr)
		}
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	var calls []int
	err := s.IndexForSearch(ctx, func(done, todo int) {
		calls = append(calls, done)
		if todo != 600 {
			t.Errorf("todo %d, want 600", todo)
		}
		cancel()
	})
	if !errors.Is(err, context.Canceled) || len(calls) != 1 {
		t.Fatalf("cancelled indexing: %v after %v", err, calls)
	}
	if missing, _, _ := s.SearchIndexState(context.Background()); missing != 600-calls[0] {
		t.Errorf("%d missing after the first batch of %d", missing, calls[0])
	}
	n, err := s.CountMatching(context.Background(), annotate.DocQuery{Search: "تونس"})
	if err != nil || n != 600 {
		t.Errorf("after resuming: %d matches, %v; want 600", n, err)
	}
}

func testCorpusOccurrences(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open("p")
	a := AddDoc(t, s, "a", "زار الرئيس تونس أمس.")
	b := AddDoc(t, s, "b", "عاد من تونس إلى بتونس ثم تونسي.")
	AddDoc(t, s, "c", "لا ذكر للمدينة هنا.")
	d := AddDoc(t, s, "d", "تُونِس جميلة.")
	got, more, err := s.CorpusOccurrences(ctx, "تونس", a, 0)
	if err != nil || more {
		t.Fatal(err, more)
	}
	type row struct {
		doc        int64
		start, end int
		proclitic  string
	}
	var rows []row
	for _, o := range got {
		rows = append(rows, row{o.DocID, o.Start, o.End, o.Proclitic})
	}
	want := []row{{b, 7, 11, ""}, {b, 17, 21, "ب"}, {d, 0, 6, ""}}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("occurrences %v, want %v", rows, want)
	}
	got, more, err = s.CorpusOccurrences(ctx, "تونس", a, 2)
	if err != nil || !more || len(got) != 2 {
		t.Errorf("limited to 2: %d, more=%v, %v", len(got), more, err)
	}
}

func testNavigation(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open("p")
	var ids []int64
	for i := range 5 {
		ids = append(ids, AddDoc(t, s, fmt.Sprint(i), fmt.Sprintf("نص %d", i)))
	}
	for _, i := range []int{1, 4} {
		if err := s.SetStatus(ctx, ids[i], "ann", annotate.Done); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetStatus(ctx, ids[2], "ann", annotate.Skipped); err != nil {
		t.Fatal(err)
	}
	q := annotate.DocQuery{Layer: "ann"}
	for _, c := range []struct {
		after int64
		want  int64
		ok    bool
	}{
		{ids[0], ids[3], true},
		{ids[3], ids[0], true}, // wraps round
		{ids[4], ids[0], true},
	} {
		got, ok, err := s.NextUnfinished(ctx, q, c.after)
		if err != nil || got != c.want || ok != c.ok {
			t.Errorf("after %d: %d %v %v, want %d %v", c.after, got, ok, err, c.want, c.ok)
		}
	}
	if err := s.SetStatus(ctx, ids[3], "ann", annotate.Done); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := s.NextUnfinished(ctx, q, ids[0]); ok || err != nil {
		t.Errorf("only the current one is unfinished: ok=%v %v", ok, err)
	}
	for _, c := range []struct {
		q           annotate.DocQuery
		after       int64
		skip, limit int
		want        []int64
	}{
		{q, 0, 0, 2, ids[:2]},
		{q, ids[1], 0, 2, ids[2:4]},
		{q, ids[1], 1, 0, ids[3:]},
		{annotate.DocQuery{Layer: "ann", Status: annotate.Done}, 0, 0, 0, []int64{ids[1], ids[3], ids[4]}},
		{annotate.DocQuery{Layer: "ann", Status: annotate.Done}, ids[1], 1, 5, []int64{ids[4]}},
		{annotate.DocQuery{Layer: "ann", Status: annotate.Todo}, 0, 0, 0, []int64{ids[0]}},
		{annotate.DocQuery{Layer: "nobody", Status: annotate.Todo}, ids[2], 0, 0, ids[3:]},
	} {
		got, err := s.DocumentPage(ctx, c.q, c.after, c.skip, c.limit)
		if ids := docIDs(got); err != nil || !reflect.DeepEqual(ids, c.want) {
			t.Errorf("page %+v after %d skip %d limit %d: %v %v, want %v", c.q, c.after, c.skip, c.limit, ids, err, c.want)
		}
	}
	for _, c := range []struct {
		q    annotate.DocQuery
		id   int64
		want int
	}{
		{q, ids[3], 3},
		{annotate.DocQuery{Layer: "ann", Status: annotate.Done}, ids[4], 2},
		{annotate.DocQuery{Layer: "ann", Status: annotate.Done}, ids[0], -1},
		{annotate.DocQuery{Layer: "ann", Status: annotate.Todo}, ids[0], 0},
	} {
		got, err := s.DocumentIndex(ctx, c.q, c.id)
		if err != nil || got != c.want {
			t.Errorf("index of %d in %+v: %d %v, want %d", c.id, c.q, got, err, c.want)
		}
	}
}

// testCountMatchesList: CountMatching counts what DocumentPage lists, for
// every status with and without the annotator's queue, before and after
// the documents are shared out (a status set back to todo included).
func testCountMatchesList(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open("p")
	var ids []int64
	for i := range 12 {
		ids = append(ids, AddDoc(t, s, fmt.Sprint("d", i), fmt.Sprintf("خبر رقم %d عن تونس", i)))
	}
	for i, st := range []annotate.Status{annotate.Done, annotate.Done, annotate.InProgress, annotate.Skipped, annotate.Done, annotate.InProgress} {
		if err := s.SetStatus(ctx, ids[i*2], "ann", st); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetStatus(ctx, ids[2], "ann", annotate.Todo); err != nil { // a row that says todo
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		for _, queue := range []bool{false, true} {
			for _, st := range append([]annotate.Status{""}, annotate.Statuses...) {
				for _, layer := range []string{"ann", "nobody"} {
					q := annotate.DocQuery{Layer: layer, Status: st, Queue: queue}
					list, err := listDocs(ctx, s, q)
					if err != nil {
						t.Fatal(err)
					}
					n, err := s.CountMatching(ctx, q)
					if err != nil || n != len(list) {
						t.Errorf("%s, %+v: counted %d (%v), listed %d", when, q, n, err, len(list))
					}
				}
			}
		}
	}
	check("before sharing out")
	if _, err := s.Assign(ctx, []string{"ann", "bob"}, 0, 1); err != nil {
		t.Fatal(err)
	}
	check("after sharing out")
	mine, _ := s.CountMatching(ctx, annotate.DocQuery{Layer: "ann", Queue: true})
	if mine == 0 || mine == len(ids) {
		t.Errorf("ann's queue holds %d of %d documents", mine, len(ids))
	}
}
