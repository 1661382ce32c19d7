#!/bin/sh
# Measures qalam agree on a project of DOCS documents (100,000 unless
# given) that three annotators finished with ten spans each, built once
# into the temporary folder by the project package's benchmarks: its time
# and peak resident memory (/usr/bin/time -v). The first run includes the
# soundness check that a large file gets the first time it is read after
# a change; the runs after it are what agree costs from then on.
#
#   scripts/measure-agree.sh [DOCS]   (after make build)
set -eu
cd "$(dirname "$0")/.."
docs=${1:-100000}
case "$docs" in *[!0-9]* | "") echo "DOCS must be a whole number" >&2 && exit 2 ;; esac
project="${TMPDIR:-/tmp}/qalam-agree-$docs.qalam"
# Builds the project when missing, and brings it up to date.
QALAM_BENCH_DOCS=$docs GOFLAGS=-tags=sqlite_fts5 go test -count 1 -timeout 0 -run '^$' -bench '^BenchmarkEachDocumentStore$' -benchtime 1x ./project/ >/dev/null ||
	{ echo "could not build $project" >&2 && exit 1; }
echo "project: $(stat -c %s "$project") bytes, $docs documents x 3 layers x 10 spans"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A cache folder of its own: the first run does not know the file.
export XDG_CACHE_HOME="$tmp/cache"
for run in "first (with the check)" second third; do
	/usr/bin/time -v ./bin/qalam agree --db "$project" >"$tmp/out" 2>"$tmp/time.txt" ||
		{ cat "$tmp/time.txt" >&2 && exit 1; }
	printf '%s: %s elapsed, %s MB resident, %s s user, %s s system; %s\n' "$run" \
		"$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tmp/time.txt")" \
		"$(($(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/time.txt") / 1024))" \
		"$(sed -n 's/.*User time (seconds): //p' "$tmp/time.txt")" \
		"$(sed -n 's/.*System time (seconds): //p' "$tmp/time.txt")" \
		"$(grep -m1 'Documents read' "$tmp/out")"
done
