// Package hugepages makes large buffers that are filled at once, such
// as the text of a document of a hundred megabytes read from its
// project, on huge pages where the kernel gives them only on request.
//
// Memory a process touches for the first time costs a page fault for
// every 4 KiB. On a bare machine that is a fraction of a microsecond; in
// a virtual machine it can be 10 µs, and a hundred megabytes then take a
// quarter of a second before a byte is copied. A huge page (2 MiB) is one
// fault instead of 512.
package hugepages

// Min is the smallest buffer Fill asks huge pages for: below it, the
// faults saved are too few to matter.
const Min = 4 << 20

// Fill returns a buffer of n bytes filled by fill, on huge pages where
// the kernel has them to give. Once fill returns, the buffer's memory
// goes back to the kernel's usual rule: what the Go heap later puts in
// it after the buffer is collected is not held to huge pages.
func Fill(n int, fill func([]byte) error) ([]byte, error) {
	buf := make([]byte, n)
	if n >= Min {
		defer advise(buf)()
	}
	if err := fill(buf); err != nil {
		return nil, err
	}
	return buf, nil
}
