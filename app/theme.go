package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/qalam-annotate/qalam/assets"
)

var (
	amiriRegular = fyne.NewStaticResource("Amiri-Regular.ttf", assets.AmiriRegular)
	amiriBold    = fyne.NewStaticResource("Amiri-Bold.ttf", assets.AmiriBold)
)

// qalamTheme is Fyne's default theme with the bundled Amiri font for all
// proportional text: document names, labels and article text are Arabic
// as often as not, and Fyne's own font has no Arabic. A zero variant
// follows the system's light or dark setting.
type qalamTheme struct {
	variant fyne.ThemeVariant // 0: follow the system
	fixed   bool
}

var _ fyne.Theme = (*qalamTheme)(nil)

func (t *qalamTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if t.fixed {
		v = t.variant
	}
	return theme.DefaultTheme().Color(n, v)
}

func (t *qalamTheme) Font(s fyne.TextStyle) fyne.Resource {
	if s.Monospace || s.Symbol {
		return theme.DefaultTheme().Font(s)
	}
	if s.Bold {
		return amiriBold
	}
	return amiriRegular
}

func (t *qalamTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

func (t *qalamTheme) Size(n fyne.ThemeSizeName) float32 {
	if n == theme.SizeNameText {
		return 15
	}
	return theme.DefaultTheme().Size(n)
}

// applyTheme sets the light, dark or system ("system") theme.
func (ws *Workspace) applyTheme(id string) {
	t := &qalamTheme{}
	switch id {
	case "light":
		t.variant, t.fixed = theme.VariantLight, true
	case "dark":
		t.variant, t.fixed = theme.VariantDark, true
	}
	ws.App.Settings().SetTheme(t)
}
