package textlayout

import (
	"image/color"
	"sort"
)

// Mark is a span drawn behind the text.
type Mark struct {
	ID         int64
	Start, End int
	Color      color.NRGBA
	Suggestion bool
	// Depth is the mark's nesting row among the marks it overlaps: 0 for
	// the outermost; set by NewMarks.
	Depth int
}

// Marks is an immutable set of marks, ordered for range queries.
type Marks struct {
	ms     []Mark // by Start, then longer first
	maxEnd []int  // maxEnd[k] = max End of ms[:k+1]
}

// NewMarks orders marks and gives overlapping ones distinct depths.
func NewMarks(in []Mark) *Marks {
	ms := append([]Mark(nil), in...)
	sort.SliceStable(ms, func(a, b int) bool {
		if ms[a].Start != ms[b].Start {
			return ms[a].Start < ms[b].Start
		}
		if ms[a].End != ms[b].End {
			return ms[a].End > ms[b].End
		}
		return ms[a].ID < ms[b].ID
	})
	var active []Mark // marks still open, any order
	for k := range ms {
		m := &ms[k]
		kept := active[:0]
		for _, a := range active {
			if a.End > m.Start {
				kept = append(kept, a)
			}
		}
		active = kept
		d := 0
		for used := true; used; {
			used = false
			for _, a := range active {
				if a.Depth == d {
					d++
					used = true
				}
			}
		}
		m.Depth = d
		active = append(active, *m)
	}
	s := &Marks{ms: ms, maxEnd: make([]int, len(ms))}
	e := 0
	for k, m := range ms {
		e = max(e, m.End)
		s.maxEnd[k] = e
	}
	return s
}

// Len returns the number of marks.
func (s *Marks) Len() int {
	if s == nil {
		return 0
	}
	return len(s.ms)
}

// All returns the marks in order.
func (s *Marks) All() []Mark {
	if s == nil {
		return nil
	}
	return s.ms
}

// Overlapping calls fn for each mark that shares a code point with
// [start, end).
func (s *Marks) Overlapping(start, end int, fn func(m *Mark)) {
	if s == nil {
		return
	}
	k := sort.Search(len(s.ms), func(k int) bool { return s.maxEnd[k] > start })
	for ; k < len(s.ms) && s.ms[k].Start < end; k++ {
		if s.ms[k].End > start {
			fn(&s.ms[k])
		}
	}
}

// At returns the marks holding offset off, innermost (shortest) first.
func (s *Marks) At(off int) []Mark {
	var out []Mark
	s.Overlapping(off, off+1, func(m *Mark) { out = append(out, *m) })
	sort.SliceStable(out, func(a, b int) bool { return out[a].End-out[a].Start < out[b].End-out[b].Start })
	return out
}

// Find returns the mark with the given id.
func (s *Marks) Find(id int64) (Mark, bool) {
	if s != nil {
		for _, m := range s.ms {
			if m.ID == id {
				return m, true
			}
		}
	}
	return Mark{}, false
}
