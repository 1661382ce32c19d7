package cli

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/qalam-annotate/qalam/annotate"
)

func runCheck(ctx context.Context, env *Env, args []string) int {
	fs, db := newFlags("check")
	salvage := fs.String("salvage", "", "copy what can be read into the new project `FILE`")
	rest, ok := parse(fs, env, args)
	if !ok {
		return ExitUsage
	}
	if len(rest) > 0 || *db == "" {
		return usageError(env, "check: want --db FILE [--salvage NEW.qalam]")
	}
	problems, err := env.Check(ctx, *db)
	if err != nil {
		return fail(env, fmt.Errorf("check %s: %w", *db, err))
	}
	if len(problems) == 0 {
		fmt.Fprintf(env.Stdout, "%s: no damage found\n", *db)
	} else {
		fmt.Fprintf(env.Stdout, "%s is damaged:\n", *db)
		for _, p := range problems {
			fmt.Fprintln(env.Stdout, "  "+p)
		}
	}
	if *salvage == "" {
		if len(problems) > 0 {
			fmt.Fprintf(env.Stdout, "qalam check --db %s --salvage NEW.qalam copies what can be read into a new project.\n", *db)
			return ExitRejected
		}
		return ExitOK
	}
	if _, err := os.Stat(*salvage); !errors.Is(err, os.ErrNotExist) {
		return usageError(env, "check: %s exists: --salvage makes a new project", *salvage)
	}
	dst, err := env.Open(ctx, *salvage, annotate.OpenCreate)
	if err != nil {
		return fail(env, err)
	}
	sum, err := env.Salvage(ctx, *db, dst, nil)
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fail(env, fmt.Errorf("salvage %s: %w", *db, err))
	}
	fmt.Fprintf(env.Stdout, "copied into %s: %d documents, %d spans, %d statuses, %d comments (not the edit history, assignments or settled stretches)\n",
		*salvage, sum.Documents, sum.Spans, sum.Statuses, sum.Comments)
	for _, l := range sum.Lost {
		fmt.Fprintln(env.Stderr, "lost", l)
	}
	if len(sum.Lost) > 0 {
		return ExitRejected
	}
	return ExitOK
}
