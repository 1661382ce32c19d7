package app

// The tests run the recommender's learning and proposing at once, on the
// test's goroutine, so that what they check is there when they check it.
func init() { proposeInBackground = false }
