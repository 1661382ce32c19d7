package hugepages

import (
	"os"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// onRequest tells whether the kernel's transparent huge pages are given
// on request only ("madvise", Debian's and Ubuntu's default), and their
// size. Where they are always given, or never, advice changes nothing.
var onRequest = sync.OnceValues(func() (bool, uintptr) {
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || !strings.Contains(string(mode), "[madvise]") {
		return false, 0
	}
	size := uintptr(2 << 20)
	if b, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size"); err == nil {
		if n, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64); err == nil && n > 0 && n&(n-1) == 0 {
			size = uintptr(n)
		}
	}
	return true, size
})

// advise asks huge pages for the whole huge pages inside buf, and returns
// the function that withdraws the request. Pages already given stay.
func advise(buf []byte) (withdraw func()) {
	ok, size := onRequest()
	if !ok {
		return func() {}
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(buf)))
	from := (start + size - 1) &^ (size - 1)
	to := (start + uintptr(len(buf))) &^ (size - 1)
	if to <= from {
		return func() {}
	}
	inner := buf[from-start : to-start]
	// Advice is a hint: a kernel that refuses it gives ordinary pages.
	if unix.Madvise(inner, unix.MADV_HUGEPAGE) != nil {
		return func() {}
	}
	return func() { unix.Madvise(inner, unix.MADV_NOHUGEPAGE) } //nolint:errcheck // as above
}
