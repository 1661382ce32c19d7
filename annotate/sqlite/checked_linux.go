package sqlite

import (
	"fmt"
	"os"
	"syscall"
)

// statIdentity is what identifies a file and its content's state.
func statIdentity(fi os.FileInfo) string {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	return fmt.Sprintf("dev %d ino %d size %d mtime %d.%09d ctime %d.%09d",
		st.Dev, st.Ino, st.Size, st.Mtim.Sec, st.Mtim.Nsec, st.Ctim.Sec, st.Ctim.Nsec)
}
