package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/qalam-annotate/qalam/annotate/agreement"
	"github.com/qalam-annotate/qalam/project"
)

func runAgree(ctx context.Context, env *Env, args []string) int {
	fs, db := newFlags("agree")
	layerList := fs.String("layers", "", "layers to compare, `a,b,...` (default: every annotator's)")
	asJSON := fs.Bool("json", false, "print JSON")
	tokens := fs.Bool("tokens", false, "also token-level kappa, with and without O tokens (slower)")
	perDoc := fs.Bool("per-document", false, "also figures per document")
	rest, ok := parse(fs, env, args)
	if !ok {
		return ExitUsage
	}
	if len(rest) > 0 {
		return usageError(env, "agree: unexpected argument %q", rest[0])
	}
	s, code := openToRead(ctx, env, *db)
	if s == nil {
		return code
	}
	defer s.Close()
	var layers []string
	for _, l := range strings.Split(*layerList, ",") {
		if l = strings.TrimSpace(l); l != "" {
			layers = append(layers, l)
		}
	}
	if len(layers) == 0 {
		var err error
		if layers, err = project.AgreementLayers(ctx, s); err != nil {
			return fail(env, s.Outcome(err))
		}
	}
	if len(layers) < 2 {
		if err := s.Outcome(nil); err != nil {
			return fail(env, err)
		}
		return usageError(env, "agree: agreement needs at least two layers, got %d (%s)", len(layers), strings.Join(layers, ", "))
	}
	switch {
	case !*perDoc && !*tokens:
		// Reading a project allocates fast and keeps little: a few pages
		// of documents without their texts, 10-30 MB at a million
		// documents. Collecting only as the process nears 128 MB (48
		// collections there, against 86 at five times what is kept)
		// saves a tenth of the CPU time, for 165 MB resident.
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(128 << 20))
		defer debug.SetGCPercent(debug.SetGCPercent(-1))
	case !*perDoc:
		// With texts, what is kept grows with the articles' size:
		// collecting a quarter as often as usual.
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	rep, err := project.Agreement(ctx, s, layers, agreement.Options{Tokens: *tokens, PerDocument: *perDoc})
	if err := s.Outcome(err); err != nil {
		return fail(env, fmt.Errorf("agree: %w", err))
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return exitOn(env, enc.Encode(rep))
	}
	return exitOn(env, rep.WriteTable(env.Stdout))
}
