package textlayout

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"github.com/go-text/typesetting/font"
	ot "github.com/go-text/typesetting/font/opentype"
	"golang.org/x/image/vector"
)

// Scene is what Paint draws besides the text.
type Scene struct {
	// Top is the document y shown at the image's top edge.
	Top float32
	// Scale is device pixels per logical pixel.
	Scale float32
	Marks *Marks
	// Selected is the id of the outlined mark, if HasSelected.
	Selected    int64
	HasSelected bool
	// SelStart, SelEnd is the selection; Caret is drawn at SelEnd when
	// ShowCaret and the selection is empty.
	SelStart, SelEnd int
	ShowCaret        bool

	Text, Selection, CaretColor, Outline color.Color
	// Background fills the image first when not nil.
	Background color.Color
}

func premul(c color.Color) color.RGBA {
	r, g, b, a := c.RGBA()
	return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}
}

type visibleLine struct {
	i  int
	pl *paraLayout
	k  int
}

type glyphKey struct {
	gid   font.GID
	ppem  int32 // pixels per em, 26.6
	phase uint8 // quarter-pixel horizontal offset
}

type glyphMask struct {
	img    *image.Alpha
	dx, dy int // top-left relative to (pen x floor, baseline)
}

// Paint draws the part of the document that falls into dst: mark
// backgrounds, the selection, the glyphs, then outlines and the caret.
// Only paragraphs that intersect the image are laid out and drawn. When
// dst is the image painted last and only the view moved (by whole device
// pixels), what is still in sight is moved and only the rest is drawn.
func (l *Layout) Paint(dst *image.RGBA, sc *Scene) {
	l.clock++
	defer l.evict()
	b := dst.Bounds()
	scale := sc.Scale
	if scale <= 0 {
		scale = 1
	}
	vis := l.visibleLines(sc.Top, sc.Top+float32(b.Dy())/scale)
	strip := b
	if len(vis) > 0 {
		strip = l.reuse(dst, sc, scale, vis[0])
		m := &l.painted
		m.dst, m.bounds, m.scale, m.gen, m.scene = dst, b, scale, l.gen, *sc
		first := vis[0].pl.lines[vis[0].k]
		m.para, m.off = vis[0].i, first.Start
		m.y = (l.ParaTop(vis[0].i) + first.Top - sc.Top) * scale
	} else {
		l.painted.dst = nil
	}
	if strip.Empty() {
		return
	}
	region := *sc
	region.Top = sc.Top + float32(strip.Min.Y-b.Min.Y)/scale
	l.paint(dst.SubImage(strip).(*image.RGBA), &region, scale)
}

// visibleLines returns the lines between document y top and bottom,
// laying them out as needed.
func (l *Layout) visibleLines(top, bottom float32) []visibleLine {
	i0 := l.ParaAt(top)
	_, k0 := l.lineAtY(i0, top-l.ParaTop(i0))
	vis := l.visible[:0]
	l.walk(i0, k0, func(i int, pl *paraLayout, k int, y float32) bool {
		if y >= bottom {
			return false
		}
		if y+l.lineHeight > top {
			l.place(i, pl, k) // marks its pieces used
			vis = append(vis, visibleLine{i, pl, k})
		}
		return true
	})
	l.visible = vis
	return vis
}

// painted is what the last Paint drew: into which image, with what, and
// where its first line was (device pixels from the image's top).
type painted struct {
	dst       *image.RGBA
	bounds    image.Rectangle
	scale     float32
	gen       uint64
	scene     Scene
	para, off int
	y         float32
}

// reuse moves what dst holds from the last Paint to where it goes now,
// when only the view moved since, by whole device pixels, and returns the
// part of dst left to draw (all of it when nothing can be reused).
func (l *Layout) reuse(dst *image.RGBA, sc *Scene, scale float32, first visibleLine) image.Rectangle {
	m := &l.painted
	b := dst.Bounds()
	if m.dst != dst || m.bounds != b || m.scale != scale || m.gen != l.gen || !sameScene(&m.scene, sc) {
		return b
	}
	pl := l.lays[m.para]
	if pl == nil {
		return b
	}
	k := lineIndex(pl.lines, m.off)
	if k < 0 || pl.lines[k].Start != m.off {
		return b
	}
	shift := (l.ParaTop(m.para)+pl.lines[k].Top-sc.Top)*scale - m.y
	d := int(math.Round(float64(shift)))
	if math.Abs(float64(shift)-float64(d)) > 1e-3 || d >= b.Dy() || -d >= b.Dy() {
		return b
	}
	row := 4 * b.Dx()
	at := func(y int) []uint8 { i := dst.PixOffset(b.Min.X, y); return dst.Pix[i : i+row] }
	l.Stats.Moved++
	switch {
	case d > 0: // the text moves down: the top is new
		for y := b.Max.Y - 1; y >= b.Min.Y+d; y-- {
			copy(at(y), at(y-d))
		}
		return image.Rect(b.Min.X, b.Min.Y, b.Max.X, b.Min.Y+d)
	case d < 0:
		for y := b.Min.Y; y < b.Max.Y+d; y++ {
			copy(at(y), at(y-d))
		}
		return image.Rect(b.Min.X, b.Max.Y+d, b.Max.X, b.Max.Y)
	}
	return image.Rectangle{}
}

func sameColor(a, b color.Color) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	r1, g1, b1, a1 := a.RGBA()
	r2, g2, b2, a2 := b.RGBA()
	return r1 == r2 && g1 == g2 && b1 == b2 && a1 == a2
}

// sameScene reports whether two scenes draw the same, but for their tops.
func sameScene(a, b *Scene) bool {
	return a.Scale == b.Scale && a.Marks == b.Marks && a.Selected == b.Selected && a.HasSelected == b.HasSelected &&
		a.SelStart == b.SelStart && a.SelEnd == b.SelEnd && a.ShowCaret == b.ShowCaret &&
		sameColor(a.Text, b.Text) && sameColor(a.Selection, b.Selection) && sameColor(a.CaretColor, b.CaretColor) &&
		sameColor(a.Outline, b.Outline) && sameColor(a.Background, b.Background)
}

// paint draws the part of the document that falls into dst, all of it.
func (l *Layout) paint(dst *image.RGBA, sc *Scene, scale float32) {
	b := dst.Bounds()
	bg := color.Color(color.Transparent)
	if sc.Background != nil {
		bg = sc.Background
	}
	draw.Draw(dst, b, image.NewUniform(premul(bg)), image.Point{}, draw.Src)
	top := sc.Top
	bottom := top + float32(b.Dy())/scale
	toDev := func(r Rect) image.Rectangle {
		return image.Rect(
			b.Min.X+int(math.Round(float64(r.X0*scale))), b.Min.Y+int(math.Round(float64((r.Y0-top)*scale))),
			b.Min.X+int(math.Round(float64(r.X1*scale))), b.Min.Y+int(math.Round(float64((r.Y1-top)*scale))))
	}
	vis := l.visibleLines(top, bottom)
	if len(vis) == 0 {
		return
	}
	first, last := vis[0], vis[len(vis)-1]
	vis0 := first.pl.lines[first.k].Start
	vis1 := last.pl.lines[last.k].End
	if p := l.t.para(last.i); vis1 == p.End {
		vis1 = p.Next
		if last.i == l.t.numParas()-1 {
			vis1 = l.t.n + 1
		}
	}
	inset := func(m *Mark, r Rect) Rect {
		d := float32(min(m.Depth, 4)) * 3
		r.Y0 += d
		r.Y1 -= d
		return r
	}
	// Mark backgrounds, outermost first.
	var drawn []struct {
		m Mark
		r []Rect
	}
	sc.Marks.Overlapping(vis0, vis1, func(m *Mark) {
		rs := l.Rects(max(m.Start, vis0), min(m.End, vis1))
		drawn = append(drawn, struct {
			m Mark
			r []Rect
		}{*m, rs})
	})
	for depth := 0; depth <= 4; depth++ {
		for _, d := range drawn {
			if min(d.m.Depth, 4) != depth {
				continue
			}
			fill := d.m.Color
			if fill.A == 255 {
				fill.A = 0x60
			}
			if d.m.Suggestion {
				fill.A /= 3
			}
			for _, r := range d.r {
				draw.Draw(dst, toDev(inset(&d.m, r)), image.NewUniform(premul(fill)), image.Point{}, draw.Over)
			}
		}
	}
	// Selection.
	if sc.SelEnd > sc.SelStart && sc.Selection != nil {
		for _, r := range l.Rects(max(sc.SelStart, vis0), min(sc.SelEnd, vis1)) {
			draw.Draw(dst, toDev(r), image.NewUniform(premul(sc.Selection)), image.Point{}, draw.Over)
		}
	}
	// Glyphs.
	textCol := image.NewUniform(premul(sc.Text))
	for _, vl := range vis {
		ln := l.place(vl.i, vl.pl, vl.k)
		y0 := l.ParaTop(vl.i) + ln.Top
		baseline := b.Min.Y + int(math.Round(float64((y0+l.ascent-top)*scale)))
		for k := range ln.Runs {
			l.drawRun(dst, &ln.Runs[k], ln.Runs[k].X*scale, baseline, scale, textCol)
		}
	}
	// Outlines and nesting bars.
	for _, d := range drawn {
		solid := d.m.Color
		solid.A = 255
		selected := sc.HasSelected && d.m.ID == sc.Selected
		for _, r := range d.r {
			dr := toDev(inset(&d.m, r))
			switch {
			case d.m.Suggestion:
				dashedOutline(dst, dr, premul(solid), max(1, int(scale)))
			case d.m.Depth > 0:
				bar := dr
				bar.Min.Y = bar.Max.Y - max(2, int(2*scale))
				draw.Draw(dst, bar, image.NewUniform(premul(solid)), image.Point{}, draw.Over)
			}
			if selected && sc.Outline != nil {
				outline(dst, dr, premul(sc.Outline), max(2, int(2*scale)))
			}
		}
	}
	// Caret.
	if sc.ShowCaret && sc.SelStart == sc.SelEnd && sc.CaretColor != nil && sc.SelEnd >= vis0 && sc.SelEnd < vis1 {
		x, y := l.CaretPos(sc.SelEnd)
		w := max(1, scale*1.5)
		r := toDev(Rect{x - w/2/scale, y + 2, x + w/2/scale, y + l.lineHeight - 2})
		if r.Dx() == 0 {
			r.Max.X = r.Min.X + 1
		}
		draw.Draw(dst, r, image.NewUniform(premul(sc.CaretColor)), image.Point{}, draw.Over)
	}
}

func outline(dst *image.RGBA, r image.Rectangle, c color.RGBA, w int) {
	u := image.NewUniform(c)
	draw.Draw(dst, image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+w), u, image.Point{}, draw.Over)
	draw.Draw(dst, image.Rect(r.Min.X, r.Max.Y-w, r.Max.X, r.Max.Y), u, image.Point{}, draw.Over)
	draw.Draw(dst, image.Rect(r.Min.X, r.Min.Y+w, r.Min.X+w, r.Max.Y-w), u, image.Point{}, draw.Over)
	draw.Draw(dst, image.Rect(r.Max.X-w, r.Min.Y+w, r.Max.X, r.Max.Y-w), u, image.Point{}, draw.Over)
}

func dashedOutline(dst *image.RGBA, r image.Rectangle, c color.RGBA, w int) {
	u := image.NewUniform(c)
	dash := 4 * w
	for x := r.Min.X; x < r.Max.X; x += 2 * dash {
		x1 := min(x+dash, r.Max.X)
		draw.Draw(dst, image.Rect(x, r.Min.Y, x1, r.Min.Y+w), u, image.Point{}, draw.Over)
		draw.Draw(dst, image.Rect(x, r.Max.Y-w, x1, r.Max.Y), u, image.Point{}, draw.Over)
	}
	for y := r.Min.Y; y < r.Max.Y; y += 2 * dash {
		y1 := min(y+dash, r.Max.Y)
		draw.Draw(dst, image.Rect(r.Min.X, y, r.Min.X+w, y1), u, image.Point{}, draw.Over)
		draw.Draw(dst, image.Rect(r.Max.X-w, y, r.Max.X, y1), u, image.Point{}, draw.Over)
	}
}

// drawRun draws the glyphs of run in src at scale device pixels per
// logical pixel: the run's left edge x device pixels from dst's left edge,
// its baseline on the device row baseline.
func (l *Layout) drawRun(dst *image.RGBA, run *Run, x float32, baseline int, scale float32, src image.Image) {
	minX := dst.Rect.Min.X
	ppem := int32(math.Round(float64(float32(l.size) * scale * 64)))
	pen := x
	for _, g := range run.Out.Glyphs {
		if g.GlyphID != 0 || g.Width != 0 {
			gx := pen + fx(g.XOffset)*scale
			gy := float32(baseline) - fx(g.YOffset)*scale
			ix := float32(math.Floor(float64(gx)))
			if m := l.glyph(glyphKey{g.GlyphID, ppem, uint8((gx - ix) * 4)}); m != nil {
				px := minX + int(ix) + m.dx
				py := int(math.Round(float64(gy))) + m.dy
				r := image.Rect(px, py, px+m.img.Rect.Dx(), py+m.img.Rect.Dy())
				draw.DrawMask(dst, r, src, image.Point{}, m.img, image.Point{}, draw.Over)
			}
		}
		pen += fx(g.XAdvance) * scale
	}
}

// glyph returns the rasterised glyph, from the cache when it is there.
func (l *Layout) glyph(k glyphKey) *glyphMask {
	if m, ok := l.glyphs[k]; ok {
		return m
	}
	if l.glyphs == nil || len(l.glyphs) > 20000 {
		l.glyphs = make(map[glyphKey]*glyphMask)
	}
	m := l.rasterize(k)
	l.glyphs[k] = m
	return m
}

func (l *Layout) rasterize(k glyphKey) *glyphMask {
	var segs []ot.Segment
	switch d := l.face.GlyphData(k.gid).(type) {
	case font.GlyphOutline:
		segs = d.Segments
	case font.GlyphSVG:
		segs = d.Outline.Segments
	case font.GlyphBitmap:
		if d.Outline != nil {
			segs = d.Outline.Segments
		}
	}
	if len(segs) == 0 {
		return nil
	}
	s := float32(k.ppem) / 64 / float32(l.face.Upem())
	off := float32(k.phase) / 4
	minX, minY := float32(math.Inf(1)), float32(math.Inf(1))
	maxX, maxY := float32(math.Inf(-1)), float32(math.Inf(-1))
	for _, sg := range segs {
		for _, p := range sg.ArgsSlice() {
			x, y := p.X*s+off, -p.Y*s
			minX, maxX = min(minX, x), max(maxX, x)
			minY, maxY = min(minY, y), max(maxY, y)
		}
	}
	x0, y0 := int(math.Floor(float64(minX)))-1, int(math.Floor(float64(minY)))-1
	x1, y1 := int(math.Ceil(float64(maxX)))+1, int(math.Ceil(float64(maxY)))+1
	w, h := x1-x0, y1-y0
	if w <= 0 || h <= 0 {
		return nil
	}
	ras := vector.NewRasterizer(w, h)
	fx0, fy0 := float32(x0), float32(y0)
	pt := func(p ot.SegmentPoint) (float32, float32) { return p.X*s + off - fx0, -p.Y*s - fy0 }
	for k, sg := range segs {
		switch sg.Op {
		case ot.SegmentOpMoveTo:
			if k > 0 {
				ras.ClosePath()
			}
			ras.MoveTo(pt(sg.Args[0]))
		case ot.SegmentOpLineTo:
			ras.LineTo(pt(sg.Args[0]))
		case ot.SegmentOpQuadTo:
			ax, ay := pt(sg.Args[0])
			bx, by := pt(sg.Args[1])
			ras.QuadTo(ax, ay, bx, by)
		case ot.SegmentOpCubeTo:
			ax, ay := pt(sg.Args[0])
			bx, by := pt(sg.Args[1])
			cx, cy := pt(sg.Args[2])
			ras.CubeTo(ax, ay, bx, by, cx, cy)
		}
	}
	ras.ClosePath()
	img := image.NewAlpha(image.Rect(0, 0, w, h))
	ras.Draw(img, img.Rect, image.Opaque, image.Point{})
	return &glyphMask{img: img, dx: x0, dy: y0}
}
