package app

import (
	"context"
	"fmt"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/project"
)

// TestQueue: an annotator with an assignment sees only their documents,
// and says so; one without sees them all.
func TestQueue(t *testing.T) {
	path := buildProject(t, t.TempDir(), "review", []string{})
	s, err := testOpen(context.Background(), path, project.Create)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := s.Assign(context.Background(), []string{"amira", "badr"}, 0.25, 1)
	if err != nil {
		t.Fatal(err)
	}
	var all []int64
	err = s.EachDocument(context.Background(), []string{}, annotate.ReadSpans, func(d *annotate.AnnotatedDoc) error {
		all = append(all, d.ID)
		return nil
	})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	plan, _, err := annotate.PlanAssignment(all, []string{"amira", "badr"}, 0.25, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		who     string
		n       int
		counter string
	}{
		{"amira", sum.Per["amira"], fmt.Sprintf("Your queue: %d documents", sum.Per["amira"])},
		{"badr", sum.Per["badr"], fmt.Sprintf("Your queue: %d documents", sum.Per["badr"])},
		{"zaid", 4, "4 documents"},
	} {
		t.Run(c.who, func(t *testing.T) {
			t.Setenv("XDG_DATA_HOME", t.TempDir())
			a := test.NewTempApp(t)
			a.Preferences().SetString(prefAnnotator, c.who)
			ws := openWS(t, a, path)
			if !ws.docs.query.Queue || ws.docs.pager.count != c.n || ws.docs.counter.Text != c.counter {
				t.Errorf("queue %v, %d documents, counter %q; want %d, %q", ws.docs.query.Queue, ws.docs.pager.count, ws.docs.counter.Text, c.n, c.counter)
			}
			if c.n == 4 {
				return
			}
			// Every document listed is in the annotator's queue, as the
			// assignment's plan deals them out.
			ids := map[int64]bool{}
			for _, id := range plan[c.who] {
				ids[id] = true
			}
			for i := range ws.docs.pager.count {
				if d, _ := ws.docs.pager.row(i); !ids[d.ID] {
					t.Errorf("%s is listed but not in %s's queue", d.Name, c.who)
				}
			}
		})
	}
}
