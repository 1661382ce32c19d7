package agreement

import (
	"cmp"
	"slices"
)

// span is a reduced span: one per position and layer, label interned.
type span struct {
	start, end int
	label      int32
}

func (s span) overlaps(o span) bool { return s.start < o.end && o.start < s.end }

func byPosition(x, y span) int {
	if c := cmp.Compare(x.start, y.start); c != 0 {
		return c
	}
	if c := cmp.Compare(x.end, y.end); c != 0 {
		return c
	}
	return cmp.Compare(x.label, y.label)
}

func byEnd(x, y span) int {
	if c := cmp.Compare(x.end, y.end); c != 0 {
		return c
	}
	return cmp.Compare(x.start, y.start)
}

// matcher finds the overlap matchings of two layers' spans in a document.
type matcher struct {
	as, bs []span // scratch: one cluster, A's sorted by end
	used   []bool
}

// overlap adds the overlap matchings of a and b (each sorted by position)
// to p. The spans are cut into clusters, maximal runs of spans (of either
// layer) linked by overlaps; no match crosses a cluster, so each cluster is
// matched alone, and most clusters are one span or one span per layer.
func (m *matcher) overlap(p *pairAcc, a, b []span) {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		// The cluster starts with the span that starts first.
		i0, j0 := i, j
		end := 0
		if j >= len(b) || (i < len(a) && a[i].start <= b[j].start) {
			end = a[i].end
			i++
		} else {
			end = b[j].end
			j++
		}
		for {
			if i < len(a) && a[i].start < end && (j >= len(b) || a[i].start <= b[j].start) {
				end = max(end, a[i].end)
				i++
			} else if j < len(b) && b[j].start < end {
				end = max(end, b[j].end)
				j++
			} else {
				break
			}
		}
		m.cluster(p, a[i0:i], b[j0:j])
	}
}

func (m *matcher) cluster(p *pairAcc, a, b []span) {
	if len(a) == 0 || len(b) == 0 {
		return
	}
	if len(a) == 1 && len(b) == 1 { // they overlap, or they would not share a cluster
		la, lb := a[0].label, b[0].label
		p.ovUnlab++
		if la == lb {
			p.ovLab[la]++
		}
		p.ovA[la]++
		p.ovB[lb]++
		return
	}
	m.as = append(m.as[:0], a...)
	slices.SortFunc(m.as, byEnd)
	m.bs = append(m.bs[:0], b...)
	slices.SortFunc(m.bs, byEnd)

	p.ovUnlab += m.greedy(m.as, m.bs, -1, false, nil)
	m.greedy(m.as, m.bs, -1, true, p.ovLab)
	// One-sided matchings, one label at a time: A's spans of label c
	// against all of B's, and B's spans of c against all of A's.
	for k, s := range m.as {
		if !seenLabel(m.as[:k], s.label) {
			p.ovA[s.label] += m.greedy(m.as, m.bs, s.label, false, nil)
		}
	}
	for k, s := range m.bs {
		if !seenLabel(m.bs[:k], s.label) {
			p.ovB[s.label] += m.greedy(m.bs, m.as, s.label, false, nil)
		}
	}
}

func seenLabel(ss []span, l int32) bool {
	for _, s := range ss {
		if s.label == l {
			return true
		}
	}
	return false
}

// greedy returns the size of a maximum matching between a (sorted by end)
// and b (sorted by end) where two spans may pair when they overlap, and,
// when sameLabel, carry the same label. Only a's spans labelled onlyA take
// part when onlyA ≥ 0. perLabel, when not nil, counts the pairs by label.
//
// Each span of a, by increasing end, takes the first-ending free span of b
// it may pair with. See the package documentation for why this is maximum.
func (m *matcher) greedy(a, b []span, onlyA int32, sameLabel bool, perLabel []int) int {
	m.used = append(m.used[:0], make([]bool, len(b))...)
	n := 0
	for _, s := range a {
		if onlyA >= 0 && s.label != onlyA {
			continue
		}
		for k, t := range b { // b is sorted by end: the first fit ends first
			if m.used[k] || !s.overlaps(t) || (sameLabel && s.label != t.label) {
				continue
			}
			m.used[k] = true
			n++
			if perLabel != nil {
				perLabel[s.label]++
			}
			break
		}
	}
	return n
}
