// Command qalam marks named entities in news articles. Without a command
// it opens the app; with one (import, stats, labels, ...) it runs that
// command without a window.
//
//	qalam [--db FILE] [--annotator NAME]   the app: the project open last (or
//	                                       the sample project), or FILE
//	qalam COMMAND [ARGS]                   a command (qalam help lists them)
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"

	fyneapp "fyne.io/fyne/v2/app"

	"github.com/qalam-annotate/qalam/annotate/stores"
	"github.com/qalam-annotate/qalam/app"
	"github.com/qalam-annotate/qalam/cli"
	_ "github.com/qalam-annotate/qalam/internal/clocale" // before Fyne reads the locale
)

func main() {
	args := os.Args[1:]
	if len(args) > 0 && !isAppFlag(args[0]) {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		code := cli.Run(ctx, cli.Env{Open: stores.Open, Check: stores.Check, Salvage: stores.Salvage, Team: stores.Team{}}, args)
		stop()
		os.Exit(code)
	}
	fs := flag.NewFlagSet("qalam", flag.ContinueOnError)
	db := fs.String("db", "", "the project `FILE` to open (created when missing), or a team project's postgres:// URL")
	annotator := fs.String("annotator", "", "annotate as `NAME` (remembered; a project of several annotators then opens without asking who is working)")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: qalam [--db FILE] [--annotator NAME] | qalam COMMAND ...  (qalam help)")
		os.Exit(cli.ExitUsage)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		// The Go heap of a session stays small (the document list keeps
		// pages, the view the text shown), but scrolling through thousands
		// of rows leaves garbage that the default GC pacing lets double
		// the heap: collect sooner instead.
		debug.SetMemoryLimit(48 << 20)
	}
	a := fyneapp.NewWithID("org.qalam.annotate")
	// The interface's language is the system's unless View → Language
	// chose one (app.OpenAs applies it); command-line help stays English.
	ws, err := app.OpenAs(a, stores.Open, *db, *annotator)
	if err != nil {
		fmt.Fprintln(os.Stderr, "qalam:", err)
		os.Exit(1)
	}
	ws.Window.ShowAndRun()
}

// isAppFlag tells the app's own flags from a command's name.
func isAppFlag(arg string) bool {
	for _, f := range []string{"db", "annotator"} {
		if arg == "--"+f || arg == "-"+f || strings.HasPrefix(arg, "--"+f+"=") || strings.HasPrefix(arg, "-"+f+"=") {
			return true
		}
	}
	return false
}
