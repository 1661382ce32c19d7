package sqlite

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
)

func TestAssign(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	im := s.NewImporter(ctx)
	for i := range 100 {
		im.Add(annotate.NewDocument(fmt.Sprint(i), fmt.Sprint("نص ", i), nil))
	}
	im.Close()
	team := []string{"amina", "bilal", "karim"}
	queue := func(layer string) []int64 {
		list, err := s.ListDocuments(ctx, annotate.DocQuery{Layer: layer, Queue: true})
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, d := range list {
			ids = append(ids, d.ID)
		}
		return ids
	}
	if n := len(queue("amina")); n != 100 {
		t.Fatalf("before assigning, the queue has %d documents, want all 100", n)
	}
	sum, err := s.Assign(ctx, team, 0.2, 7)
	if err != nil {
		t.Fatal(err)
	}
	// 20 shared, 80 dealt to three: 27, 27, 26.
	if sum.Shared != 20 || sum.Per["amina"] != 47 || sum.Per["bilal"] != 47 || sum.Per["karim"] != 46 {
		t.Errorf("summary %+v", sum)
	}
	got := map[string][]int64{}
	count := map[int64]int{}
	for _, a := range team {
		got[a] = queue(a)
		for _, id := range got[a] {
			count[id]++
		}
		if len(got[a]) != sum.Per[a] {
			t.Errorf("%s's queue has %d, summary says %d", a, len(got[a]), sum.Per[a])
		}
	}
	all, once := 0, 0
	for _, c := range count {
		switch c {
		case 3:
			all++
		case 1:
			once++
		default:
			t.Errorf("a document given to %d annotators", c)
		}
	}
	if all != 20 || once != 80 {
		t.Errorf("%d documents for all, %d for one", all, once)
	}
	if ok, _ := s.Assigned(ctx, "amina"); !ok {
		t.Error("amina has no assignment")
	}
	if n := len(queue("dalia")); n != 100 {
		t.Errorf("an unassigned annotator sees %d documents", n)
	}
	// Same seed, same assignment; another seed, another.
	s.Assign(ctx, team, 0.2, 7)
	if !reflect.DeepEqual(queue("amina"), got["amina"]) {
		t.Error("the same seed gave another assignment")
	}
	s.Assign(ctx, team, 0.2, 8)
	if reflect.DeepEqual(queue("amina"), got["amina"]) {
		t.Error("another seed gave the same assignment")
	}
	for _, bad := range [][]string{nil, {"amina", "amina"}, {"gold"}} {
		if _, err := s.Assign(ctx, bad, 0.2, 1); err == nil {
			t.Errorf("assign %q accepted", bad)
		}
	}
	if _, err := s.Assign(ctx, team, 1.5, 1); err == nil {
		t.Error("overlap 1.5 accepted")
	}
}
