package modelserver

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync/atomic"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/memstore"
	"github.com/qalam-annotate/qalam/modelserver/modelservertest"
)

func project(t *testing.T, texts ...string) (annotate.Store, []int64) {
	t.Helper()
	s := memstore.New()
	im, err := s.NewImporter(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, text := range texts {
		id, _, err := im.Add(annotate.NewDocument("d", text, nil))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := im.Close(); err != nil {
		t.Fatal(err)
	}
	return s, ids
}

// open lists a document's open suggestions for layer as "LABEL:text".
func open(t *testing.T, s annotate.Store, doc int64) []string {
	t.Helper()
	ctx := context.Background()
	d, _ := s.Document(ctx, doc)
	sg, err := s.Suggestions(ctx, doc, "amina")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, sp := range sg {
		text, _ := annotate.Slice(d.Text, sp.Start, sp.End)
		out = append(out, sp.Label+":"+text)
	}
	return out
}

func TestRunner(t *testing.T) {
	b := &modelservertest.LabelStudio{Names: map[string]string{"ترامب": "PER", "موسكو": "LOC", "رويترز": "ORG"}}
	srv := httptest.NewServer(b)
	defer srv.Close()
	s, ids := project(t, "قال ترامب في موسكو", "نقلت رويترز عن ترامب", "لا أسماء هنا")
	asked := 0
	var done []string
	r := &Runner{
		Client:  newClient(t, Config{URL: srv.URL}, nil),
		Store:   s,
		Mapping: Mapping{"PER": "PERSON"},
		Ask: func(_ context.Context, unknown []string) (Mapping, error) {
			asked++
			m := Mapping{}
			for _, l := range unknown {
				if l == "LOC" {
					m[l] = "PLACE"
				} // ORG: skipped
			}
			return m, nil
		},
		Done: func(d annotate.Document, spans []annotate.Span) { done = append(done, d.Text) },
	}
	var progress [][2]int
	r.Progress = func(d, n int) { progress = append(progress, [2]int{d, n}) }
	sum, err := r.Run(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Documents != 3 || sum.Suggestions != 3 || !reflect.DeepEqual(sum.Skipped, map[string]int{"ORG": 1}) {
		t.Errorf("summary %+v", sum)
	}
	if asked != 2 { // LOC in the first document, ORG in the second: each label once
		t.Errorf("asked %d times", asked)
	}
	if got := open(t, s, ids[0]); !reflect.DeepEqual(got, []string{"PERSON:ترامب", "PLACE:موسكو"}) {
		t.Errorf("first document: %q", got)
	}
	if got := open(t, s, ids[1]); !reflect.DeepEqual(got, []string{"PERSON:ترامب"}) {
		t.Errorf("second document: %q", got)
	}
	if len(done) != 3 || !reflect.DeepEqual(progress[len(progress)-1], [2]int{3, 3}) {
		t.Errorf("done %q, progress %v", done, progress)
	}
	// Asking again stores nothing new.
	if sum, err := r.Run(context.Background(), ids); err != nil || sum.Suggestions != 0 {
		t.Errorf("again: %+v %v", sum, err)
	}
}

// TestRunnerStops: cancelling stops the queue, and a server that fails
// stops it with its one error; earlier documents keep their answers and
// the failing one has none.
func TestRunnerStops(t *testing.T) {
	b := &modelservertest.LabelStudio{Names: map[string]string{"ترامب": "PERSON"}}
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/predict" && calls.Add(1) == 2 {
			modelservertest.Replay(200, `{"results": [{"result": [{"type": "labels", "value": {"start": 0, "end": 999, "labels": ["PERSON"]}}]}]}`).ServeHTTP(w, r)
			return
		}
		b.ServeHTTP(w, r)
	}))
	defer srv.Close()
	s, ids := project(t, "ترامب أولاً", "ترامب ثانياً", "ترامب ثالثاً")
	r := &Runner{Client: newClient(t, Config{URL: srv.URL}, nil), Store: s}
	sum, err := r.Run(context.Background(), ids)
	if !errors.Is(err, ErrNonsense) || sum.Documents != 1 {
		t.Fatalf("%+v %v", sum, err)
	}
	if got := open(t, s, ids[1]); got != nil {
		t.Errorf("the document answered with nonsense got %q", got)
	}
	if got := open(t, s, ids[0]); len(got) != 1 {
		t.Errorf("the first document lost its answer: %q", got)
	}

	ctx, cancel := context.WithCancel(context.Background())
	calls.Store(10)
	r.Progress = func(done, total int) {
		if done == 1 {
			cancel()
		}
	}
	s2, ids2 := project(t, "ترامب أولاً", "ترامب ثانياً", "ترامب ثالثاً")
	r.Store = s2
	sum, err = r.Run(ctx, ids2)
	if !errors.Is(err, context.Canceled) || sum.Documents != 1 {
		t.Errorf("cancelled: %+v %v", sum, err)
	}
}
