package annotate

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// AssignSummary says how documents were shared out.
type AssignSummary struct {
	Documents int            // in the project
	Shared    int            // given to every annotator
	Per       map[string]int // documents each annotator has, shared ones included
}

// PlanAssignment shares documents (their ids, in import order) among
// annotators: a fraction overlap of them, drawn at random, goes to
// everyone (so agreement can be measured there), the rest is dealt out in
// turn so that each annotator gets as many as the others, give or take
// one. The same seed gives the same assignment. It returns each
// annotator's documents.
func PlanAssignment(docs []int64, annotators []string, overlap float64, seed uint64) (map[string][]int64, AssignSummary, error) {
	sum := AssignSummary{Per: map[string]int{}}
	if len(annotators) == 0 {
		return nil, sum, fmt.Errorf("assign: no annotators")
	}
	if math.IsNaN(overlap) || overlap < 0 || overlap > 1 {
		return nil, sum, fmt.Errorf("assign: overlap %v is not between 0 and 1", overlap)
	}
	seen := map[string]bool{}
	for _, a := range annotators {
		if err := ValidateLayerName(a); err != nil {
			return nil, sum, err
		}
		if KindOf(a) != AnnotatorLayer {
			return nil, sum, fmt.Errorf("assign: %s is not an annotator's layer", a)
		}
		if seen[a] {
			return nil, sum, fmt.Errorf("assign: %s is named twice", a)
		}
		seen[a] = true
	}
	ids := append([]int64(nil), docs...)
	rng := rand.New(rand.NewPCG(seed, 0x9a1a3))
	rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	shared := int(overlap*float64(len(ids)) + 0.5)
	sum.Documents, sum.Shared = len(ids), shared
	out := make(map[string][]int64, len(annotators))
	for k, doc := range ids {
		if k < shared {
			for _, a := range annotators {
				out[a] = append(out[a], doc)
			}
			continue
		}
		a := annotators[(k-shared)%len(annotators)]
		out[a] = append(out[a], doc)
	}
	for _, a := range annotators {
		sum.Per[a] = len(out[a])
	}
	return out, sum, nil
}
