package annotate

import (
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
		if !slices.EqualFunc(first, spans, func(a, b Span) bool {
			return a.Start == b.Start && a.End == b.End && a.Label == b.Label
		}) {
			return false
		}
	}
	return true
}

// Union is the spans of the given versions with duplicates (same position
// and label) removed: "accept both".
func Union(versions ...[]Span) []Span {
	type key struct {
		s, e  int
		label string
	}
	seen := map[key]bool{}
	var out []Span
	for _, v := range versions {
		for _, sp := range v {
			k := key{sp.Start, sp.End, sp.Label}
			if !seen[k] {
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
