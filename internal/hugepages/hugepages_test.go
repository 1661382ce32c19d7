package hugepages

import (
	"errors"
	"testing"
)

func TestFill(t *testing.T) {
	for _, n := range []int{0, 1, 4096, Min - 1, Min, 3*Min + 12345} {
		buf, err := Fill(n, func(b []byte) error {
			for i := range b {
				b[i] = byte(i % 251)
			}
			return nil
		})
		if err != nil || len(buf) != n {
			t.Fatalf("Fill(%d) = %d bytes, %v", n, len(buf), err)
		}
		for i, c := range buf {
			if c != byte(i%251) {
				t.Fatalf("Fill(%d): byte %d is %d, filled %d", n, i, c, i%251)
			}
		}
	}
	failed := errors.New("disk gone")
	if buf, err := Fill(2*Min, func([]byte) error { return failed }); !errors.Is(err, failed) || buf != nil {
		t.Fatalf("a failed fill gave %d bytes and %v", len(buf), err)
	}
}
