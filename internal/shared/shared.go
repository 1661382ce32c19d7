// Package shared finds, for tests and benchmarks, the folder of real
// third-party annotation files and sample articles that Qalam is checked
// against. It is not part of the repository (its files keep their own
// licences): set QALAM_SHARED to its path, or keep it as a folder named
// "shared" beside the repository or beside one of its parents. Tests that
// need it skip, saying so, when it is absent.
package shared

import (
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

var (
	once sync.Once
	dir  string
)

// Dir returns the shared folder, or "" when it cannot be found.
func Dir() string {
	once.Do(func() {
		if d := os.Getenv("QALAM_SHARED"); d != "" {
			dir = d
			return
		}
		_, file, _, _ := runtime.Caller(0)
		for d := filepath.Dir(file); ; {
			cand := filepath.Join(filepath.Dir(d), "shared")
			if fi, err := os.Stat(filepath.Join(cand, "corpora")); err == nil && fi.IsDir() {
				dir = cand
				return
			}
			parent := filepath.Dir(d)
			if parent == d {
				return
			}
			d = parent
		}
	})
	return dir
}

// Path returns the path of rel inside the shared folder, or skips tb when
// the folder or the file is missing.
func Path(tb testing.TB, rel string) string {
	tb.Helper()
	d := Dir()
	if d == "" {
		tb.Skipf("shared corpora not found (set QALAM_SHARED): %s is needed", rel)
	}
	p := filepath.Join(d, filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("shared file missing: %v", err)
	}
	return p
}
