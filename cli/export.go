package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/export"
	"github.com/qalam-annotate/qalam/project"
)

func runExport(ctx context.Context, env *Env, args []string) int {
	fs, db := newFlags("export")
	format := fs.String("format", "", "the `FORMAT` written: "+strings.Join(export.Names(), ", "))
	out := fs.String("o", "", "output `FILE` (a folder for brat)")
	layer := fs.String("layer", "", "layer `NAME`, gold, or all (every annotator and gold); needed when the project has several")
	unfinished := fs.Bool("include-unfinished", false, "also write work on documents the layer has not marked done")
	offsets := fs.String("offsets", "codepoints", "`UNIT` of the offsets written: codepoints, utf16 (JavaScript) or bytes")
	split := fs.String("split", "", "divide the documents into parts written apart, such as `train=0.8,dev=0.1,test=0.1`")
	seed := fs.Uint64("seed", 1, "`N` that fixes the random split")
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
	opts := export.Options{Format: f.Name, Output: *out, Layer: *layer, IncludeUnfinished: *unfinished, Seed: *seed}
	if opts.Offsets, err = annotate.ParseOffsetUnit(*offsets); err != nil {
		return usageError(env, "export: %v", err)
	}
	if *split != "" {
		if opts.Split, err = export.ParseSplit(*split); err != nil {
			return usageError(env, "export: %v", err)
		}
	}
	s, code := openProject(ctx, env, *db, project.ReadOnly)
	if s == nil {
		return code
	}
	defer s.Close()
	if _, err := export.ChooseLayers(ctx, s, *layer); err != nil {
		return usageError(env, "export: %v", err)
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
	if err != nil {
		return fail(env, err)
	}
	fmt.Fprintf(env.Stdout, "exported %s (%s, %s) to %s", plural(sum.Documents, "document", "documents"),
		plural(sum.Records, "record", "records"), plural(sum.Spans, "span", "spans"), strings.Join(sum.Files, ", "))
	if len(opts.Split) > 0 {
		var parts []string
		for _, p := range opts.Split {
			parts = append(parts, fmt.Sprintf("%s %d", p.Name, sum.Parts[p.Name]))
		}
		fmt.Fprintf(env.Stdout, "; %s", strings.Join(parts, ", "))
	}
	fmt.Fprintf(env.Stdout, "; offsets in %s; %s\n", opts.Offsets, plural(sum.Problems, "problem", "problems"))
	if sum.Problems > 0 {
		return ExitRejected
	}
	return ExitOK
}
