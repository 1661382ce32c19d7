package app

import (
	"image/png"
	"os"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

func shot(t *testing.T, ws *Workspace, name string, w, h float32) {
	ws.Window.Resize(fyne.NewSize(w, h))
	ws.Window.Content().Refresh()
	img := ws.Window.Canvas().Capture()
	f, _ := os.Create("/tmp/shots/" + name + ".png")
	png.Encode(f, img)
	f.Close()
}

func TestZZShots(t *testing.T) {
	for _, l := range []string{"en", "ar"} {
		t.Setenv("XDG_DATA_HOME", t.TempDir())
		a := test.NewTempApp(t)
		a.Preferences().SetString(prefAnnotator, "amira")
		a.Preferences().SetString(prefLanguage, l)
		ws := openWS(t, a, "")
		s, e := find(t, ws, "ترامب", 0)
		ws.ui.view.SetSelection(s, e)
		test.Type(ws.ui.view, "1")
		s, e = find(t, ws, "5 ديسمبر", 0)
		ws.ui.view.SetSelection(s, e)
		test.Type(ws.ui.view, "3")
		shot(t, ws, "ws_"+l, 1280, 800)
		shot(t, ws, "ws_min_"+l, 971, 466)
		ws.Window.Close()
	}
	useLanguage("en")
}
