package recommend_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/recommend"
	"github.com/qalam-annotate/qalam/annotate/sqlite"
	"github.com/qalam-annotate/qalam/annotate/storetest"
	"github.com/qalam-annotate/qalam/assets"
)

// seedArticle is the Reuters article the project started with.
func seedArticle(tb testing.TB) string {
	text, err := annotate.CleanText(assets.Samples()[0].Text)
	if err != nil {
		tb.Fatal(err)
	}
	return text
}

// learned returns a model that learned n names, one document each.
func learned(tb testing.TB, n int) *recommend.Model {
	m := recommend.NewModel()
	labels := annotate.DefaultLabels()
	for i, name := range names(tb, n) {
		m.SetDocument(int64(i+1), name, []annotate.Span{{Start: 0, End: annotate.RuneLen(name), Label: labels[i%len(labels)].Name}}, nil, nil)
	}
	return m
}

var sizes = []int{5000, 50000}

// BenchmarkFoldSeed is the floor of proposing: folding the seed article
// once, as the matcher does before it looks for any name.
func BenchmarkFoldSeed(b *testing.B) {
	text := seedArticle(b)
	for b.Loop() {
		annotate.Fold(text)
	}
}

// BenchmarkPropose proposes on the seed article with 5,000 and 50,000
// learned names.
func BenchmarkPropose(b *testing.B) {
	text := seedArticle(b)
	labels := annotate.DefaultLabels()
	for _, n := range sizes {
		m := learned(b, n)
		b.Run(fmt.Sprintf("names=%d", n), func(b *testing.B) {
			var props []recommend.Proposal
			for b.Loop() {
				props = m.Propose(text, nil, labels)
			}
			b.ReportMetric(float64(len(props)), "proposals")
		})
	}
}

// BenchmarkSuggestSeed is what the window waits for after opening the
// seed article, on a project file: learning the document again (its
// text, the annotator's and gold's spans, the rejections), proposing,
// storing the proposals as the annotator's suggestions and reading them
// back. Its floor is BenchmarkSuggestionsRead, the reading back alone.
func BenchmarkSuggestSeed(b *testing.B) {
	ctx := context.Background()
	s, doc := seedProject(b)
	text := seedArticle(b)
	labels := annotate.DefaultLabels()
	for _, n := range sizes {
		m := learned(b, n)
		b.Run(fmt.Sprintf("names=%d", n), func(b *testing.B) {
			for b.Loop() {
				if err := m.Refresh(ctx, s, "amina", doc); err != nil {
					b.Fatal(err)
				}
				props := m.Propose(text, nil, labels)
				if _, _, err := recommend.Store(ctx, s, doc, "amina", props); err != nil {
					b.Fatal(err)
				}
				if _, err := s.Suggestions(ctx, doc, "amina"); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if _, _, err := recommend.Store(ctx, s, doc, "amina", nil); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
		})
	}
}

// BenchmarkSuggestionsRead reads the seed article's open suggestions
// (5,000 names proposed) back from the project file.
func BenchmarkSuggestionsRead(b *testing.B) {
	ctx := context.Background()
	s, doc := seedProject(b)
	m := learned(b, sizes[0])
	if _, _, err := recommend.Store(ctx, s, doc, "amina", m.Propose(seedArticle(b), nil, annotate.DefaultLabels())); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := s.Suggestions(ctx, doc, "amina"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLearn learns 5,000 names from a project file of as many
// documents, as the window does once a project opens.
func BenchmarkLearn(b *testing.B) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "p.qalam"), sqlite.Options{Create: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ai, err := s.NewAnnotationImporter(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for i, name := range names(b, sizes[0]) {
		d, _, err := ai.Document(annotate.NewDocument(fmt.Sprint(i), fmt.Sprintf("%d: %s", i, name), nil))
		if err != nil {
			b.Fatal(err)
		}
		start := annotate.RuneLen(fmt.Sprintf("%d: ", i))
		if _, err := ai.Add(d.ID, "amina", []annotate.Span{{Start: start, End: start + annotate.RuneLen(name), Label: "PERSON"}}, annotate.Done); err != nil {
			b.Fatal(err)
		}
	}
	if err := ai.Close(); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		m, err := recommend.Learn(ctx, s, "amina")
		if err != nil || m.Names() == 0 {
			b.Fatal(m.Names(), err)
		}
	}
}

func seedProject(b *testing.B) (*sqlite.Store, int64) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "p.qalam"), sqlite.Options{Create: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s, storetest.AddDoc(b, s, "seed", seedArticle(b))
}

// BenchmarkSetDocumentLong learns a 100 MB article (the seed article
// repeated) whose one span is near its start, as the app does each time
// such an article opens: the text is read up to the last span only.
func BenchmarkSetDocumentLong(b *testing.B) {
	seed := seedArticle(b)
	text := strings.Repeat(seed+"\n", 100<<20/len(seed))
	name := "رويترز"
	start := annotate.RuneLen(seed[:strings.Index(seed, name)])
	spans := []annotate.Span{{Start: start, End: start + annotate.RuneLen(name), Label: "ORG"}}
	m := recommend.NewModel()
	for b.Loop() {
		m.SetDocument(1, text, spans, nil, nil)
	}
}
