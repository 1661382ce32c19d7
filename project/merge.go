package project

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/qalam-annotate/qalam/annotate"
)

// MergeFile merges the project in the file at path, opened with open,
// into into, which is at location (the same file is refused). The file
// is opened for reading only, unless its schema must be brought up to
// date first.
func MergeFile(ctx context.Context, open OpenFunc, into annotate.MergeTarget, location, path string, rename map[string]string) (annotate.MergeSummary, error) {
	if SameFile(path, location) {
		return annotate.MergeSummary{}, fmt.Errorf("%s is the project merged into", path)
	}
	src, err := open(ctx, path, ReadOnly)
	if errors.Is(err, annotate.ErrReadOnly) {
		src, err = open(ctx, path, Existing)
	}
	if err != nil {
		return annotate.MergeSummary{}, err
	}
	defer src.Close()
	return annotate.Merge(ctx, into, src, path, rename)
}

// SameFile reports whether two paths name the same file.
func SameFile(a, b string) bool {
	if fa, err := os.Stat(a); err == nil {
		if fb, err := os.Stat(b); err == nil {
			return os.SameFile(fa, fb)
		}
	}
	aa, err1 := filepath.Abs(a)
	bb, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && aa == bb
}
