package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/export"
)

func runExport(ctx context.Context, env *Env, args []string) int {
	fs, db := newFlags("export")
	format := fs.String("format", "", "the `FORMAT` written: "+strings.Join(export.Names(), ", "))
	out := fs.String("o", "", "output `FILE` (a folder for brat); - writes jsonl, doccano, hf, conll and labelstudio to standard output")
	layer := fs.String("layer", "", "layer `NAME`, gold, or all (every annotator and gold); needed when the project has several")
	unfinished := fs.Bool("include-unfinished", false, "also write work on documents the layer has not marked done")
	offsets := fs.String("offsets", "codepoints", "`UNIT` of the offsets written: codepoints, utf16 (JavaScript) or bytes")
	split := fs.String("split", "", "divide the documents into parts written apart, such as `train=0.8,dev=0.1,test=0.1`")
	seed := fs.Uint64("seed", 1, "`N` that fixes the random split")
	tokens := fs.String("tokens", export.TokensSplit, "`MODE` of jsonl, hf and conll tokens: split (words are split where a span starts or ends inside them) or words (white-space words whole, spans widened to them)")
	unit := fs.String("unit", export.UnitSentence, "what one hf row and one conll block holds: `sentence` or document")
	sep := fs.String("sep", export.SepSpace, "conll column separator: `space` (what conlleval, Hugging Face and spaCy read) or tab")
	quiet := fs.Bool("quiet", false, "print only problems and the summary")
	rest, ok := parse(fs, env, args)
	if !ok {
		return ExitUsage
	}
	if len(rest) > 0 {
		return usageError(env, "export: unexpected argument %q", rest[0])
	}
	f, err := export.Lookup(*format)
	if err != nil {
		return usageError(env, "export: %v", err)
	}
	if *out == "" {
		return usageError(env, "export: give the output with -o")
	}
	opts := export.Options{Format: f.Name, Output: *out, Layer: *layer, IncludeUnfinished: *unfinished, Seed: *seed,
		Tokens: *tokens, Unit: *unit, Sep: *sep, Stdout: env.Stdout}
	if opts.Offsets, err = annotate.ParseOffsetUnit(*offsets); err != nil {
		return usageError(env, "export: %v", err)
	}
	if *split != "" {
		if opts.Split, err = export.ParseSplit(*split); err != nil {
			return usageError(env, "export: %v", err)
		}
	}
	s, code := openToRead(ctx, env, *db)
	if s == nil {
		return code
	}
	defer s.Close()
	if *out == export.ToStdout {
		// What goes to standard output cannot be taken back.
		if err := s.Sound(); err != nil {
			return fail(env, fmt.Errorf("export: %w", err))
		}
	}
	opts.Ready = s.Sound
	// With the export on standard output, the summary goes to standard
	// error.
	summary := env.Stdout
	if *out == export.ToStdout {
		summary = env.Stderr
	}

	var bar *progressBar
	if env.Terminal && !*quiet {
		bar = newProgressBar(env.Stderr, 1)
		bar.what = func(done int64) string { return plural(int(done), "document", "documents") }
	}
	opts.Report = func(p export.Problem) {
		bar.clear()
		fmt.Fprintf(env.Stderr, "%v\n", p)
	}
	sum, err := export.Export(ctx, s, opts, func(done, total int) {
		if bar != nil {
			bar.total = int64(max(total, 1))
		}
		bar.set(int64(done))
	})
	bar.clear()
	if err := s.Outcome(err); err != nil {
		return fail(env, fmt.Errorf("export: %w", err))
	}
	files := make([]string, len(sum.Files))
	for i, f := range sum.Files {
		files[i] = fmt.Sprintf("%q", f)
	}
	if *out == export.ToStdout {
		files = []string{"standard output"}
	}
	fmt.Fprintf(summary, "exported %s (%s, %s) to %s", plural(sum.Documents, "document", "documents"),
		plural(sum.Records, "record", "records"), plural(sum.Spans, "span", "spans"), strings.Join(files, ", "))
	if len(opts.Split) > 0 {
		var parts []string
		for _, p := range opts.Split {
			parts = append(parts, fmt.Sprintf("%s %d", p.Name, sum.Parts[p.Name]))
		}
		fmt.Fprintf(summary, "; %s", strings.Join(parts, ", "))
	}
	fmt.Fprintf(summary, "; offsets in %s", opts.Offsets)
	for _, k := range sortedKeys(sum.Notes) {
		fmt.Fprintf(summary, "; %d %s", sum.Notes[k], k)
	}
	fmt.Fprintf(summary, "; %s left out\n", plural(sum.Problems, "problem", "problems"))
	if sum.Problems > 0 {
		return ExitRejected
	}
	return ExitOK
}
