//go:build cgo

package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/project"
)

// TestDamagedProjectInTheApp: a damaged project file opens its window (the
// check reads it whole in the background), then is closed with a message
// that names it and the way out, and the sample project is shown; no edit
// reaches the damaged file meanwhile.
func TestDamagedProjectInTheApp(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "damaged"+project.Ext)
	s, err := testOpen(ctx, path, project.Create)
	if err != nil {
		t.Fatal(err)
	}
	im, _ := s.NewImporter(ctx)
	for i := range 300 {
		im.Add(annotate.NewDocument(fmt.Sprint(i), strings.Repeat("خبر طويل عن تونس ", 100)+fmt.Sprint(i), nil))
	}
	im.Close()
	s.Close()
	f, _ := os.OpenFile(path, os.O_RDWR, 0)
	fi, _ := f.Stat()
	f.WriteAt([]byte(strings.Repeat("\xff\x00garbage", 512)), fi.Size()/2/4096*4096)
	f.Close()

	a := test.NewTempApp(t)
	a.Preferences().SetString(prefAnnotator, "amira")
	ws, err := Open(a, testOpen, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Window.Close() })
	ws.jobs.Wait()
	if !overlayHas(ws, "Qalam could not open "+path) || !overlayHas(ws, "damaged") || !overlayHas(ws, "--salvage") {
		t.Error("the window does not say the project is damaged and how to salvage it")
	}
	if project.SameFile(ws.Store.Location(), path) {
		t.Error("the damaged project is still open")
	}
}
