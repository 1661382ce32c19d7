// Package app is Qalam's window: projects, the document list, the article
// view and the label bar. It takes the fyne.App from cmd/qalam, so that
// only cmd imports Fyne's OpenGL driver and this package's tests run
// without a display.
package app

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/qalam-annotate/qalam/annotate/sqlite"
	"github.com/qalam-annotate/qalam/assets"
	"github.com/qalam-annotate/qalam/project"
)

// Workspace is one open project in a window.
type Workspace struct {
	App    fyne.App
	Window fyne.Window
	Store  *sqlite.Store
}

// Open opens the project at path (the default sample project when empty)
// in a new window.
func Open(a fyne.App, path string) (*Workspace, error) {
	a.Settings().SetTheme(&qalamTheme{})
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	ctx := context.Background()
	s, err := project.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	w := a.NewWindow(windowTitle(s.Path()))
	ws := &Workspace{App: a, Window: w, Store: s}
	n, err := s.CountDocuments(ctx)
	if err != nil {
		s.Close()
		return nil, err
	}
	w.SetContent(container.NewCenter(widget.NewLabel(fmt.Sprintf("%d documents", n))))
	w.Resize(fyne.NewSize(1100, 720))
	w.SetOnClosed(func() { s.Close() })
	return ws, nil
}

func windowTitle(path string) string {
	return strings.TrimSuffix(filepath.Base(path), sqlite.Ext) + " — Qalam"
}
