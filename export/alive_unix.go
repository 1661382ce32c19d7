//go:build unix

package export

import "syscall"

// processAlive reports whether a process with that id is running.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || err == syscall.EPERM
}
