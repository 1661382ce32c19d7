// Package cli is Qalam's command line: the subcommands that run without a
// window (import, export, stats, labels, ...). cmd/qalam calls Main when it is
// given arguments.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/export"
	"github.com/qalam-annotate/qalam/internal/buildinfo"
	"github.com/qalam-annotate/qalam/project"
)

// Exit codes; exitCode says which an error calls for.
const (
	ExitOK       = 0
	ExitRejected = 1 // the command ran, but something asked for was left out or failed
	ExitUsage    = 2 // the command was not given what it needs (arguments, a project)
	ExitWrite    = 3 // the output could not be written
)

// exitCode is the exit code for a command that failed with err: the one
// place that maps kinds of errors to exit codes.
func exitCode(err error) int {
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, annotate.ErrNoProject), errors.Is(err, annotate.ErrNotProject), errors.Is(err, errUsage),
		errors.Is(err, export.ErrUsage), errors.Is(err, annotate.ErrNotFound): // something named that is not there
		return ExitUsage
	case errors.Is(err, errWrite), errors.Is(err, export.ErrWrite), errors.Is(err, annotate.ErrStorage):
		return ExitWrite
	}
	return ExitRejected // the command failed, or left out what was asked (export.ErrNothingToExport)
}

var (
	// errUsage marks a failure the user's arguments caused.
	errUsage = errors.New("usage")
	// errWrite marks an output that could not be written.
	errWrite = errors.New("could not write")
)

// Env is what a command runs with: its output streams, whether stderr is
// a terminal (for progress bars), and the store adapters' functions:
// opening, checking and salvaging projects, and making team projects.
type Env struct {
	Stdout, Stderr io.Writer
	Terminal       bool
	Open           project.OpenFunc
	Check          project.CheckFunc
	Salvage        project.SalvageFunc
	Team           TeamAdmin
}

type command struct {
	name, args, help string
	run              func(ctx context.Context, env *Env, args []string) int
}

func commands() []command {
	return []command{
		{"import", "--db FILE [--format F [--layer NAME | --suggest] [--new-labels]] PATH...",
			"import articles (.txt, JSONL with a \"text\" field, folders), or with --format annotations: " + strings.Join(export.Names(), ", ") + " or auto", runImport},
		{"export", "--db FILE --format F -o OUT [--layer NAME|gold|all] [--offsets U] [--split ...]",
			"export annotations: " + strings.Join(export.Names(), ", "), runExport},
		{"stats", "--db FILE [--json]", "documents, spans per label and layer, status per layer", runStats},
		{"labels", "--db FILE [add NAME [--color C] [--hotkey K] | rename OLD NEW]", "list or change the label set", runLabels},
		{"agree", "--db FILE [--layers a,b,...] [--json] [--tokens] [--per-document]", "agreement between annotators: alpha, kappa, span F1", runAgree},
		{"merge", "--db REVIEW.qalam [--as OLD=NEW] PROJECT...", "bring annotators' projects into one, matched by document text", runMerge},
		{"assign", "--db FILE --annotators a,b,c [--overlap 0.2] [--seed N]", "share the documents out, a fraction to everyone", runAssign},
		{"check", "--db FILE [--salvage NEW.qalam]", "read a project file whole and say what is damaged; copy what can be read into a new one", runCheck},
		{"suggest", "--db FILE --layer NAME [--server URL --protocol labelstudio|template ...] [--json] | [--layer NAME] --switch on|off",
			"suggest names in NAME's unfinished documents: learned from the project, or asked of a model server", runSuggest},
		{"team", "init --db postgres://ADMIN@HOST/DB | add --db URL (--annotator NAME | --reviewer NAME) [--no-password]",
			"make a team project on PostgreSQL, add its members", runTeam},
		{"version", "", "print the version, and the Go and Fyne versions it was built with", func(_ context.Context, env *Env, _ []string) int {
			fmt.Fprint(env.Stdout, buildinfo.Read())
			return ExitOK
		}},
	}
}

// Main runs the command named by args[0] and returns the exit code.
func Main(ctx context.Context, args []string, env *Env) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(env.Stdout)
		if len(args) == 0 {
			return ExitUsage
		}
		return ExitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, env, args[1:])
		}
	}
	fmt.Fprintf(env.Stderr, "qalam: unknown command %q\n\n", args[0])
	usage(env.Stderr)
	return ExitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: qalam                 open the app (the default sample project, or the last one)")
	fmt.Fprintln(w, "       qalam COMMAND [ARGS]  run a command without a window")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n           %s\n", c.name, c.args, c.help)
	}
	fmt.Fprintln(w, "\nWithout --db a command works on the default sample project. --db takes a project file or a")
	fmt.Fprintln(w, "team project's URL, postgres://USER@HOST/DATABASE (the password from PGPASSWORD or ~/.pgpass).")
}

// parse parses args as flags anywhere among positional arguments (Go's
// flag package stops at the first positional one) and returns the
// positional arguments. A usage error is printed and reported as false.
func parse(fs *flag.FlagSet, env *Env, args []string) ([]string, bool) {
	fs.SetOutput(env.Stderr)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, false
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, true
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), true
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func newFlags(name string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("qalam "+name, flag.ContinueOnError)
	db := fs.String("db", "", "project `FILE` (.qalam) or team project URL (postgres://...); the default sample project when absent")
	return fs, db
}

func usageError(env *Env, format string, args ...any) int {
	fmt.Fprintf(env.Stderr, "qalam: "+format+"\n", args...)
	return ExitUsage
}

// openProject opens the project a command works on, as mode allows; on
// failure it says why and returns nil and the exit code.
func openProject(ctx context.Context, env *Env, path string, mode annotate.OpenMode) (annotate.Store, int) {
	s, err := project.Open(ctx, env.Open, path, mode)
	if errors.Is(err, annotate.ErrOldSchema) && mode.IsReadOnly() {
		// A command that only reads brings a project made by an earlier
		// version up to date first, as the app does when it opens one;
		// where the file cannot be written, the error says so.
		fmt.Fprintf(env.Stderr, "qalam: %s was made by an earlier version of Qalam: bringing it up to date first (once; about a minute for a million documents)\n", path)
		w, werr := project.Open(ctx, env.Open, path, mode&^annotate.OpenReadOnly)
		if werr == nil {
			if werr = w.Close(); werr == nil {
				s, err = project.Open(ctx, env.Open, path, mode)
			}
		}
		if werr != nil && !errors.Is(werr, annotate.ErrReadOnly) {
			err = werr
		}
	}
	if errors.Is(err, annotate.ErrNoProject) {
		fmt.Fprintf(env.Stderr, "qalam: there is no project %s (qalam import --db %s ARTICLES makes one)\n", path, path)
		return nil, ExitUsage
	}
	if err != nil {
		return nil, fail(env, err)
	}
	return s, ExitOK
}

// openToRead opens the project of a command that only reads it. The
// soundness check of a large file (SQLite reads it whole, seconds a
// gigabyte) runs beside the command's own reading instead of before it:
// the command calls Sound before it shows or writes its result, and a
// damaged file fails it then.
func openToRead(ctx context.Context, env *Env, path string) (*readStore, int) {
	s, code := openProject(ctx, env, path, project.ReadOnly|project.CheckLater)
	if s == nil {
		return nil, code
	}
	r := &readStore{Store: s, cancel: func() {}}
	if c, ok := s.(annotate.Checker); ok && !c.Checked() {
		ctx, r.cancel = context.WithCancel(ctx)
		r.check = make(chan error, 1)
		go func() { r.check <- c.Check(ctx) }()
	}
	return r, ExitOK
}

// readStore is a store opened by openToRead.
type readStore struct {
	annotate.Store
	check  chan error // the check's outcome, when it runs
	err    error
	cancel context.CancelFunc
}

// Sound waits for the check of the file, if it runs, and returns its error.
func (r *readStore) Sound() error {
	if r.check != nil {
		r.err, r.check = <-r.check, nil
	}
	return r.err
}

// Outcome is err of a command that read the store, unless the file is
// damaged: then that comes first, as it may be why the command failed.
func (r *readStore) Outcome(err error) error {
	if serr := r.Sound(); serr != nil {
		return serr
	}
	return err
}

// Close stops the check if it still runs, and closes the store.
func (r *readStore) Close() error {
	r.cancel()
	if r.check != nil {
		<-r.check
	}
	return r.Store.Close()
}

// fail says why a command failed and returns the exit code for it.
func fail(env *Env, err error) int {
	fmt.Fprintln(env.Stderr, "qalam:", err)
	return exitCode(err)
}

// Run is Main on the process's own streams, with the store adapters'
// functions (Open, Check, Salvage of env) that main hands down.
func Run(ctx context.Context, env Env, args []string) int {
	fi, err := os.Stderr.Stat()
	env.Stdout, env.Stderr = os.Stdout, os.Stderr
	env.Terminal = err == nil && fi.Mode()&os.ModeCharDevice != 0 && os.Getenv("TERM") != "dumb"
	return Main(ctx, args, &env)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
