//go:build !unix

package export

import "os"

// processAlive reports whether a process with that id may be running:
// where that cannot be asked cheaply, only a process the system no longer
// knows counts as ended.
func processAlive(pid int) bool {
	_, err := os.FindProcess(pid)
	return err == nil
}
