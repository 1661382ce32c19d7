package hugepages

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// TestFillTakesHugePages reads the kernel's own account of the buffer's
// memory (/proc/self/smaps): where huge pages are given on request, a
// buffer of 64 MiB lies mostly on them, and the request is withdrawn
// once it is filled.
func TestFillTakesHugePages(t *testing.T) {
	const n = 64 << 20
	buf, err := Fill(n, func(b []byte) error {
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(buf)))
	huge, flags := smaps(t, start, start+n)
	ok, size := onRequest()
	t.Logf("huge pages on request: %v (%d bytes); %d KiB of the buffer on huge pages; flags %q", ok, size, huge, flags)
	if !ok {
		// Always given or never: the kernel decides, not advice.
		return
	}
	if huge < n/2/1024 {
		t.Errorf("%d KiB of %d on huge pages", huge, n/1024)
	}
	for _, f := range flags {
		if strings.Contains(f, " hg") {
			t.Errorf("the request for huge pages stayed: VmFlags %s", f)
		}
	}
}

// smaps sums AnonHugePages over the mappings that overlap [from, to) and
// returns their VmFlags.
func smaps(t *testing.T, from, to uintptr) (hugeKiB int, flags []string) {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if lo, hi, ok := strings.Cut(fields[0], "-"); ok && !strings.HasSuffix(fields[0], ":") {
			a, err1 := strconv.ParseUint(lo, 16, 64)
			b, err2 := strconv.ParseUint(hi, 16, 64)
			if err1 == nil && err2 == nil {
				in = uintptr(a) < to && uintptr(b) > from
				continue
			}
		}
		if !in {
			continue
		}
		switch fields[0] {
		case "AnonHugePages:":
			kb, _ := strconv.Atoi(fields[1])
			hugeKiB += kb
		case "VmFlags:":
			flags = append(flags, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return hugeKiB, flags
}
