package app

// The tests run the recommender's learning and proposing at once, on the
// test's goroutine (see workMode).
func init() { learnMode = atOnce }
