package recommend_test

import (
	"bufio"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/internal/shared"
)

// sentence is one sentence of a "token TAG" corpus, its text the tokens
// joined by single spaces (as Qalam's CoNLL import rebuilds it), its
// spans the B-/I- runs of its first tag column.
type sentence struct {
	text  string
	spans []annotate.Span
}

// readBIO reads a token-per-line file with IOB2 tags, sentences
// separated by blank lines; rename, when not nil, renames labels.
func readBIO(tb testing.TB, path string, rename func(string) string) []sentence {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []sentence
	var words []string
	var spans []annotate.Span
	pos := 0
	open := -1 // index in spans of the span going on
	flush := func() {
		if len(words) > 0 {
			out = append(out, sentence{text: strings.Join(words, " "), spans: spans})
		}
		words, spans, pos, open = nil, nil, 0, -1
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			flush()
			continue
		}
		word, tag := fields[0], fields[1]
		if len(words) > 0 {
			pos++ // the space
		}
		start, end := pos, pos+annotate.RuneLen(word)
		words = append(words, word)
		pos = end
		kind, label, _ := strings.Cut(tag, "-")
		if rename != nil {
			label = rename(label)
		}
		switch {
		case kind == "I" && open >= 0 && spans[open].Label == label:
			spans[open].End = end
		case kind == "B" || kind == "I":
			spans = append(spans, annotate.Span{Start: start, End: end, Label: label})
			open = len(spans) - 1
		default:
			open = -1
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	flush()
	return out
}

// anercorp is ANERcorp's test split (CAMeL Lab), one document per
// sentence: the split lost the articles' boundaries.
func anercorp(tb testing.TB) []sentence {
	return readBIO(tb, shared.Path(tb, "corpora/arabic/ANERcorp-CamelLab/Data/ANERCorp_CamelLab_test.txt"), nil)
}

// aqmar is AQMAR's 28 Wikipedia articles, sentence after sentence in
// file-name order. Its MIS0 to MIS3 are categories each article defines
// for itself (MIS1 is a field of science in one, a sport in another):
// they are read as one label, MIS.
func aqmar(tb testing.TB) []sentence {
	dir := shared.Path(tb, "corpora/arabic/AQMAR/aqmar/articles")
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) == 0 {
		tb.Skipf("no AQMAR articles in %s", dir)
	}
	sort.Strings(files)
	var out []sentence
	for _, f := range files {
		out = append(out, readBIO(tb, f, func(l string) string {
			if strings.HasPrefix(l, "MIS") {
				return "MIS"
			}
			return l
		})...)
	}
	return out
}

// names returns n distinct names for benchmarks: the entities of the
// Arabic NER corpora first (ANERcorp, AQMAR, Wojood), then word pairs of
// the ANT news articles, as an annotator's long list of learned names
// would hold.
func names(tb testing.TB, n int) []string {
	tb.Helper()
	seen := map[string]bool{}
	var out []string
	add := func(s string) bool {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
		return len(out) >= n
	}
	var sents []sentence
	sents = append(sents, anercorp(tb)...)
	sents = append(sents, aqmar(tb)...)
	sents = append(sents, readBIO(tb, shared.Path(tb, "corpora/arabic/SinaLab-ArabicNER-Wojood-sample/data/train.txt"), nil)...)
	for _, s := range sents {
		for _, sp := range s.spans {
			name, _ := annotate.Slice(s.text, sp.Start, sp.End)
			if add(name) {
				return out
			}
		}
	}
	root := shared.Path(tb, "corpora/plaintext/antcorpus-ANT-arabic-news-plain1000")
	var files []string
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".txt") {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		words := strings.Fields(string(b))
		for i := 0; i+1 < len(words); i++ {
			if add(words[i] + " " + words[i+1]) {
				return out
			}
		}
	}
	tb.Fatalf("only %d names found, %d wanted", len(out), n)
	return nil
}
