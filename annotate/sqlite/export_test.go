package sqlite

import (
	"testing"
	"time"
)

// ShortIndexTransactions makes IndexForSearch's transactions a
// millisecond long until t ends, so that a test's few hundred documents
// are indexed in several of them, as a large corpus is.
func ShortIndexTransactions(t testing.TB) {
	d := indexTxTime
	t.Cleanup(func() { indexTxTime = d })
	indexTxTime = time.Millisecond
}
