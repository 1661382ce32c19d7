// Package clocale, imported for its side effect by cmd/qalam, turns a
// "C.UTF-8" (or "POSIX.*") locale into plain "C" in this process's
// environment before Fyne's lang package reads it: Fyne understands "C"
// but logs an error for "C.UTF-8", the usual locale of containers and CI
// machines, on every run, command-line runs included.
//
// It works because Go initializes, among the packages ready to be
// initialized, the one whose import path sorts first: this package needs
// nothing but os, and its path sorts before golang.org/x/text, which
// Fyne's lang package waits for.
package clocale

import (
	"os"
	"strings"
)

func init() {
	// The variables Fyne's locale lookup reads, in its order.
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		val := os.Getenv(v)
		if val == "" {
			continue
		}
		if strings.HasPrefix(val, "C.") || strings.HasPrefix(val, "POSIX.") {
			os.Setenv(v, "C")
		}
		return
	}
}
