package annotate

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestFold(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"مُحَمَّد", "محمد"},
		{"القاهـــرة", "القاهره"},
		{"أحمد إبراهيم آمال ٱلله", "احمد ابراهيم امال الله"},
		{"مصطفى", "مصطفي"},
		{"Reuters \u200fرويترز", "reuters رويترز"},
	} {
		if got := Fold(c.in); got != c.want {
			t.Errorf("Fold(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestFindOccurrences(t *testing.T) {
	type occ = Occurrence
	for _, c := range []struct {
		name, text, needle string
		want               []occ
	}{
		{"whole words only", "تونس وتونسي تونس.", "تونس", []occ{{0, 4, ""}, {12, 16, ""}}},
		{"proclitics shown apart", "مصر ومصر بمصر والمصر فمصر", "مصر",
			[]occ{{0, 3, ""}, {5, 8, "و"}, {10, 13, "ب"}, {17, 20, "وال"}, {22, 25, "ف"}}},
		{"needle with the article", "القدس بالقدس والقدس", "القدس", []occ{{0, 5, ""}, {7, 12, "ب"}, {14, 19, "و"}}},
		{"not a proclitic", "سمصر", "مصر", nil},
		{"harakat ignored in the text", "مُحَمَّدٌ قال", "محمد", []occ{{0, 9, ""}}},
		{"harakat ignored in the needle", "محمد قال", "مُحَمَّد", []occ{{0, 4, ""}}},
		{"tatweel ignored", "القاهـــرة", "القاهرة", []occ{{0, 10, ""}}},
		{"several words", "قال وزير الخارجية ووزير الخارجية", "وزير الخارجية", []occ{{4, 17, ""}, {19, 32, "و"}}},
		{"latin", "Reuters, reuters Reuters", "Reuters", []occ{{0, 7, ""}, {17, 24, ""}}},
		{"empty needle", "نص", "", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := FindOccurrences(c.text, c.needle)
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("FindOccurrences(%q, %q) = %v, want %v", c.text, c.needle, got, c.want)
			}
		})
	}
}

func TestParseQuery(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []QueryTerm
		err  error
	}{
		{"مُصْر   تونس", []QueryTerm{{Words: []string{"مصر"}}, {Words: []string{"تونس"}}}, nil},
		{"تون*", []QueryTerm{{Words: []string{"تون"}, Prefix: true}}, nil},
		{`"وزير الخارجية" أمريكا`, []QueryTerm{{Words: []string{"وزير", "الخارجيه"}, Phrase: true}, {Words: []string{"امريكا"}}}, nil},
		{` "" * ,`, nil, ErrBadQuery},
	} {
		got, err := ParseQuery(c.in)
		if !reflect.DeepEqual(got, c.want) || !errors.Is(err, c.err) {
			t.Errorf("ParseQuery(%q) = %+v, %v; want %+v, %v", c.in, got, err, c.want, c.err)
		}
	}
}

// TestMatchesQuery checks the index rules a store without a full-text
// index applies: proclitics found through stems, prefixes, phrases.
func TestMatchesQuery(t *testing.T) {
	body := SearchBody("قال وزير الخارجية ووزير الخارجية في القاهرة وبمصر")
	for _, c := range []struct {
		q    string
		want bool
	}{
		{"مصر", true},
		{"ومصر", false},
		{"وبمصر", true},
		{"قاهرة", true}, // القاهرة without its article
		{"القاه*", true},
		{"وزير الخارجية", true},
		{`"وزير الخارجية"`, true},
		{`"الخارجية وزير"`, false},
		{`"الخارجية ووزير"`, true},
		{`"ووزير الخارجية"`, true},
		{`"بوزير الخارجية"`, false},
		{"بال*", false},
		{"قاهر*", true},
		{"تونس", false},
		{"مصر تونس", false},
	} {
		terms, err := ParseQuery(c.q)
		if err != nil {
			t.Fatal(err)
		}
		if got := MatchesQuery(body, terms); got != c.want {
			t.Errorf("MatchesQuery(%q) = %v, want %v", c.q, got, c.want)
		}
	}
}

// TestSearchBodyOnePass: the one-pass SearchBody writes the folded words
// of its definition, on odd text as well.
func TestSearchBodyOnePass(t *testing.T) {
	for _, text := range []string{
		"", "  ", "قال مُحَمَّد: وبمصر والقاهرة، في 2025 (رويترز) Reuters’ ÉCOLE café ٣٤ ﻻ",
		"أحمد إبراهيم آمال ٱلله مصطفى\u200fرويترز القاهـــرة 👨‍👩‍👧 ＡＢＣ Ⅻ",
		"ولل فبال كالقمر بالبيت و ف لل",
	} {
		var want strings.Builder
		for _, w := range SearchWords(Fold(text)) {
			want.WriteString(w + " ")
		}
		if got := SearchBody(text); got != want.String() {
			t.Errorf("SearchBody(%q) =\n%q, want\n%q", text, got, want.String())
		}
	}
	if got := Fold("Café ÉCOLE Ångström"); got != "cafe ecole angstrom" {
		t.Errorf("Latin accents: %q", got)
	}
}
