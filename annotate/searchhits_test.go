package annotate

import (
	"reflect"
	"testing"
)

func TestFindSearchHits(t *testing.T) {
	text := "زار الرئيس مصرَ، ثم عاد بمصر إلى ومصر والقاهرة. Mr Smith met mr smith."
	at := func(s string) SearchHit {
		rs, sub := []rune(text), []rune(s)
		for i := 0; i+len(sub) <= len(rs); i++ {
			if string(rs[i:i+len(sub)]) == s {
				return SearchHit{i, i + len(sub)}
			}
		}
		t.Fatalf("%q not in the text", s)
		return SearchHit{}
	}
	tests := []struct {
		query string
		want  []SearchHit
	}{
		// The word, with its harakah, and with proclitics: the hit covers
		// the whole word.
		{"مصر", []SearchHit{at("مصرَ"), at("بمصر"), at("ومصر")}},
		{"ومصر", []SearchHit{at("ومصر")}},
		{"القاه*", []SearchHit{at("والقاهرة")}},
		{`"mr smith"`, []SearchHit{at("Mr Smith"), at("mr smith")}},
		{"smith مصر", []SearchHit{at("مصرَ"), at("بمصر"), at("ومصر"), at("Smith"), at("smith")}},
		{"باريس", nil},
	}
	for _, tc := range tests {
		terms, err := ParseQuery(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		got := FindSearchHits(text, terms)
		if len(got) == 0 && len(tc.want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: hits %v, want %v", tc.query, got, tc.want)
		}
		// A document has hits exactly when the index finds it.
		if MatchesQuery(SearchBody(text), terms) != (len(got) > 0) && len(terms) == 1 {
			t.Errorf("%q: hits %v disagree with MatchesQuery", tc.query, got)
		}
	}
}
