#!/bin/sh
# Measures the app on a project of DOCS documents (100,000 unless given)
# built from the ANT corpus (the shared corpora must be beside the
# repository, or QALAM_SHARED set): how long until its window shows, and
# its peak resident memory (/usr/bin/time -v) after scrolling the document
# list from top to far down with the mouse wheel, searching the corpus and
# opening documents.
#
#   scripts/measure100k.sh [DOCS]   (after make build; needs xvfb, xdotool)
set -u
cd "$(dirname "$0")/.."
docs=${1:-100000}
case "$docs" in *[!0-9]* | "") echo "DOCS must be a whole number" >&2 && exit 2 ;; esac
project="${TMPDIR:-/tmp}/qalam-bench-$docs.qalam"
if [ ! -f "$project" ]; then
	echo "building $project (once)…"
	QALAM_BENCH_DOCS=$docs GOFLAGS=-tags=sqlite_fts5 go test -count 1 -timeout 0 -run '^TestProject$' ./app/internal/benchdata/ >/dev/null ||
		{ echo "could not build $project" >&2 && exit 1; }
fi
. scripts/x11.sh
export HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" LANG=C.UTF-8
mkdir -p "$HOME"
start_display

# A copy, so that the run's edits and search index stay out of the cache.
# (MEASURE_PROJECT: another project file to copy.) The copy is flushed to
# disk first, so that its writing does not count in the app's time.
cp "${MEASURE_PROJECT:-$project}" "$tmp/p.qalam" && sync
start_app Qalam 30000 /usr/bin/time -o "$tmp/time.txt" -v ./bin/qalam --db "$tmp/p.qalam" --annotator bench
echo "window shown after $((($(date +%s%N) - started) / 1000000)) ms"
sleep 1
win=$(xdotool search --onlyvisible --name 'Qalam' | tail -n1)
# Scroll the document list (left) with the wheel: 3 rows a notch.
xdotool mousemove 150 400
t0=$(date +%s%N)
xdotool click --repeat 3000 --delay 2 5
echo "3000 wheel notches down the list in $((($(date +%s%N) - t0) / 1000000)) ms"
# Open a few documents, search the corpus (builds the index first).
for i in 1 2 3 4 5; do xdotool key --window "$win" ctrl+Next; sleep 0.2; done
if [ "${MEASURE_SEARCH:-1}" = 1 ]; then
	xdotool key --window "$win" ctrl+f
	xdotool type --window "$win" 'tunis'
	xdotool key --window "$win" Return
	sleep 2
fi
import -window root "$tmp/after.png" && cp "$tmp/after.png" "${MEASURE_SHOT:-/dev/null}" 2>/dev/null || true
xdotool key --window "$win" ctrl+q
wait "$app" || true
app=""
grep -E "Maximum resident set size|Elapsed \(wall|Exit status|User time|System time" "$tmp/time.txt" || cat "$tmp/time.txt"
