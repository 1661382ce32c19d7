package cli

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/qalam-annotate/qalam/project"
)

func runAssign(ctx context.Context, env *Env, args []string) int {
	fs, db := newFlags("assign")
	team := fs.String("annotators", "", "the annotators, `a,b,c`")
	overlap := fs.Float64("overlap", 0.2, "`FRACTION` of the documents every annotator gets, for agreement")
	seed := fs.Uint64("seed", 1, "random `N`: the same seed gives the same assignment")
	rest, ok := parse(fs, env, args)
	if !ok {
		return ExitUsage
	}
	if len(rest) > 0 {
		return usageError(env, "assign: unexpected argument %q", rest[0])
	}
	var names []string
	for _, n := range strings.Split(*team, ",") {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return usageError(env, "assign: want --annotators a,b,...")
	}
	if math.IsNaN(*overlap) || *overlap < 0 || *overlap > 1 {
		return usageError(env, "assign: --overlap %v is not between 0 and 1", *overlap)
	}
	s, code := openProject(ctx, env, *db, project.Existing)
	if s == nil {
		return code
	}
	defer s.Close()
	sum, err := s.Assign(ctx, names, *overlap, *seed)
	if err != nil {
		return fail(env, err)
	}
	fmt.Fprintf(env.Stdout, "%d documents, %d shared by all\n", sum.Documents, sum.Shared)
	for _, n := range names {
		fmt.Fprintf(env.Stdout, "%s\t%d\n", n, sum.Per[n])
	}
	return ExitOK
}
