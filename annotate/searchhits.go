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
	type word struct {
		folded     string
		start, end int
	}
	var words []word
	var cur []rune
	start, off := -1, 0
	flush := func(end int) {
		if start >= 0 {
			words = append(words, word{string(cur), start, end})
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
	var hits []SearchHit
	for i := range words {
		for _, t := range terms {
			n := len(t.Words)
			if i+n > len(words) {
				continue
			}
			for _, first := range Forms(t.Words[0]) {
				want := append([]string{first}, t.Words[1:]...)
				ok := true
				for k, w := range want {
					if !wordMatches(words[i+k].folded, w, t.Prefix && k == n-1) {
						ok = false
						break
					}
				}
				if ok {
					hits = append(hits, SearchHit{words[i].start, words[i+n-1].end})
					break
				}
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
