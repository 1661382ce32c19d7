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
		{Start: 12, End: 18, Text: "German", SpaceAfter: true, SentenceEnd: true},
		{Start: 19, End: 24, Text: "Peter", SpaceAfter: true},
		{Start: 25, End: 34, Text: "Blackburn", SpaceAfter: true, SentenceEnd: true},
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

func TestIOB2Tags(t *testing.T) {
	text := "وقال ستيف ويتكوف في وواشنطن ."
	d := &Doc{Document: annotate.NewDocument("d", text, nil)}
	d.Tokens = Tokens(d.Document)
	sp := func(sub, label string, skip int) annotate.Span {
		var s annotate.Span
		fmt.Sscanf(strings.ReplaceAll(spanAt(text, sub, 1, label), ":", " "), "%s %d %d", &s.Label, &s.Start, &s.End)
		s.Start += skip
		return s
	}
	lw := &LayerWork{Name: "ali", Spans: []annotate.Span{
		sp("ستيف ويتكوف", "PERSON", 0),
		sp("ستيف", "PERSON", 0),          // overlaps the one before: left out
		sp("وواشنطن", "PLACE", 1),        // starts inside its token
		{Start: 27, End: 28, Label: "X"}, // the space before ".": no token
	}}
	var problems []string
	tags := iob2(d, lw, func(p Problem) { problems = append(problems, p.Err.Error()) })
	if got, want := strings.Join(tags, " "), "O B-PERSON I-PERSON O B-PLACE O"; got != want {
		t.Errorf("tags %q, want %q", got, want)
	}
	wantProblems := []string{"overlaps another span", "starts inside token \"وواشنطن\"", "covers no token"}
	if len(problems) != len(wantProblems) {
		t.Fatalf("problems %q", problems)
	}
	for i, w := range wantProblems {
		if !strings.Contains(problems[i], w) {
			t.Errorf("problem %q does not say %q", problems[i], w)
		}
	}
}

func TestSafeName(t *testing.T) {
	tests := map[string]string{
		"../../etc/passwd":       "_.._etc_passwd",
		"..":                     "document",
		".hidden":                "hidden",
		"a/b\\c:d*e?f\"g<h>":     "a_b_c_d_e_f_g_h_",
		"CON":                    "_CON",
		"nul.txt":                "_nul.txt",
		"tab\there\u200f":        "tab_here_",
		"مقال رويترز":            "مقال رويترز",
		"trailing. ":             "trailing",
		strings.Repeat("ب", 150): strings.Repeat("ب", 100),
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
