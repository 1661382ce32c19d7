package widgets

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// variantTheme is Fyne's default theme held to one variant, whatever the
// test app's settings say, so that golden images do not depend on them.
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.variant)
}

var (
	lightTheme fyne.Theme = variantTheme{theme.DefaultTheme(), theme.VariantLight}
	darkTheme  fyne.Theme = variantTheme{theme.DefaultTheme(), theme.VariantDark}
)
