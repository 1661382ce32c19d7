package annotate

import (
	"context"
	"errors"
	"reflect"
	"testing"
)

// statsReader answers NewStats from fixed values.
type statsReader struct {
	docs   int
	layers []Layer
	status map[string]map[Status]int
	labels LabelSet
	err    error // returned by Labels
}

func (r statsReader) CountDocuments(context.Context) (int, error) { return r.docs, nil }
func (r statsReader) Layers(context.Context) ([]Layer, error)     { return r.layers, nil }
func (r statsReader) CountStatus(_ context.Context, layer string) (map[Status]int, error) {
	return r.status[layer], nil
}
func (r statsReader) Labels(context.Context) (LabelSet, error) { return r.labels, r.err }

func TestNewStats(t *testing.T) {
	r := statsReader{
		docs:   5,
		layers: []Layer{{Name: Gold, Kind: GoldLayer}, {Name: "amal", Kind: AnnotatorLayer}, {Name: "omar", Kind: AnnotatorLayer}},
		status: map[string]map[Status]int{
			Gold:   {Todo: 4, Done: 1},
			"amal": {Todo: 2, InProgress: 1, Done: 2},
			"omar": {Todo: 5},
		},
		labels: DefaultLabels(),
	}
	counts := []SpanCount{
		{Layer: "amal", Label: "PERSON", Spans: 3},
		{Layer: "amal", Label: "PLACE", Spans: 2},
		{Layer: Gold, Label: "PERSON", Spans: 1},
		{Layer: StagingName("amal", "x"), Label: "PLACE", Spans: 7}, // a layer not listed
	}
	st, err := NewStats(context.Background(), r, counts)
	if err != nil {
		t.Fatal(err)
	}
	want := &Stats{
		Documents: 5,
		Layers: map[string]*LayerStats{
			Gold:   {Kind: GoldLayer, Spans: 1, Labels: map[string]int{"PERSON": 1}, Status: r.status[Gold]},
			"amal": {Kind: AnnotatorLayer, Spans: 5, Labels: map[string]int{"PERSON": 3, "PLACE": 2}, Status: r.status["amal"]},
			"omar": {Kind: AnnotatorLayer, Spans: 0, Labels: map[string]int{}, Status: r.status["omar"]},
		},
		Labels: map[string]int{"PERSON": 4, "PLACE": 9, "EVENT": 0},
	}
	if !reflect.DeepEqual(st, want) {
		for name, ls := range st.Layers {
			t.Logf("%s: %+v", name, ls)
		}
		t.Errorf("stats %+v, want %+v", st, want)
	}

	r.err = errors.New("gone")
	if _, err := NewStats(context.Background(), r, counts); !errors.Is(err, r.err) {
		t.Errorf("a read that fails: %v, want its error", err)
	}
}
