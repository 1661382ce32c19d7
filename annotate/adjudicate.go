package annotate

import (
	"fmt"
	"slices"
	"sort"
)

// Cluster is a stretch of a document where layers marked spans that
// overlap one another: the unit of adjudication. Start and End bound all
// its spans.
type Cluster struct {
	Start, End int
	// Versions holds each compared layer's spans inside the cluster, in
	// text order; a layer that marked nothing there has none.
	Versions map[string][]Span
	// Agreed is true when every compared layer has exactly the same spans
	// (positions and labels) in the cluster.
	Agreed bool
}

// Clusters groups the spans of the compared layers (layer name → spans)
// into clusters of overlapping spans, in text order.
func Clusters(layers map[string][]Span) []Cluster {
	var all []Span
	for name, spans := range layers {
		for _, sp := range spans {
			sp.Layer = name
			all = append(all, sp)
		}
	}
	sort.Slice(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		if a.End != b.End {
			return a.End < b.End
		}
		if a.Layer != b.Layer {
			return a.Layer < b.Layer
		}
		return a.Label < b.Label
	})
	var out []Cluster
	for i := 0; i < len(all); {
		c := Cluster{Start: all[i].Start, End: all[i].End, Versions: map[string][]Span{}}
		j := i
		for ; j < len(all) && all[j].Start < c.End; j++ {
			c.End = max(c.End, all[j].End)
			c.Versions[all[j].Layer] = append(c.Versions[all[j].Layer], all[j])
		}
		c.Agreed = len(c.Versions) == len(layers) && sameVersions(c.Versions)
		out = append(out, c)
		i = j
	}
	return out
}

func sameVersions(v map[string][]Span) bool {
	var first []Span
	for _, spans := range v {
		if first == nil {
			first = spans
			continue
		}
		if !slices.EqualFunc(first, spans, func(a, b Span) bool { return a.Key() == b.Key() }) {
			return false
		}
	}
	return true
}

// Union is the spans of the given versions with duplicates (same position
// and label) removed: "accept both".
func Union(versions ...[]Span) []Span {
	seen := map[SpanKey]bool{}
	var out []Span
	for _, v := range versions {
		for _, sp := range v {
			if k := sp.Key(); !seen[k] {
				seen[k] = true
				out = append(out, sp)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Start != out[j].Start {
			return out[i].Start < out[j].Start
		}
		return out[i].End < out[j].End
	})
	return out
}

// Stretch is a range of a document's text in code points, end exclusive.
type Stretch struct {
	Start, End int
}

// Covers reports whether the stretch holds all of [start, end).
func (s Stretch) Covers(start, end int) bool { return s.Start <= start && end <= s.End }

// IsSettled reports whether one of the stretches covers [start, end).
func IsSettled(settled []Stretch, start, end int) bool {
	for _, st := range settled {
		if st.Covers(start, end) {
			return true
		}
	}
	return false
}

// Decision settles one stretch of a document in the gold layer: gold's
// spans there become Spans (one layer's version, the union of several, an
// edit, or nothing at all).
type Decision struct {
	Start, End int
	// Spans are read for their positions and labels only. The stretch
	// grows to cover any that reach beyond it.
	Spans []Span
}

// Settlement is what settling decisions does to gold on one document.
type Settlement struct {
	Remove    []int64   // ids of gold's spans to delete
	Add       []Span    // spans to add to gold (without ids)
	Stretches []Stretch // what is settled, one per decision
}

// PlanSettlement works out what decisions do to gold, whose spans on the
// document are gold: in each decision's stretch (grown to cover its
// spans), gold's spans that are not among the decision's go, the
// decision's spans gold lacks come, each checked against the rules and
// what remains.
func PlanSettlement(gold []Span, decisions []Decision, rules SpanRules) (Settlement, error) {
	var plan Settlement
	want := map[SpanKey]Span{}
	var order []SpanKey
	for _, d := range decisions {
		st := Stretch{d.Start, d.End}
		for _, sp := range d.Spans {
			// The spans come from other layers: gold gets copies.
			sp.ID, sp.Layer, sp.Origin = 0, Gold, Manual
			if err := sp.Validate(rules.TextLen, rules.Labels); err != nil {
				return plan, err
			}
			st.Start, st.End = min(st.Start, sp.Start), max(st.End, sp.End)
			k := sp.Key()
			if _, ok := want[k]; !ok {
				want[k] = sp
				order = append(order, k)
			}
		}
		if st.Start < 0 || st.End > rules.TextLen || st.Start >= st.End {
			return plan, fmt.Errorf("%w: stretch [%d,%d) in a text of %d code points", ErrSpanRange, st.Start, st.End, rules.TextLen)
		}
		plan.Stretches = append(plan.Stretches, st)
	}
	inStretch := func(sp Span) bool {
		for _, st := range plan.Stretches {
			if sp.Start < st.End && st.Start < sp.End {
				return true
			}
		}
		return false
	}
	kept := map[SpanKey]bool{}
	var rest []Span
	for _, sp := range gold {
		k := sp.Key()
		if !inStretch(sp) {
			rest = append(rest, sp)
		} else if _, ok := want[k]; ok && !kept[k] {
			kept[k] = true
			rest = append(rest, sp)
		} else {
			plan.Remove = append(plan.Remove, sp.ID)
		}
	}
	for _, k := range order {
		if kept[k] {
			continue
		}
		sp := want[k]
		if err := rules.Check(sp, rest, 0); err != nil {
			return plan, err
		}
		rest = append(rest, sp)
		plan.Add = append(plan.Add, sp)
	}
	return plan, nil
}
