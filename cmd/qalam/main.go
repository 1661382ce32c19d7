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
	"time"

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
	go endAfterClose(ws.Closed())
	ws.Window.ShowAndRun()
	ws.Close()
}

// exitGrace is how long the process may take to end once the window and
// its project are closed.
const exitGrace = 2 * time.Second

// endAfterClose ends the process exitGrace after closed is, unless it
// has ended by then. Fyne 2.7.1 can hang once its loop is over: the app's
// last event as it stops (the preferences' final save) can be sent to the
// loop just after the loop stopped taking any, and the main goroutine
// then waits for it in Lifecycle.WaitForEvents for ever, the window gone.
// Scripted sessions under Xvfb (scripts/screens.sh, six quits each) met it
// in 1 of 40 before this timer and in 7 of 48 after, and the stacks of the
// goroutines showed it. By then the project is closed, and Fyne's
// preferences are saved as they change.
func endAfterClose(closed <-chan struct{}) {
	<-closed
	time.Sleep(exitGrace)
	fmt.Fprintln(os.Stderr, "qalam: Fyne had not ended the app", exitGrace, "after its window closed; ending it")
	os.Exit(0)
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
