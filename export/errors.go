package export

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Kinds of error Export and Import return, to test with errors.Is: the
// command line turns them into exit codes.
var (
	// ErrUsage: the options cannot be carried out as given (an unknown
	// format or layer, an output that is a project).
	ErrUsage = errors.New("usage")
	// ErrWrite: the output could not be written; what was under its name
	// before is untouched.
	ErrWrite = errors.New("the output could not be written")
	// ErrNothingToExport: no document has work to write in the layers
	// asked for; nothing was written.
	ErrNothingToExport = errors.New("nothing to export")
)

// kindError is an error of one of the kinds above; its message is the
// error's own.
type kindError struct{ kind, err error }

func (e *kindError) Error() string   { return e.err.Error() }
func (e *kindError) Unwrap() []error { return []error{e.kind, e.err} }

func usageError(format string, args ...any) error {
	return &kindError{ErrUsage, fmt.Errorf(format, args...)}
}

// writeError marks err as a failure to write path; an error that already
// has a kind, or a cancelled context, keeps its own.
func writeError(path string, err error) error {
	if err == nil || errors.Is(err, ErrUsage) || errors.Is(err, ErrWrite) || errors.Is(err, ErrNothingToExport) {
		return err
	}
	if errors.Is(err, os.ErrNotExist) && path != "" {
		if dir := filepath.Dir(path); !isDir(dir) {
			return &kindError{ErrWrite, fmt.Errorf("no folder %s to write %s in", withSlash(dir), path)}
		}
	}
	if path == "" {
		return &kindError{ErrWrite, err}
	}
	return &kindError{ErrWrite, fmt.Errorf("cannot write %s: %w", path, err)}
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

func withSlash(dir string) string {
	if dir == "" || dir[len(dir)-1] == filepath.Separator {
		return dir
	}
	return dir + string(filepath.Separator)
}
