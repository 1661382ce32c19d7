package annotate

// SearchHit is where a search query matched a document's text: a word,
// with whatever proclitics it carries, or a phrase. Offsets are code
// points, end exclusive.
type SearchHit struct {
	Start, End int
}

// FindSearchHits returns where the parsed query's terms match text, by the
// rules of MatchesQuery (a document matches when each term has a hit), in
// text order: what the window highlights in a document found by a search
// (مصر finds بمصر, and the hit covers بمصر).
func FindSearchHits(text string, terms []QueryTerm) []SearchHit {
	// The folded words of text, and where each stands.
	var seq []string
	var at []SearchHit
	var cur []rune
	start, off := -1, 0
	flush := func(end int) {
		if start >= 0 {
			seq = append(seq, string(cur))
			at = append(at, SearchHit{start, end})
		}
		cur, start = cur[:0], -1
	}
	for _, r := range text {
		switch f := foldFast(r); {
		case f < 0: // dropped inside a word: harakat, tatweel, format characters
		case isWordChar(f):
			if start < 0 {
				start = off
			}
			cur = append(cur, f)
		default:
			flush(off)
		}
		off++
	}
	flush(off)
	forms := make([][][]string, len(terms))
	for i, t := range terms {
		forms[i] = t.forms()
	}
	var hits []SearchHit
	for i := range seq {
		for k, t := range terms {
			if t.at(seq, i, forms[k]) {
				hits = append(hits, SearchHit{at[i].Start, at[i+len(t.Words)-1].End})
			}
		}
	}
	// Terms may hit the same words: keep each range once, in text order.
	out := hits[:0]
	for _, h := range hits {
		if len(out) == 0 || h != out[len(out)-1] {
			out = append(out, h)
		}
	}
	return out
}
