package cli

import (
	"context"
	"flag"
	"fmt"
)

// TeamAdmin makes team projects on a database server and adds their
// members (annotate/stores.Team).
type TeamAdmin interface {
	// IsTeam reports whether location names a team project.
	IsTeam(location string) bool
	// Init makes the project, or brings its schema up to date; it returns
	// what it did, a line each.
	Init(ctx context.Context, location string) ([]string, error)
	// AddMember gives the login role name access as an annotator or a
	// reviewer, creating it (with a new password when password) when it
	// does not exist.
	AddMember(ctx context.Context, location, name string, reviewer, password bool) ([]string, error)
}

func runTeam(ctx context.Context, env *Env, args []string) int {
	if len(args) == 0 || (args[0] != "init" && args[0] != "add") {
		return usageError(env, "team: want init or add (qalam help)")
	}
	fs := flag.NewFlagSet("qalam team "+args[0], flag.ContinueOnError)
	db := fs.String("db", "", "the team project, `postgres://ADMIN@HOST/DATABASE`")
	annotator := fs.String("annotator", "", "add: the annotator's login `NAME` (their layer's name)")
	reviewer := fs.String("reviewer", "", "add: the reviewer's login `NAME`")
	noPassword := fs.Bool("no-password", false, "add: create the login role without a password (the server authenticates it otherwise)")
	rest, ok := parse(fs, env, args[1:])
	if !ok {
		return ExitUsage
	}
	if len(rest) > 0 {
		return usageError(env, "team %s: unexpected argument %q", args[0], rest[0])
	}
	if env.Team == nil || !env.Team.IsTeam(*db) {
		return usageError(env, "team %s: want --db postgres://ADMIN@HOST/DATABASE (the password from PGPASSWORD or ~/.pgpass)", args[0])
	}
	var lines []string
	var err error
	if args[0] == "init" {
		if *annotator != "" || *reviewer != "" || *noPassword {
			return usageError(env, "team init: --annotator, --reviewer and --no-password go with team add")
		}
		lines, err = env.Team.Init(ctx, *db)
	} else {
		name, isReviewer := *annotator, false
		switch {
		case *annotator != "" && *reviewer != "", *annotator == "" && *reviewer == "":
			return usageError(env, "team add: want one of --annotator NAME or --reviewer NAME")
		case *reviewer != "":
			name, isReviewer = *reviewer, true
		}
		lines, err = env.Team.AddMember(ctx, *db, name, isReviewer, !*noPassword)
	}
	for _, l := range lines {
		fmt.Fprintln(env.Stdout, l)
	}
	return exitOn(env, err)
}
