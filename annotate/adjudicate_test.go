package annotate

import (
	"reflect"
	"testing"
)

func TestClusters(t *testing.T) {
	a := []Span{{Start: 0, End: 11, Label: "PERSON"}, {Start: 15, End: 21, Label: "PLACE"}, {Start: 30, End: 35, Label: "EVENT"}}
	b := []Span{{Start: 0, End: 4, Label: "PERSON"}, {Start: 5, End: 11, Label: "PERSON"}, {Start: 15, End: 21, Label: "PLACE"}, {Start: 40, End: 44, Label: "PLACE"}}
	cs := Clusters(map[string][]Span{"a": a, "b": b})
	type got struct {
		s, e   int
		agreed bool
		na, nb int
	}
	var g []got
	for _, c := range cs {
		g = append(g, got{c.Start, c.End, c.Agreed, len(c.Versions["a"]), len(c.Versions["b"])})
	}
	want := []got{
		{0, 11, false, 1, 2},  // one long span over two short ones
		{15, 21, true, 1, 1},  // the same span in both
		{30, 35, false, 1, 0}, // only a
		{40, 44, false, 0, 1}, // only b
	}
	if !reflect.DeepEqual(g, want) {
		t.Errorf("clusters %+v, want %+v", g, want)
	}
	if v := cs[0].Versions["b"]; v[0].Layer != "b" {
		t.Errorf("versions do not name their layer: %+v", v)
	}
	// Same position, different labels: one cluster, not agreed.
	cs = Clusters(map[string][]Span{"a": {{Start: 0, End: 3, Label: "PERSON"}}, "b": {{Start: 0, End: 3, Label: "PLACE"}}})
	if len(cs) != 1 || cs[0].Agreed {
		t.Errorf("label disagreement: %+v", cs)
	}
}

func TestUnion(t *testing.T) {
	u := Union([]Span{{Start: 5, End: 9, Label: "PLACE"}, {Start: 0, End: 3, Label: "PERSON"}}, []Span{{Start: 0, End: 3, Label: "PERSON", Layer: "b"}, {Start: 0, End: 3, Label: "EVENT"}})
	var got []string
	for _, sp := range u {
		got = append(got, sp.Label)
	}
	if !reflect.DeepEqual(got, []string{"PERSON", "EVENT", "PLACE"}) {
		t.Errorf("union %q", got)
	}
}
