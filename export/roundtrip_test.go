package export

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
)

// Pieces random texts are made of: Arabic with harakat, tatweel and the
// conjunction و written onto words, Latin, digits of both kinds, emoji
// (outside the BMP, with a skin tone and a ZWJ sequence), bidi marks,
// punctuation, quotes and characters JSON, XML and CSV escape.
var textPieces = []string{
	"قال", "ستيف", "ويتكوف", "وواشنطن", "الرِّياض", "مـحـمد", "(رويترز)", "٢٠٢٥", "2025", "5%", "؟", "،",
	"Allen", "Edmonds", "O'Neil", "e-mail", "U.S.", "=SUM(1,2)", "@Gap", "-Nike-", "+1", "\"quoted\"", "a\\b", "<b>&amp;</b>",
	"😂", "👍🏽", "👨‍👩‍👧", "\u200f", "\u200e", "_x0041_", "café", "naïve", "日本",
}

var labelPool = []string{"PERSON", "PLACE", "EVENT", "شخص", "GPE-ORG"}

func randomText(r *rand.Rand) string {
	var b strings.Builder
	n := 3 + r.IntN(25)
	for i := range n {
		if i > 0 {
			switch r.IntN(12) {
			case 0:
				b.WriteString("\n")
			case 1:
				b.WriteString(". ")
			case 2:
				b.WriteString("  ")
			case 3:
				b.WriteString("\t")
			default:
				b.WriteString(" ")
			}
		}
		b.WriteString(textPieces[r.IntN(len(textPieces))])
	}
	return b.String()
}

// randomSpans gives spans anywhere in the text (for character formats) or
// over whole tokens without overlap (for token formats).
func randomSpans(r *rand.Rand, d annotate.Document, tokens bool) []string {
	n := annotate.RuneLen(d.Text)
	var out []string
	if !tokens {
		for range r.IntN(6) {
			s := r.IntN(n)
			e := s + 1 + r.IntN(min(n-s, 12))
			out = append(out, fmt.Sprintf("%s:%d:%d", labelPool[r.IntN(len(labelPool))], s, e))
		}
		return out
	}
	toks := Tokens(d)
	for i := 0; i < len(toks); {
		if r.IntN(3) != 0 {
			i++
			continue
		}
		j := min(i+r.IntN(3), len(toks)-1)
		out = append(out, fmt.Sprintf("%s:%d:%d", labelPool[r.IntN(len(labelPool))], toks[i].Start, toks[j].End))
		i = j + 1
	}
	return out
}

// tokenView describes a document's spans over its tokens: token texts
// and "first-last:LABEL" per span, which survive a token format even
// though the text does not.
func tokenView(d annotate.Document, spans []annotate.Span) string {
	toks := Tokens(d)
	var words []string
	for _, t := range toks {
		words = append(words, t.Text)
	}
	var ss []string
	for _, s := range spans {
		a := align(toks, s.Start, s.End)
		ss = append(ss, fmt.Sprintf("%d-%d:%s", a.first, a.last, s.Label))
	}
	sort.Strings(ss)
	return strings.Join(words, "|") + " / " + strings.Join(ss, " ")
}

func charView(text string, spans []annotate.Span) string {
	var ss []string
	for _, s := range spans {
		ss = append(ss, fmt.Sprintf("%d-%d:%s", s.Start, s.End, s.Label))
	}
	sort.Strings(ss)
	ss = slices.Compact(ss)
	return fmt.Sprintf("%q / %s", text, strings.Join(ss, " "))
}

// Export then import gives the same spans, in every format, for random
// documents and spans, in every offset unit.
func TestRoundTripProperty(t *testing.T) {
	units := []annotate.OffsetUnit{annotate.CodePoints, annotate.UTF16, annotate.Bytes}
	for _, f := range Formats {
		t.Run(f.Name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(7, uint64(len(f.Name))))
			iterations := 60
			if testing.Short() {
				iterations = 10
			}
			for it := range iterations {
				m := &memSource{}
				for _, l := range labelPool {
					m.labels = append(m.labels, annotate.Label{Name: l, Color: "#123456"})
				}
				want := map[string]string{}
				for i := range 1 + r.IntN(3) {
					text := randomText(r)
					d := annotate.NewDocument(fmt.Sprintf("doc/%d-%d", it, i), text, nil)
					spans := randomSpans(r, d, f.Tokens)
					ad := m.addDoc(d.Name, text, "", map[string]annotate.Status{"ali": annotate.Done}, map[string][]string{"ali": spans})
					if f.Tokens {
						want[tokenView(ad.Document, ad.Layers["ali"].Spans)] = d.Name
					} else {
						want[charView(text, ad.Layers["ali"].Spans)] = d.Name
					}
				}
				unit := units[r.IntN(len(units))]
				if f.Tokens {
					unit = annotate.CodePoints
				}
				out := filepath.Join(t.TempDir(), "out"+strings.Join(f.Extensions[:min(1, len(f.Extensions))], ""))
				if f.Folder {
					out = filepath.Join(t.TempDir(), "out")
				}
				// Rows per sentence would come back as documents of
				// their own: this checks the tokens and tags.
				opts := Options{Format: f.Name, Output: out, Layer: "ali", Offsets: unit, Unit: UnitDocument}
				if _, err := Export(context.Background(), m, opts, nil); err != nil {
					t.Fatal(err)
				}
				sink := newMemSink()
				sink.labels = m.labels
				var problems []string
				_, err := Import(context.Background(), sink, ImportOptions{Format: f.Name, Layer: "ali", Offsets: unit}, []string{out},
					func(p Problem) { problems = append(problems, p.Error()) }, nil)
				if err != nil || len(problems) > 0 {
					t.Fatalf("iteration %d (%s): %v %q", it, unit, err, problems)
				}
				got := map[string]bool{}
				for _, d := range sink.docs {
					spans := sink.spans[d.ID]["ali"]
					if f.Tokens {
						got[tokenView(d, spans)] = true
					} else {
						got[charView(d.Text, spans)] = true
					}
				}
				for view, name := range want {
					if !got[view] {
						var have []string
						for g := range got {
							have = append(have, g)
						}
						t.Fatalf("iteration %d (%s): %s did not come back:\nwant %s\nhave %s", it, unit, name, view, strings.Join(have, "\n     "))
					}
				}
				if len(got) != len(want) {
					t.Fatalf("iteration %d: %d documents back, want %d", it, len(got), len(want))
				}
			}
		})
	}
}
