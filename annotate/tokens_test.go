package annotate

import (
	"os"
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/qalam-annotate/qalam/internal/shared"
)

func TestTokenize(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"english", "Hello, world!", []string{"Hello", ",", "world", "!"}},
		{"arabic with brackets", "واشنطن 5 ديسمبر (رويترز) - قال", []string{"واشنطن", "5", "ديسمبر", "(", "رويترز", ")", "-", "قال"}},
		{"harakat and tatweel stay in the word", "مُحَمَّد قـــال", []string{"مُحَمَّد", "قـــال"}},
		{"emoji is its own token", "😂 Allen Edmonds", []string{"😂", "Allen", "Edmonds"}},
		{"quotes", `بـأنه "مناقشات بناءة"`, []string{"بـأنه", `"`, "مناقشات", "بناءة", `"`}},
		{"bidi marks are not tokens", "abc \u200f def", []string{"abc", "def"}},
		{"arabic comma", "ويتكوف، المبعوث", []string{"ويتكوف", "،", "المبعوث"}},
		{"number with decimal", "3.5 kg", []string{"3.5", "kg"}},
		// UAX #29: an emoji ZWJ sequence and a flag are one grapheme
		// cluster each, so one token each.
		{"emoji ZWJ sequence", "عائلة 👨\u200d👩\u200d👧 هنا", []string{"عائلة", "👨\u200d👩\u200d👧", "هنا"}},
		{"flags", "🇸🇦🇪🇬 علم", []string{"🇸🇦", "🇪🇬", "علم"}},
		{"emoji with skin tone and variation selector", "👍🏽 ❤\ufe0f!", []string{"👍🏽", "❤\ufe0f", "!"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			runes := []rune(tt.text)
			for _, tok := range Tokenize(tt.text) {
				if string(runes[tok.Start:tok.End]) != tok.Text {
					t.Errorf("token %q at [%d,%d) is %q in the text", tok.Text, tok.Start, tok.End, string(runes[tok.Start:tok.End]))
				}
				got = append(got, tok.Text)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Tokenize(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestSentenceEnds(t *testing.T) {
	tests := []struct {
		text string
		want []string // each sentence's text
	}{
		{"قال مسؤولون. ومن المقرر\nسطر آخر", []string{"قال مسؤولون. ", "ومن المقرر\n", "سطر آخر"}},
		{"هل انتهى؟ نعم! حسنا۔ تم", []string{"هل انتهى؟ ", "نعم! ", "حسنا۔ ", "تم"}},
		// UAX #29 keeps abbreviations and decimals inside a sentence.
		{"U.S. officials met 3.5 times. Then left.", []string{"U.S. officials met 3.5 times. ", "Then left."}},
		{"one\r\ntwo\n\nthree", []string{"one\r\n", "two\n", "\n", "three"}},
		{"", nil},
	}
	for _, tt := range tests {
		runes := []rune(tt.text)
		var got []string
		prev := 0
		for _, end := range SentenceEnds(tt.text) {
			got = append(got, string(runes[prev:end]))
			prev = end
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("SentenceEnds(%q) cut %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestTokenizeFastPathAgrees checks that skipping the segmenter for plain
// words changes no token, over real Arabic, English and mixed text.
func TestTokenizeFastPathAgrees(t *testing.T) {
	var texts []string
	for _, rel := range []string{
		"samples/reuters-ar-2025-12-05.txt",
		"corpora/plaintext/ud-sentences/ar_en_pud_mixed_bidi.txt",
		"corpora/plaintext/ud-sentences/he_iahltwiki_dev_sentences.txt",
		"corpora/arabic/AQMAR/aqmar/cleaned_articles/Linux.txt.clean.txt",
	} {
		b, err := os.ReadFile(shared.Path(t, rel))
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(b))
	}
	texts = append(texts, "it's U.S. 3.5kg ١٢٣ مُحَمَّد_x a\u200fb ﻻ 日本語テキスト ไทย 😂👍🏽 e\u0301 \u0301x")
	for i, text := range texts {
		fast, slow := tokenize(text, true), tokenize(text, false)
		if !reflect.DeepEqual(fast, slow) {
			for k := range min(len(fast), len(slow)) {
				if fast[k] != slow[k] {
					t.Fatalf("text %d, token %d: fast %+v, segmenter %+v", i, k, fast[k], slow[k])
				}
			}
			t.Fatalf("text %d: %d tokens fast, %d by the segmenter", i, len(fast), len(slow))
		}
	}
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"واشنطن 5 ديسمبر (رويترز)", "caf\xe9 au lait", "😂 Allen", "a\u200fb ، c."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		runes := []rune(text)
		last := 0
		for _, tok := range Tokenize(text) {
			if tok.Start < last || tok.End <= tok.Start || tok.End > len(runes) {
				t.Fatalf("token [%d,%d) after %d in %d runes", tok.Start, tok.End, last, len(runes))
			}
			if got := string(runes[tok.Start:tok.End]); got != tok.Text && utf8.ValidString(text) {
				t.Fatalf("token text %q, runes say %q", tok.Text, got)
			}
			last = tok.End
		}
	})
}
