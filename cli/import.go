package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/articles"
	"github.com/qalam-annotate/qalam/export"
	"github.com/qalam-annotate/qalam/project"
)

func runImport(ctx context.Context, env *Env, args []string) int {
	fs, db := newFlags("import")
	quiet := fs.Bool("quiet", false, "print only problems and the summary")
	format := fs.String("format", "", "annotations in `FORMAT`: "+strings.Join(export.Names(), ", ")+", or auto; articles (the default) reads plain articles")
	layer := fs.String("layer", "", "store the spans as `NAME`'s finished work; without it (or --suggest) each annotator the file names (Label Studio's completed_by, an export's layers) gets a layer of their own")
	suggest := fs.Bool("suggest", false, "store the spans as suggestions to accept or reject")
	fromLayer := fs.String("from-layer", "", "keep only the spans the file assigns to layer `NAME` (files exported with --layer all)")
	newLabels := fs.Bool("new-labels", false, "add the labels the project lacks instead of refusing their spans")
	offsets := fs.String("offsets", "codepoints", "`UNIT` of offsets in files that do not state theirs: codepoints, utf16 or bytes")
	tagNames := fs.String("tag-names", "", "the label names of Hugging Face tags given as ids, in id order: `O,B-PER,I-PER,...` (a dataset_info.json beside the file gives them too)")
	paths, ok := parse(fs, env, args)
	if !ok {
		return ExitUsage
	}
	if len(paths) == 0 {
		return usageError(env, "import: give at least one file or folder")
	}
	if *format != "" && *format != export.Articles {
		opts := export.ImportOptions{Format: *format, Layer: *layer, FromLayer: *fromLayer, NewLabels: *newLabels}
		if *tagNames != "" {
			opts.TagNames = strings.Split(*tagNames, ",")
		}
		switch {
		case *suggest && *layer != "":
			return usageError(env, "import: --layer and --suggest exclude each other")
		case *suggest:
			opts.Layer = annotate.Suggestion
		case *layer == annotate.Gold || *layer == annotate.Suggestion:
			return usageError(env, "import: --layer %s is reserved (use an annotator's name, or --suggest)", *layer)
		}
		if opts.Layer != "" {
			if err := annotate.ValidateLayerName(opts.Layer); err != nil {
				return usageError(env, "import: %v", err)
			}
		}
		if *format != export.Auto {
			if _, err := export.Lookup(*format); err != nil {
				return usageError(env, "import: %v", err)
			}
		}
		u, err := annotate.ParseOffsetUnit(*offsets)
		if err != nil {
			return usageError(env, "import: %v", err)
		}
		opts.Offsets = u
		return importAnnotations(ctx, env, *db, paths, opts, *quiet)
	}
	if *layer != "" || *suggest || *newLabels || *fromLayer != "" || *tagNames != "" {
		return usageError(env, "import: --layer, --suggest, --from-layer, --new-labels and --tag-names go with --format")
	}
	s, code := openProject(ctx, env, *db, project.Create)
	if s == nil {
		return code
	}
	defer s.Close()

	var bar *progressBar
	if env.Terminal && !*quiet {
		_, total := articles.Size(paths)
		bar = newProgressBar(env.Stderr, total)
	}
	report := func(it articles.Item) {
		bar.clear()
		if it.Err != nil {
			fmt.Fprintf(env.Stderr, "rejected %s: %v\n", it.Where(), it.Err)
		} else if !*quiet {
			fmt.Fprintf(env.Stderr, "skipped %q: not a .txt or JSON file\n", it.Path)
		}
	}
	sum, err := project.Import(ctx, s, paths, report, bar.set)
	bar.clear()
	fmt.Fprintf(env.Stdout, "imported %d, duplicates %d, rejected %d, skipped %d\n", sum.Imported, sum.Duplicates, sum.Rejected, sum.Skipped)
	if err != nil {
		return fail(env, fmt.Errorf("import into %s (%d documents stored): %w", s.Location(), sum.Imported, err))
	}
	if sum.Rejected > 0 {
		return ExitRejected
	}
	return ExitOK
}

// importAnnotations imports annotation files through export.Import.
func importAnnotations(ctx context.Context, env *Env, db string, paths []string, opts export.ImportOptions, quiet bool) int {
	s, code := openProject(ctx, env, db, project.Create)
	if s == nil {
		return code
	}
	defer s.Close()
	ai, err := s.NewAnnotationImporter(ctx)
	if err != nil {
		return fail(env, err)
	}
	var bar *progressBar
	if env.Terminal && !quiet {
		bar = newProgressBar(env.Stderr, 0)
	}
	report := func(p export.Problem) {
		bar.clear()
		fmt.Fprintf(env.Stderr, "rejected %v\n", p)
	}
	progress := func(done, total int64) {
		if bar != nil {
			bar.total = max(total, 1)
		}
		bar.set(done)
	}
	sum, err := export.Import(ctx, ai, opts, paths, report, progress)
	bar.clear()
	if err != nil {
		ai.Abort()
		return fail(env, fmt.Errorf("import: %w", err))
	}
	if err := ai.Close(); err != nil {
		return fail(env, err)
	}
	fmt.Fprintf(env.Stdout, "imported %s\n", sum)
	if sum.Rejected > 0 {
		return ExitRejected
	}
	return ExitOK
}

// progressBar draws one line on a terminal, at most ten times a second.
// A nil bar draws nothing.
type progressBar struct {
	w     io.Writer
	total int64
	mu    sync.Mutex
	last  time.Time
	shown bool
	// what says how much is done; mib (bytes) when nil.
	what func(done int64) string
}

func newProgressBar(w io.Writer, total int64) *progressBar {
	return &progressBar{w: w, total: max(total, 1)}
}

func (b *progressBar) set(done int64) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if now := time.Now(); now.Sub(b.last) >= 100*time.Millisecond || done >= b.total {
		b.last = now
		frac := min(float64(done)/float64(b.total), 1)
		const width = 40
		n := int(frac * width)
		what := mib
		if b.what != nil {
			what = b.what
		}
		fmt.Fprintf(b.w, "\r[%s%s] %3.0f%% %s", strings.Repeat("#", n), strings.Repeat(".", width-n), frac*100, what(done))
		b.shown = true
	}
}

func (b *progressBar) clear() {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.shown {
		fmt.Fprint(b.w, "\r\033[K")
		b.shown = false
		b.last = time.Time{}
	}
}

func mib(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/(1<<20)) }
