package export

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/qalam-annotate/qalam/annotate"
)

func TestDecodeTags(t *testing.T) {
	tests := []struct {
		name string
		tags string
		bare bool
		want string // spans as label:first-last
	}{
		{"IOB2", "B-PER I-PER O B-LOC B-LOC I-LOC", false, "PER:0-1 LOC:3-3 LOC:4-5"},
		{"IOB1", "I-PER I-PER O I-LOC B-LOC", false, "PER:0-1 LOC:3-3 LOC:4-4"},
		{"I after another label", "B-PER I-LOC I-LOC", false, "PER:0-0 LOC:1-2"},
		{"BIOES", "B-ORG I-ORG E-ORG S-PER S-PER O", false, "ORG:0-2 PER:3-3 PER:4-4"},
		{"BILOU", "B-ORG L-ORG U-PER", false, "ORG:0-1 PER:2-2"},
		{"E ends then I starts", "B-X E-X I-X", false, "X:0-1 X:2-2"},
		{"suffix style", "NP-B NP-I VP-B", false, "NP:0-1 VP:2-2"},
		{"bare labels", "O PARTA YEAR MISC MISC O", true, "PARTA:1-1 YEAR:2-2 MISC:3-4"},
		{"spaCy missing", "- B-GPE -", false, "GPE:1-1"},
		{"label with dashes", "B-de-tu-Org I-de-tu-Org", false, "de-tu-Org:0-1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var tags []tag
			for _, s := range strings.Fields(tc.tags) {
				tg, err := parseTag(s, tc.bare)
				if err != nil {
					t.Fatal(err)
				}
				tags = append(tags, tg)
			}
			var got []string
			for _, s := range decodeTags(tags) {
				got = append(got, fmt.Sprintf("%s:%d-%d", s.label, s.first, s.last))
			}
			if strings.Join(got, " ") != tc.want {
				t.Errorf("got %q, want %q", strings.Join(got, " "), tc.want)
			}
		})
	}
	for _, bad := range []string{"PER", "B-", "X-Y", "+"} {
		if _, err := parseTag(bad, false); err == nil {
			t.Errorf("parseTag(%q) accepted", bad)
		}
	}
}

func TestWhitespaceTokens(t *testing.T) {
	got := whitespaceTokens("EU rejects  German\nPeter Blackburn ")
	want := []annotate.Token{
		{Start: 0, End: 2, Text: "EU", SpaceAfter: true},
		{Start: 3, End: 10, Text: "rejects", SpaceAfter: true},
		{Start: 12, End: 18, Text: "German", SpaceAfter: true},
		{Start: 19, End: 24, Text: "Peter", SpaceAfter: true},
		{Start: 25, End: 34, Text: "Blackburn", SpaceAfter: true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	// A document rebuilt from tokens keeps them; another is segmented.
	text := "لأفغانستان؛ حيث"
	if n := len(Tokens(annotate.NewDocument("x", text, tokensMeta()))); n != 2 {
		t.Errorf("rebuilt text: %d tokens, want 2", n)
	}
	if n := len(Tokens(annotate.NewDocument("x", text, nil))); n != 3 {
		t.Errorf("received text: %d tokens, want 3", n)
	}
}

// layerSpans builds a layer's spans from "LABEL:start:end" strings.
func layerSpans(specs ...string) []annotate.Span {
	var out []annotate.Span
	for _, s := range specs {
		var sp annotate.Span
		fmt.Sscanf(strings.ReplaceAll(s, ":", " "), "%s %d %d", &sp.Label, &sp.Start, &sp.End)
		out = append(out, sp)
	}
	return out
}

// rowsOf renders cut's rows as "token/TAG" words, rows apart by " | ".
func rowsOf(d *Doc, lt *layerTokens, tags []string) string {
	var rows []string
	for r := 0; r+1 < len(lt.rows); r++ {
		var w []string
		for i := lt.rows[r]; i < lt.rows[r+1]; i++ {
			w = append(w, lt.toks[i].Text+"/"+tags[i])
		}
		rows = append(rows, strings.Join(w, " "))
	}
	return strings.Join(rows, " | ")
}

func TestCut(t *testing.T) {
	text := "قال ستيف ويتكوف. زار ولبنان ومصر!\nBlue Smoke's show"
	tests := []struct {
		name, tokens, unit string
		spans              []string
		want               string
		notes              map[string]int
		problems           []string
	}{
		{
			name:  "a proclitic left out splits the word",
			spans: []string{spanAt(text, "لبنان", 1, "PLACE"), spanAt(text, "ستيف ويتكوف", 1, "PERSON")},
			want:  "قال/O ستيف/B-PERSON ويتكوف/I-PERSON ./O | زار/O و/O لبنان/B-PLACE ومصر/O !/O | Blue/O Smoke's/O show/O",
			notes: map[string]int{NoteSplit: 1},
		},
		{
			name:   "words keeps the word whole and widens the span",
			tokens: TokensWords,
			spans:  []string{spanAt(text, "لبنان", 1, "PLACE"), spanAt(text, "Blue Smoke", 1, "ORG")},
			want:   "قال/O ستيف/O ويتكوف./O | زار/O ولبنان/B-PLACE ومصر!/O | Blue/B-ORG Smoke's/I-ORG show/O",
			notes:  map[string]int{NoteWidened: 2},
		},
		{
			name:  "a span ending before 's and one ending on a space",
			spans: []string{spanAt(text, "Blue Smoke", 1, "ORG"), spanAt(text, "زار ", 1, "EVENT")},
			want:  "قال/O ستيف/O ويتكوف/O ./O | زار/B-EVENT ولبنان/O ومصر/O !/O | Blue/B-ORG Smoke/I-ORG 's/O show/O",
			notes: map[string]int{NoteTrimmed: 1, NoteSplit: 1},
		},
		{
			name:  "a sentence end inside a span does not split the row",
			spans: []string{spanAt(text, "ويتكوف. زار", 1, "EVENT")},
			want:  "قال/O ستيف/O ويتكوف/B-EVENT ./I-EVENT زار/I-EVENT ولبنان/O ومصر/O !/O | Blue/O Smoke's/O show/O",
		},
		{
			name:  "one row per document",
			unit:  UnitDocument,
			spans: []string{spanAt(text, "ومصر", 1, "PLACE")},
			want:  "قال/O ستيف/O ويتكوف/O ./O زار/O ولبنان/O ومصر/B-PLACE !/O Blue/O Smoke's/O show/O",
		},
		{
			name:     "overlapping and blank spans are left out, reported",
			spans:    []string{spanAt(text, "ستيف ويتكوف", 1, "PERSON"), spanAt(text, "ستيف", 1, "PERSON"), "X:3:4"},
			want:     "قال/O ستيف/B-PERSON ويتكوف/I-PERSON ./O | زار/O ولبنان/O ومصر/O !/O | Blue/O Smoke's/O show/O",
			problems: []string{"holds only white space", "overlaps another span"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := &Doc{Document: annotate.NewDocument("d", text, nil)}
			lw := &LayerWork{Name: "ali", Spans: layerSpans(tc.spans...)}
			var problems []string
			report := func(p Problem) { problems = append(problems, p.Err.Error()) }
			lt := cut(d, lw, tc.tokens, tc.unit, report)
			tags := lt.iob2(d, "ali", identity, report)
			if got := rowsOf(d, lt, tags); got != tc.want {
				t.Errorf("rows\n got %s\nwant %s", got, tc.want)
			}
			if len(lt.notes)+len(tc.notes) > 0 && !reflect.DeepEqual(lt.notes, tc.notes) {
				t.Errorf("notes %v, want %v", lt.notes, tc.notes)
			}
			if len(problems) != len(tc.problems) {
				t.Fatalf("problems %q, want %q", problems, tc.problems)
			}
			for i, w := range tc.problems {
				if !strings.Contains(problems[i], w) {
					t.Errorf("problem %q does not say %q", problems[i], w)
				}
			}
			// Every span starts on a token's start and ends on a
			// token's end.
			for _, sp := range lt.spans {
				if lt.toks[sp.first].Start != sp.Start || lt.toks[sp.last].End != sp.End {
					t.Errorf("span [%d,%d) is not on token edges", sp.Start, sp.End)
				}
			}
		})
	}
}

func TestFileLabel(t *testing.T) {
	for in, want := range map[string]string{"PERSON": "PERSON", "FASHION BRAND": "FASHION_BRAND", "a\u00a0b\tc\u202ed": "a_b_c_d", "مكان": "مكان"} {
		if got := fileLabel(in); got != want {
			t.Errorf("fileLabel(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSafeName(t *testing.T) {
	tests := map[string]string{
		"../../etc/passwd":            "_.._etc_passwd",
		"..":                          "document",
		".hidden":                     "hidden",
		"a/b\\c:d*e?f\"g<h>":          "a_b_c_d_e_f_g_h_",
		"CON":                         "_CON",
		"nul.txt":                     "_nul.txt",
		"tab\there\u200f":             "tab_here_",
		"مقال رويترز":                 "مقال رويترز",
		"trailing. ":                  "trailing",
		strings.Repeat("ب", 150):      strings.Repeat("ب", 100),      // 200 bytes
		strings.Repeat("😂", 100):      strings.Repeat("😂", 50),       // 400 bytes cut to 200
		"a" + strings.Repeat("😂", 60): "a" + strings.Repeat("😂", 49), // cut at a character's edge
	}
	for in, want := range tests {
		if got := safeName(in, "document"); got != want {
			t.Errorf("safeName(%q) = %q, want %q", in, got, want)
		}
	}
	var s nameSet
	s.taken = map[string]bool{}
	var got []string
	for _, n := range []string{"a", "A", "a", "a-2"} {
		got = append(got, s.unique(n))
	}
	if want := "a A-2 a-3 a-2-2"; strings.Join(got, " ") != want {
		t.Errorf("unique names %q, want %q", got, want)
	}
}

func TestCellChunks(t *testing.T) {
	long := strings.Repeat("😂", maxCell/2) + "ab" + strings.Repeat("ق", maxCell)
	chunks := cellChunks(long)
	if strings.Join(chunks, "") != long {
		t.Fatal("chunks do not join back to the text")
	}
	for i, c := range chunks {
		if n := len(utf16.Encode([]rune(c))); n > maxCell {
			t.Errorf("chunk %d has %d UTF-16 units", i, n)
		}
	}
	if len(chunks) != 3 {
		t.Errorf("%d chunks, want 3", len(chunks))
	}
}

func TestCellStyleChoice(t *testing.T) {
	rtl := map[string]bool{"قال": true, "5 ديسمبر": true, "Reuters قال": false, "(رويترز)": true, "123": false, "": false, "שלום": true}
	for s, want := range rtl {
		if isRTL(s) != want {
			t.Errorf("isRTL(%q) = %v", s, !want)
		}
	}
	for s, want := range map[string]bool{"=SUM(1,2)": true, "+1": true, "-Nike-": true, "@Gap": true, "\tx": true, "a=b": false, "": false} {
		if formulaLike(s) != want {
			t.Errorf("formulaLike(%q) = %v", s, !want)
		}
	}
}
