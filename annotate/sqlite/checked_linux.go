package sqlite

import (
	"fmt"
	"os"
	"syscall"
)

// statIdentity is what identifies a file and its content's state. The
// change time is left out with withCtime false: SQLite, run as root,
// gives the WAL its project's owner at every open, which moves it.
func statIdentity(fi os.FileInfo, withCtime bool) string {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	id := fmt.Sprintf("dev %d ino %d size %d mtime %d.%09d", st.Dev, st.Ino, st.Size, st.Mtim.Sec, st.Mtim.Nsec)
	if withCtime {
		id += fmt.Sprintf(" ctime %d.%09d", st.Ctim.Sec, st.Ctim.Nsec)
	}
	return id
}
