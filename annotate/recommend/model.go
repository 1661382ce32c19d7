// Package recommend is Qalam's built-in recommender: it learns the names
// an annotator (and the gold layer) labelled in a project and proposes
// them wherever they occur in another document, as suggestions the
// annotator accepts or rejects. Nothing leaves the machine, and nothing
// but the project is read.
//
// The rules:
//
//   - A name is found as label-all-occurrences and search find it
//     (annotate.Matcher): Arabic folded (harakat, tatweel, hamza on alef,
//     ى and ة), whole words, and after proclitics (مصر is proposed on
//     ومصر and بمصر, the span leaving the proclitic out).
//   - Longer names first: where دونالد ترامب and ترامب both match, the
//     first is proposed; no two proposals overlap, and none crosses a
//     span the annotator already made.
//   - A name is proposed with the label it carried most often; the
//     runner-up is given as its alternative.
//   - A name is never proposed with a label the annotator rejected it
//     with more often than they labelled it so themselves.
//   - Names of fewer than two letters are not learned.
//
// The package holds no SQL and no user interface: Learn, Refresh and
// Store work through the store contract (annotate).
package recommend

import (
	"math"
	"slices"
	"sync"
	"unicode"

	"github.com/qalam-annotate/qalam/annotate"
)

// Proposal is a name proposed on a document.
type Proposal struct {
	Start, End int // code points, end exclusive
	Label      string
	// Alternative is the label the name carried second most often, ""
	// when it carried only one.
	Alternative string
	// Proclitic is what stands attached in front of the name in the text
	// (و, بال, ...), left out of the span.
	Proclitic string
}

// key is the range and label proposed.
func (p Proposal) key() annotate.SpanKey {
	return annotate.SpanKey{Start: p.Start, End: p.End, Label: p.Label}
}

// tally counts, for one name and one label, the spans and rejections.
type tally struct {
	used     int // spans of the annotator and of gold
	own      int // the annotator's spans: their accepts
	rejected int // suggestions of this name and label the annotator rejected
}

// contribution is what one span or rejection of a document added, kept
// to be taken back when the document is learned again. Eight bytes: a
// project of a million documents keeps hundreds of thousands.
type contribution struct {
	name  int32  // the matcher's number
	label uint16 // in Model.labels
	kind  uint8  // what: used by gold, used by the annotator, rejected
}

const (
	byGold = iota
	byOwn
	byRejection
)

// Model is what the recommender learned from one annotator's layer and
// gold. It is safe for concurrent use.
type Model struct {
	mu      sync.RWMutex
	matcher annotate.Matcher
	names   []map[string]*tally // by matcher number
	docs    map[int64][]contribution
	live    int // names with at least one span
	// labels are the labels met, numbered for contributions; a label
	// past the 65,536th is not learned.
	labels  []string
	labelOf map[string]uint16
}

// NewModel returns a model that knows no name yet.
func NewModel() *Model {
	return &Model{docs: map[int64][]contribution{}, labelOf: map[string]uint16{}}
}

// label numbers label for contributions, false when there are too many.
func (m *Model) label(label string) (uint16, bool) {
	if n, ok := m.labelOf[label]; ok {
		return n, true
	}
	if len(m.labels) > math.MaxUint16 {
		return 0, false
	}
	n := uint16(len(m.labels))
	m.labels = append(m.labels, label)
	m.labelOf[label] = n
	return n, true
}

// Names is the number of names the model would propose.
func (m *Model) Names() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.live
}

// learnable reports whether a span's text can be learned: two letters
// or digits at least.
func learnable(text string) bool {
	n := 0
	for _, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if n++; n >= 2 {
				return true
			}
		}
	}
	return false
}

// SetDocument replaces what document docID teaches the model: own are
// the annotator's spans there, gold the gold layer's, rejected the
// suggestions the annotator rejected there (any suggestion layer; the
// same range and label rejected in two counts once), all over text.
// Calling it again for a document after an edit keeps the model up to
// date.
func (m *Model) SetDocument(docID int64, text string, own, gold, rejected []annotate.Span) {
	// The byte offsets of the spans' ends only, found in one pass over
	// the text up to the last of them (an offset for every character of
	// 200,000 documents was 1.8 GB to allocate while learning a large
	// project; reading the whole of a 100 MB article took 220-290 ms each
	// time it opened, where its spans were all near its start).
	var pos []int
	for _, spans := range [][]annotate.Span{own, gold, rejected} {
		for _, sp := range spans {
			pos = append(pos, sp.Start, sp.End)
		}
	}
	slices.Sort(pos)
	pos = slices.Compact(pos)
	at := make(map[int]int, len(pos))
	k, n := 0, 0
	for b := range text {
		if k == len(pos) {
			break
		}
		for k < len(pos) && pos[k] < n {
			k++ // negative
		}
		for k < len(pos) && pos[k] == n {
			at[n] = b
			k++
		}
		n++
	}
	if k < len(pos) && pos[k] == n {
		at[n] = len(text)
	}
	slice := func(sp annotate.Span) (string, bool) {
		s, ok1 := at[sp.Start]
		e, ok2 := at[sp.End]
		if !ok1 || !ok2 || sp.Start >= sp.End {
			return "", false
		}
		return text[s:e], true
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, c := range m.docs[docID] {
		m.count(c, -1)
	}
	var cs []contribution
	for kind, spans := range [][]annotate.Span{byGold: gold, byOwn: own, byRejection: rejected} {
		seen := map[annotate.SpanKey]bool{} // a suggestion two sources made is one rejection
		for _, sp := range spans {
			if seen[sp.Key()] {
				continue
			}
			seen[sp.Key()] = true
			s, ok := slice(sp)
			if !ok || !learnable(s) {
				continue
			}
			label, ok := m.label(sp.Label)
			if !ok {
				continue
			}
			c := contribution{name: int32(m.matcher.Add(s)), label: label, kind: uint8(kind)}
			for len(m.names) <= int(c.name) {
				m.names = append(m.names, nil)
			}
			m.count(c, 1)
			cs = append(cs, c)
		}
	}
	if len(cs) == 0 {
		delete(m.docs, docID)
	} else {
		m.docs[docID] = cs
	}
}

// count adds (by 1) or takes back (by -1) one contribution.
func (m *Model) count(c contribution, by int) {
	labels := m.names[c.name]
	if labels == nil {
		labels = map[string]*tally{}
		m.names[c.name] = labels
	}
	wasLive := m.isLive(labels)
	label := m.labels[c.label]
	t := labels[label]
	if t == nil {
		t = &tally{}
		labels[label] = t
	}
	switch c.kind {
	case byGold:
		t.used += by
	case byOwn:
		t.used += by
		t.own += by
	case byRejection:
		t.rejected += by
	}
	if *t == (tally{}) {
		delete(labels, label)
	}
	if live := m.isLive(labels); live != wasLive {
		if live {
			m.live++
		} else {
			m.live--
		}
	}
}

func (m *Model) isLive(labels map[string]*tally) bool {
	for _, t := range labels {
		if t.used > 0 {
			return true
		}
	}
	return false
}

// choose picks a name's label and alternative among those of the label
// set: the labels it carried, leaving out those the annotator rejected it
// with more often than they labelled it so, most used first (ties in the
// label set's order).
func choose(labels map[string]*tally, set annotate.LabelSet) (label, alt string) {
	best, second := -1, -1
	for i, l := range set {
		t := labels[l.Name]
		if t == nil || t.used == 0 || t.rejected > t.own {
			continue
		}
		switch {
		case best < 0 || t.used > labels[set[best].Name].used:
			best, second = i, best
		case second < 0 || t.used > labels[set[second].Name].used:
			second = i
		}
	}
	if best < 0 {
		return "", ""
	}
	if second >= 0 {
		alt = set[second].Name
	}
	return set[best].Name, alt
}

// Propose returns what the model proposes on a text, in text order:
// spans are the annotator's spans there, which no proposal crosses;
// labels is the project's label set (a name is proposed only with one of
// its labels).
func (m *Model) Propose(text string, spans []annotate.Span, labels annotate.LabelSet) []Proposal {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.live == 0 {
		return nil
	}
	type cand struct {
		annotate.Match
		label, alt string
	}
	var cands []cand
	for _, f := range m.matcher.Find(text) {
		label, alt := choose(m.names[f.Name], labels)
		if label == "" {
			continue
		}
		cands = append(cands, cand{f, label, alt})
	}
	// Longest first; at equal length, the earlier.
	slices.SortStableFunc(cands, func(a, b cand) int {
		if la, lb := a.End-a.Start, b.End-b.Start; la != lb {
			return lb - la
		}
		return a.Start - b.Start
	})
	taken := make([]bool, annotate.RuneLen(text))
	mark := func(start, end int) {
		for i := max(start, 0); i < min(end, len(taken)); i++ {
			taken[i] = true
		}
	}
	for _, sp := range spans {
		mark(sp.Start, sp.End)
	}
	var out []Proposal
	for _, c := range cands {
		if slices.Contains(taken[c.Start:c.End], true) {
			continue
		}
		mark(c.Start, c.End)
		out = append(out, Proposal{Start: c.Start, End: c.End, Label: c.label, Alternative: c.alt, Proclitic: c.Proclitic})
	}
	slices.SortFunc(out, func(a, b Proposal) int { return a.Start - b.Start })
	return out
}
