//go:build !linux

package sqlite

import "os"

// statIdentity is "" where the change time cannot be read: every large
// file is checked.
func statIdentity(os.FileInfo, bool) string { return "" }
