package main

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"testing"
)

// assets/icon.png, which the binary embeds, is this program's drawing:
// change the program and run go run ./assets/icongen -o assets/icon.png.
func TestIconIsTheDrawing(t *testing.T) {
	b, err := os.ReadFile("../icon.png")
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	want := Draw(256)
	if img.Bounds() != want.Bounds() {
		t.Fatalf("assets/icon.png is %v, the drawing %v", img.Bounds(), want.Bounds())
	}
	// The rasterizer's assembly (amd64) and pure Go versions may round
	// edges differently: a pixel differs when a channel is off by more
	// than 2 of 255.
	off := func(a, b uint32) bool { return max(a>>8, b>>8)-min(a>>8, b>>8) > 2 }
	diff := 0
	for y := 0; y < 256; y++ {
		for x := 0; x < 256; x++ {
			r1, g1, b1, a1 := img.At(x, y).RGBA()
			r2, g2, b2, a2 := want.At(x, y).RGBA()
			if off(r1, r2) || off(g1, g2) || off(b1, b2) || off(a1, a2) {
				diff++
			}
		}
	}
	if diff > 0 {
		t.Errorf("assets/icon.png differs from the drawing in %d pixels: go run ./assets/icongen -o assets/icon.png", diff)
	}
}

// Every size is opaque in the middle, transparent or blue at the corner,
// and shows the three colours: the letter, the square and the rule.
func TestSizes(t *testing.T) {
	for _, n := range HicolorSizes {
		img := Draw(n)
		seen := map[string]bool{}
		for y := 0; y < n; y++ {
			for x := 0; x < n; x++ {
				c := img.NRGBAAt(x, y)
				switch {
				case c.A == 255 && c == white:
					seen["white"] = true
				case c.A == 255 && c == yellow:
					seen["yellow"] = true
				case c.A == 255 && c == blue:
					seen["blue"] = true
				}
			}
		}
		if !seen["white"] || !seen["yellow"] || !seen["blue"] {
			t.Errorf("%d px: colours seen %v", n, seen)
		}
		if c := img.NRGBAAt(0, 0); c.A > 128 {
			t.Errorf("%d px: the corner is not rounded (%v)", n, c)
		}
		if img.Bounds() != image.Rect(0, 0, n, n) {
			t.Errorf("%d px: bounds %v", n, img.Bounds())
		}
	}
}
