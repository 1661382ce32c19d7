// Command icongen draws Qalam's icon, the letter ق (qaf, from Amiri) in
// white on a blue rounded square above a yellow rule, at any size, and is
// the icon's source: assets/icon.png is its 256-pixel drawing, and make
// dist draws the sizes desktops ask for (hicolor 16 to 512).
//
//	go run ./assets/icongen -o assets/icon.png           # one size (256)
//	go run ./assets/icongen -hicolor DIR                 # DIR/NxN/apps/org.qalam.annotate.png
//
// Small sizes are not shrunk copies: each size snaps the square and the
// rule to whole pixels, draws the letter in Amiri Bold below 48 pixels and
// lets it fill more of the square, so that it stays legible at 16.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"

	"github.com/qalam-annotate/qalam/assets"
)

// The sizes of the hicolor theme that desktops ask for.
var HicolorSizes = []int{16, 22, 24, 32, 48, 64, 128, 256, 512}

const appID = "org.qalam.annotate"

var (
	blue   = color.NRGBA{0x1f, 0x5f, 0x8b, 0xff}
	white  = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	yellow = color.NRGBA{0xf5, 0xb8, 0x00, 0xff}
)

// qaf is the isolated letter qaf.
const qaf = 'ق'

func main() {
	out := flag.String("o", "", "write one `PNG` of -size pixels")
	size := flag.Int("size", 256, "the size of the PNG -o writes")
	hicolor := flag.String("hicolor", "", "write the hicolor sizes under `DIR`")
	flag.Parse()
	if (*out == "") == (*hicolor == "") || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: icongen -o FILE [-size N] | icongen -hicolor DIR")
		os.Exit(2)
	}
	if *out != "" {
		check(writePNG(*out, Draw(*size)))
		return
	}
	for _, n := range HicolorSizes {
		check(writePNG(filepath.Join(*hicolor, fmt.Sprintf("%dx%d", n, n), "apps", appID+".png"), Draw(n)))
	}
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "icongen:", err)
		os.Exit(1)
	}
}

func writePNG(path string, img image.Image) error {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// layout is where the parts go at one size, in pixels.
type layout struct {
	inset, radius  float64 // the square
	glyphH         float64 // the letter's height (its outline's box)
	glyphTop       float64
	ruleX0, ruleX1 float64
	ruleY0, ruleY1 float64
	bold           bool
}

func layoutFor(n int) layout {
	s := float64(n)
	if n < 48 {
		// Small: the square fills the image, whole-pixel rule, a bigger
		// bold letter.
		inset := 0.0
		if n >= 24 {
			inset = 1
		}
		rule := math.Max(1, math.Round(s/12))
		ruleY1 := s - inset - math.Max(2, math.Round(s/8))
		ruleY0 := ruleY1 - rule
		gap := math.Max(1, math.Round(s/16))
		top := inset + math.Max(1, math.Round(s/14))
		return layout{
			inset: inset, radius: math.Max(2, math.Round(s/6)),
			glyphTop: top, glyphH: ruleY0 - gap - top,
			ruleX0: math.Round(s * 0.22), ruleX1: s - math.Round(s*0.22),
			ruleY0: ruleY0, ruleY1: ruleY1,
			bold: true,
		}
	}
	u := s / 256
	return layout{
		inset: math.Round(8 * u), radius: 32 * u,
		glyphTop: 40 * u, glyphH: 150 * u,
		ruleX0: math.Round(48 * u), ruleX1: math.Round(208 * u),
		ruleY0: math.Round(200 * u), ruleY1: math.Round(213 * u),
	}
}

// Draw draws the icon at n×n pixels.
func Draw(n int) *image.NRGBA {
	l := layoutFor(n)
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	s := float32(n)

	r := vector.NewRasterizer(n, n)
	roundedRect(r, float32(l.inset), float32(l.inset), s-float32(l.inset), s-float32(l.inset), float32(l.radius))
	r.Draw(img, img.Bounds(), image.NewUniform(blue), image.Point{})

	r = vector.NewRasterizer(n, n)
	r.MoveTo(float32(l.ruleX0), float32(l.ruleY0))
	r.LineTo(float32(l.ruleX1), float32(l.ruleY0))
	r.LineTo(float32(l.ruleX1), float32(l.ruleY1))
	r.LineTo(float32(l.ruleX0), float32(l.ruleY1))
	r.ClosePath()
	r.Draw(img, img.Bounds(), image.NewUniform(yellow), image.Point{})

	font := assets.AmiriRegular
	if l.bold {
		font = assets.AmiriBold
	}
	r = vector.NewRasterizer(n, n)
	check(glyph(r, font, qaf, s/2, float32(l.glyphTop), float32(l.glyphH)))
	r.Draw(img, img.Bounds(), image.NewUniform(white), image.Point{})
	return img
}

// roundedRect adds a rectangle with round corners (cubic arcs) to r.
func roundedRect(r *vector.Rasterizer, x0, y0, x1, y1, rad float32) {
	const k = 0.5523 // control point distance of a quarter circle
	c := rad * k
	r.MoveTo(x0+rad, y0)
	r.LineTo(x1-rad, y0)
	r.CubeTo(x1-rad+c, y0, x1, y0+rad-c, x1, y0+rad)
	r.LineTo(x1, y1-rad)
	r.CubeTo(x1, y1-rad+c, x1-rad+c, y1, x1-rad, y1)
	r.LineTo(x0+rad, y1)
	r.CubeTo(x0+rad-c, y1, x0, y1-rad+c, x0, y1-rad)
	r.LineTo(x0, y0+rad)
	r.CubeTo(x0, y0+rad-c, x0+rad-c, y0, x0+rad, y0)
	r.ClosePath()
}

// glyph adds letter ch of the font to r, scaled so that its outline is h
// pixels high, its top at top and centred on cx.
func glyph(r *vector.Rasterizer, fontData []byte, ch rune, cx, top, h float32) error {
	f, err := sfnt.Parse(fontData)
	if err != nil {
		return err
	}
	var buf sfnt.Buffer
	gi, err := f.GlyphIndex(&buf, ch)
	if err != nil || gi == 0 {
		return fmt.Errorf("no glyph for %q: %v", ch, err)
	}
	ppem := fixed.I(int(f.UnitsPerEm()))
	segs, err := f.LoadGlyph(&buf, gi, ppem, nil) // in font units, y down
	if err != nil {
		return err
	}
	b := segs.Bounds()
	minX, minY := float32(b.Min.X)/64, float32(b.Min.Y)/64
	maxX, maxY := float32(b.Max.X)/64, float32(b.Max.Y)/64
	scale := h / (maxY - minY)
	dx := cx - (minX+maxX)/2*scale
	dy := top - minY*scale
	pt := func(p fixed.Point26_6) (float32, float32) {
		return float32(p.X)/64*scale + dx, float32(p.Y)/64*scale + dy
	}
	for _, s := range segs {
		switch s.Op {
		case sfnt.SegmentOpMoveTo:
			r.MoveTo(pt(s.Args[0]))
		case sfnt.SegmentOpLineTo:
			r.LineTo(pt(s.Args[0]))
		case sfnt.SegmentOpQuadTo:
			x1, y1 := pt(s.Args[0])
			x2, y2 := pt(s.Args[1])
			r.QuadTo(x1, y1, x2, y2)
		case sfnt.SegmentOpCubeTo:
			x1, y1 := pt(s.Args[0])
			x2, y2 := pt(s.Args[1])
			x3, y3 := pt(s.Args[2])
			r.CubeTo(x1, y1, x2, y2, x3, y3)
		}
	}
	r.ClosePath()
	return nil
}
