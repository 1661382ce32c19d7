package sqlite

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
)

// A large file found sound is not checked again while it stays the same
// file, unchanged: SQLite's check reads every page (35 s for a 6.7 GB
// project of a million documents), which a command that reads a part of
// it would wait for every time. The outcome is kept in the user's cache
// folder, one small file per project, holding what identifies the file
// and its state: device, inode, size, modification and change times of
// the project, and the same but the change time of its WAL. Any write
// changes them (the change time cannot be set back), so a file written,
// replaced, copied over or damaged by a program since is checked again.
//
// Qalam's own writes are the exception: a store that knew its file sound
// wrote it through SQLite alone, and remembers it sound as it closes it
// (Store.Close). Without that, a project annotated every day was read
// whole at every opening, and edits waited for it (4 s for a million
// documents in 2.8 GB, cached; the window showed later too, as the check
// took a core). A store that crashes or is killed remembers nothing, and
// its file is checked at the next opening.

// soundMark is where the outcome of the check of path is kept, "" when
// there is no cache folder.
func soundMark(path string) string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(dir, "qalam", "sound", hex.EncodeToString(sum[:16]))
}

// fileState identifies path and its WAL as they are now; "" when it
// cannot, or when the file is small enough to be checked at every open
// (CheckNowBelow): then nothing is remembered.
func fileState(path string) string {
	fi, err := os.Stat(path)
	if err != nil || fi.Size() < CheckNowBelow {
		return ""
	}
	state := statIdentity(fi, true)
	if state == "" {
		return ""
	}
	wal := "no WAL"
	if wi, err := os.Stat(path + "-wal"); err == nil {
		wal = statIdentity(wi, false)
	} else if !os.IsNotExist(err) {
		return ""
	}
	return state + "\n" + wal + "\n"
}

// knownSound reports whether path was found sound as it is now.
func knownSound(path string) bool {
	mark := soundMark(path)
	state := fileState(path)
	if mark == "" || state == "" {
		return false
	}
	b, err := os.ReadFile(mark)
	return err == nil && string(b) == state
}

// rememberSound keeps that path, in state (taken before the check
// began), was found sound, if it is still in that state. Failing to
// remember costs only a check next time, so errors are dropped.
func rememberSound(path, state string) {
	mark := soundMark(path)
	if mark == "" || state == "" || fileState(path) != state {
		return
	}
	if err := os.MkdirAll(filepath.Dir(mark), 0o700); err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(mark), ".mark-*")
	if err != nil {
		return
	}
	_, err = tmp.WriteString(state)
	if cerr := tmp.Close(); err != nil || cerr != nil || os.Rename(tmp.Name(), mark) != nil {
		os.Remove(tmp.Name())
	}
}

// forgetSound drops what was known of path (after a check found damage).
func forgetSound(path string) {
	if mark := soundMark(path); mark != "" {
		os.Remove(mark)
	}
}
