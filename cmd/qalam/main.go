// Command qalam marks named entities in news articles. Without arguments
// it opens the app; with a command (import, stats, labels, ...) it runs
// that command without a window.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	fyneapp "fyne.io/fyne/v2/app"

	"github.com/qalam-annotate/qalam/app"
	"github.com/qalam-annotate/qalam/cli"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] != "--db" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		code := cli.Run(ctx, os.Args[1:])
		stop()
		os.Exit(code)
	}
	path := ""
	if len(os.Args) == 3 {
		path = os.Args[2]
	} else if len(os.Args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: qalam [--db FILE] | qalam COMMAND ...  (qalam help)")
		os.Exit(cli.ExitUsage)
	}
	a := fyneapp.NewWithID("org.qalam.annotate")
	ws, err := app.Open(a, path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "qalam:", err)
		os.Exit(1)
	}
	ws.Window.ShowAndRun()
}
