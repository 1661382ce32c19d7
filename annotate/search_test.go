package annotate

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unsafe"
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
		{"latin keeps its case", "Reuters, reuters Reuters", "Reuters", []occ{{0, 7, ""}, {17, 24, ""}}},
		{"alef forms, ى and ة fold as search folds them", "احمد أحمد إحمد مصطفي مستشفى الدوحه", "أحمد مصطفى",
			[]occ{{10, 20, ""}}},
		{"hamza on alef ignored", "قال احمد وأحمد", "أحمد", []occ{{4, 8, ""}, {10, 14, "و"}}},
		{"ta marbuta and alef maqsura", "مستشفي الدوحه", "الدوحة", []occ{{7, 13, ""}}},
		{"invisible marks ignored", "زار \u200fتونس", "تونس", []occ{{5, 9, ""}}},
		{"a name that starts outside a word", "قال (رويترز) ثم (رويترز)", "(رويترز)", []occ{{4, 12, ""}, {16, 24, ""}}},
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
		"\xd8", "ب\xd8A\xd8a\xd9", "ab\xd9\xffcd \xff\xfeب ـ ؟؛ ٠١ ۱۲ ٹ ە ہ", // not UTF-8; Arabic beyond the letters
	} {
		var want strings.Builder
		for _, w := range SearchWords(Fold(text)) {
			want.WriteString(w + " ")
		}
		if got := SearchBody(text); got != want.String() {
			t.Errorf("SearchBody(%q) =\n%q, want\n%q", text, got, want.String())
		}
		// A name and a text appended one after the other.
		name := "أخبار: Reuters"
		if got, want := string(AppendSearchBody(AppendSearchBody(nil, name), text)), SearchBody(name+"\n"+text); got != want {
			t.Errorf("AppendSearchBody(%q, %q) =\n%q, want\n%q", name, text, got, want)
		}
	}
	if got := Fold("Café ÉCOLE Ångström"); got != "cafe ecole angstrom" {
		t.Errorf("Latin accents: %q", got)
	}
}

// TestFoldFast: the fast path folds every rune as foldRune does.
func TestFoldFast(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if f, want := foldFast(r), foldRune(r); f != want {
			t.Errorf("foldFast(%U) = %U, foldRune %U", r, f, want)
		}
	}
}

// referenceOccurrences is FindOccurrences written the plain way, one
// position after the other: the Matcher must find exactly this.
func referenceOccurrences(text, needle string) []Occurrence {
	var nn []rune
	for _, r := range needle {
		if f := foldArabic(r); f >= 0 {
			nn = append(nn, f)
		}
	}
	if len(nn) == 0 {
		return nil
	}
	tr := []rune(text)
	var t []rune
	var pos []int
	for i, r := range tr {
		if f := foldArabic(r); f >= 0 {
			t = append(t, f)
			pos = append(pos, i)
		}
	}
	var out []Occurrence
	for i := 0; i+len(nn) <= len(t); i++ {
		if string(t[i:i+len(nn)]) != string(nn) {
			continue
		}
		j := i + len(nn)
		if j < len(t) && isWordRune(t[j]) && isWordRune(nn[len(nn)-1]) {
			continue
		}
		start, end := pos[i], pos[j-1]+1
		for end < len(tr) && IsHaraka(tr[end]) {
			end++
		}
		if i == 0 || !isWordRune(t[i-1]) || !isWordRune(nn[0]) {
			out = append(out, Occurrence{Start: start, End: end})
			continue
		}
		k := i
		for k > 0 && isWordRune(t[k-1]) {
			k--
		}
		if slices.Contains(proclitics, string(t[k:i])) {
			out = append(out, Occurrence{Start: start, End: end, Proclitic: string(tr[pos[k]:start])})
		}
	}
	return out
}

// TestMatcherManyNames checks that one Matcher holding many names finds,
// for each, what the plain search for that name alone finds, on a real
// article with harakat, proclitics and mixed scripts.
func TestMatcherManyNames(t *testing.T) {
	text := "قال الرئيس الأمريكي دونالد ترامب لرويترز إن واشنطن وموسكو ستلتقيان في القاهرة، " +
		"وبالقاهرة قال مُحَمَّد بن سلمان إن الاتحاد الأوروبي والاتحاد الافريقي (رويترز) يدعمان ذلك. U.S. Reuters ترامبي"
	names := []string{"ترامب", "دونالد ترامب", "رويترز", "(رويترز)", "واشنطن", "موسكو", "القاهرة", "قاهرة", "محمد",
		"محمد بن سلمان", "الاتحاد الأوروبي", "الاتحاد الأفريقي", "U.S.", "Reuters", "الاتحاد", "ال", "x"}
	var m Matcher
	ids := map[int]string{}
	for _, n := range names {
		ids[m.Add(n)] = n
	}
	got := map[string][]Occurrence{}
	last := Match{}
	for i, f := range m.Find(text) {
		if i > 0 && (f.Start < last.Start || f.Start == last.Start && f.End > last.End) {
			t.Errorf("Find is not ordered by start, longer first: %v after %v", f, last)
		}
		last = f
		got[ids[f.Name]] = append(got[ids[f.Name]], f.Occurrence)
	}
	for _, n := range names {
		want := referenceOccurrences(text, n)
		if !reflect.DeepEqual(got[n], want) {
			t.Errorf("%q: matcher %v, reference %v", n, got[n], want)
		}
	}
	if len(got["دونالد ترامب"]) != 1 || len(got["ترامب"]) != 1 || len(got["قاهرة"]) != 2 {
		t.Errorf("names within names: %v", got)
	}
	if m.Add("مُحمّد") != m.Add("محمد") || m.Add("") != -1 {
		t.Error("names that fold alike share a number; an empty one has none")
	}
}

// FuzzMatcher compares the Matcher with the plain search on any text.
func FuzzMatcher(f *testing.F) {
	f.Add("مصر ومصر بمصر والمصر فمصر سمصر", "مصر")
	f.Add("القاهـــرة وبالقاهرة", "القاهرة")
	f.Add("(رويترز) x(رويترز)", "(رويترز)")
	f.Add("U.S. and U.S.A.", "U.S.")
	f.Add("أ\u064eحمد", "احمد")
	f.Fuzz(func(t *testing.T, text, needle string) {
		got := FindOccurrences(text, needle)
		want := referenceOccurrences(text, needle)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("FindOccurrences(%q, %q) = %v, reference %v", text, needle, got, want)
		}
	})
}

// TestMatcherKeepsNoText: a name added as a slice of a text (as the
// recommender adds what was labelled in an article, which can be a
// hundred megabytes) is kept as a copy of its own, so that the matcher
// does not keep the whole text alive.
func TestMatcherKeepsNoText(t *testing.T) {
	text := strings.Repeat("قال ترامب إن موسكو ", 1000)
	from := unsafe.StringData(text)
	within := func(s string) bool {
		p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
		return p >= uintptr(unsafe.Pointer(from)) && p < uintptr(unsafe.Pointer(from))+uintptr(len(text))
	}
	var m Matcher
	i := m.Add(text[7:17]) // ترامب, which folding leaves as it is
	if i < 0 || !strings.Contains(text, m.names[i].folded) {
		t.Fatalf("name %d %q", i, m.names[i].folded)
	}
	if within(m.names[i].folded) {
		t.Error("the name kept is a slice of the text")
	}
	for k := range m.index {
		if within(k) {
			t.Error("the index's key is a slice of the text")
		}
	}
	for k := range m.byWord {
		if within(k) {
			t.Error("the word index's key is a slice of the text")
		}
	}
}
