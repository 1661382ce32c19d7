// Command paintwatch tells, for scripts/measure-article.sh, when a window
// shows and when a region of it is painted, while taking as little of the
// machine as it can from the app it watches: one process, which asks the
// X server directly every 10 ms. (Looking through ImageMagick took a fifth
// of a second and a sixth of a second of processor time a look, most of a
// core of the two the app starts on.)
//
//	paintwatch PID NAME X Y W H [X Y W H]...
//
// It waits for a viewable window whose name holds NAME, and prints
// "shown NS ID" (NS: the time it was found, in nanoseconds since the
// epoch, as date +%s%N prints; ID: the window); then it waits until each
// region W×H at X,Y of the window holds more than 20 colours (glyphs,
// anti-aliased, where there was a plain background), and prints
// "painted K NS UNSEEN" as region K (0 for the first given) is
// (UNSEEN: the last look that found it blank). It fails when process
// PID ends first, or after ten minutes.
package main

/*
#cgo LDFLAGS: -lX11
#include <stdlib.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>

// ignore leaves X errors to the calls' results: a window can go between
// two looks.
static int ignore(Display *d, XErrorEvent *e) { return 0; }
static void ignoreErrors(void) { XSetErrorHandler(ignore); }

static void destroyImage(XImage *im) { XDestroyImage(im); }
*/
import "C"

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unsafe"
)

const (
	every   = 10 * time.Millisecond
	giveUp  = 10 * time.Minute
	colours = 20
)

func main() {
	if len(os.Args) < 7 || (len(os.Args)-3)%4 != 0 {
		fail("usage: paintwatch PID NAME X Y W H [X Y W H]...")
	}
	pid := os.Args[1]
	name := os.Args[2]
	regions := make([][4]int, (len(os.Args)-3)/4)
	for i, a := range os.Args[3:] {
		n, err := strconv.Atoi(a)
		if err != nil || n < 0 {
			fail("not a size: " + a)
		}
		regions[i/4][i%4] = n
	}
	dpy := C.XOpenDisplay(nil)
	if dpy == nil {
		fail("cannot open display " + os.Getenv("DISPLAY"))
	}
	C.ignoreErrors()
	deadline := time.Now().Add(giveUp)
	var win C.Window
	for win == 0 {
		win = find(dpy, C.XDefaultRootWindow(dpy), name)
		if win != 0 {
			break
		}
		wait(pid, deadline, "no window named "+name)
	}
	fmt.Printf("shown %d %d\n", time.Now().UnixNano(), uint64(win))
	seen := make([]bool, len(regions))
	unseen := time.Now()
	for left := len(regions); ; {
		look := time.Now()
		for k, r := range regions {
			if !seen[k] && painted(dpy, win, r) {
				fmt.Printf("painted %d %d %d\n", k, look.UnixNano(), unseen.UnixNano())
				seen[k] = true
				left--
			}
		}
		if left == 0 {
			return
		}
		unseen = look
		wait(pid, deadline, "a region was not painted")
	}
}

// wait sleeps until the next look, failing with why once the app has
// ended or the time is up.
func wait(pid string, deadline time.Time, why string) {
	stat, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil || strings.Contains(string(stat), ") Z ") {
		fail("the app exited: " + why)
	}
	if time.Now().After(deadline) {
		fail(why + " after " + giveUp.String())
	}
	time.Sleep(every)
}

// find returns a viewable window under w whose name holds name, or 0.
func find(dpy *C.Display, w C.Window, name string) C.Window {
	var attrs C.XWindowAttributes
	if w != C.XDefaultRootWindow(dpy) && C.XGetWindowAttributes(dpy, w, &attrs) != 0 && attrs.map_state == C.IsViewable {
		// The name's bytes as they are: GLFW sets it as UTF-8 text, which
		// XFetchName does not return.
		var p C.XTextProperty
		if C.XGetWMName(dpy, w, &p) != 0 && p.value != nil {
			ok := strings.Contains(C.GoStringN((*C.char)(unsafe.Pointer(p.value)), C.int(p.nitems)), name)
			C.XFree(unsafe.Pointer(p.value))
			if ok {
				return w
			}
		}
	}
	var root, parent C.Window
	var children *C.Window
	var count C.uint
	if C.XQueryTree(dpy, w, &root, &parent, &children, &count) == 0 {
		return 0
	}
	defer func() {
		if children != nil {
			C.XFree(unsafe.Pointer(children))
		}
	}()
	for _, c := range unsafe.Slice(children, int(count)) {
		if f := find(dpy, c, name); f != 0 {
			return f
		}
	}
	return 0
}

// painted tells whether the region r (x, y, width, height) of win holds
// more than colours colours.
func painted(dpy *C.Display, win C.Window, r [4]int) bool {
	im := C.XGetImage(dpy, win, C.int(r[0]), C.int(r[1]), C.uint(r[2]), C.uint(r[3]), C.XAllPlanes(), C.ZPixmap)
	if im == nil {
		return false
	}
	defer C.destroyImage(im)
	if im.bits_per_pixel != 32 {
		fail(fmt.Sprintf("%d bits a pixel: only 32 are read", im.bits_per_pixel))
	}
	data := unsafe.Slice((*byte)(unsafe.Pointer(im.data)), int(im.bytes_per_line)*r[3])
	var seen []uint32
	for y := 0; y < r[3]; y++ {
		row := data[y*int(im.bytes_per_line):]
		for x := 0; x < r[2]; x++ {
			p := uint32(row[4*x]) | uint32(row[4*x+1])<<8 | uint32(row[4*x+2])<<16
			if !slices.Contains(seen, p) {
				if seen = append(seen, p); len(seen) > colours {
					return true
				}
			}
		}
	}
	return false
}

func fail(why string) {
	fmt.Fprintln(os.Stderr, "paintwatch:", why)
	os.Exit(1)
}
