package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/project"
)

// renames collects repeated --as OLD=NEW flags.
type renames []string

func (r *renames) String() string     { return strings.Join(*r, ",") }
func (r *renames) Set(v string) error { *r = append(*r, v); return nil }

func runMerge(ctx context.Context, env *Env, args []string) int {
	fs := flag.NewFlagSet("qalam merge", flag.ContinueOnError)
	db := fs.String("db", "", "the reviewer's project `FILE` that receives the layers")
	var as renames
	fs.Var(&as, "as", "bring a source layer in under another name: `OLD=NEW` (repeatable)")
	sources, ok := parse(fs, env, args)
	if !ok {
		return ExitUsage
	}
	if *db == "" || len(sources) == 0 {
		return usageError(env, "merge: want --db REVIEW.qalam and one or more projects to merge into it")
	}
	rename := map[string]string{}
	for _, r := range as {
		old, new, ok := strings.Cut(r, "=")
		if !ok || old == "" || new == "" {
			return usageError(env, "merge: --as wants OLD=NEW, got %q", r)
		}
		rename[old] = new
	}
	for _, src := range sources {
		if project.SameFile(src, *db) {
			return usageError(env, "merge: %s is the project merged into", src)
		}
		if env.Team != nil && env.Team.IsTeam(src) {
			continue // a team project, copied out to a file
		}
		if _, err := os.Stat(src); err != nil {
			return usageError(env, "merge: %v", err)
		}
	}
	s, code := openProject(ctx, env, *db, project.Create)
	if s == nil {
		return code
	}
	defer s.Close()
	for _, path := range sources {
		sum, err := project.MergeFile(ctx, env.Open, s, s.Location(), path, rename)
		var conflict *annotate.MergeConflictError
		switch {
		case errors.As(err, &conflict):
			fmt.Fprintln(env.Stderr, "refused", err)
			code = ExitRejected
		case err != nil:
			code = max(code, fail(env, err))
		default:
			fmt.Fprintf(env.Stdout, "%s: layers %s; unchanged %s; %d new documents, %d spans, %d statuses, %d comments",
				path, list(sum.Layers), list(sum.Unchanged), sum.Documents, sum.Spans, sum.Statuses, sum.Comments)
			if len(sum.Labels) > 0 {
				fmt.Fprintf(env.Stdout, ", new labels %s", list(sum.Labels))
			}
			fmt.Fprintln(env.Stdout)
		}
	}
	return code
}

func list(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}
