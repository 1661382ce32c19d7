#!/bin/sh
# Measures the app on a project of one article of SIZE_MB megabytes: the
# Reuters sample article repeated (with "one-paragraph", its line breaks
# replaced by spaces, so that the article is a single paragraph). It
# reports how long after starting the app its window shows, the article
# is painted in it and the document is open, and the app's peak resident
# memory (/usr/bin/time -v) after scrolling through the article: wheel
# steps down, Ctrl+End to its end, wheel steps up, Ctrl+Home back. It first
# measures the floor the same way: the app on the seed article alone.
#
#   scripts/measure-article.sh SIZE_MB [one-paragraph]
#
# Run it after make build; it needs xvfb, xdotool and imagemagick. The
# article and its project are built once, in $TMPDIR. MEASURE_SHOT=FILE
# keeps a screenshot taken at the article's end.
set -eu
cd "$(dirname "$0")/.."
size=${1:?usage: scripts/measure-article.sh SIZE_MB [one-paragraph]}
shape=${2:-paragraphs}
case "$size" in *[!0-9]* | "") echo "SIZE_MB must be a whole number" >&2 && exit 2 ;; esac
case "$shape" in paragraphs | one-paragraph) ;; *) echo "unknown shape $shape" >&2 && exit 2 ;; esac

cache="${TMPDIR:-/tmp}/qalam-article-${size}mb-$shape"
if [ ! -f "$cache.qalam" ]; then
	echo "building $cache.qalam (once)…"
	if [ "$shape" = one-paragraph ]; then
		tr '\n' ' ' <assets/samples/reuters-ar-2025-12-05.txt >"$cache.part"
	else
		cp assets/samples/reuters-ar-2025-12-05.txt "$cache.part"
	fi
	# Whole copies only, so that the text stays valid UTF-8: double a
	# chunk to a 64th of the size, then append it until the size is
	# reached.
	while [ "$(stat -c %s "$cache.part")" -lt $((size * 1024 * 1024 / 64)) ]; do
		cat "$cache.part" "$cache.part" >"$cache.tmp" && mv "$cache.tmp" "$cache.part"
	done
	: >"$cache.txt"
	while [ "$(stat -c %s "$cache.txt")" -lt $((size * 1024 * 1024)) ]; do
		cat "$cache.part" >>"$cache.txt"
	done
	rm -f "$cache.part"
	./bin/qalam import --db "$cache.qalam" "$cache.txt" >/dev/null
fi
echo "article: $(stat -c %s "$cache.txt") bytes, $(wc -m <"$cache.txt") code points, $(wc -l <"$cache.txt") line breaks; project $(stat -c %s "$cache.qalam") bytes"

# The floor: a project of the seed article alone (3 KB), measured the same
# way in the same run, is what the app takes to show any article here.
floor="${TMPDIR:-/tmp}/qalam-article-floor.qalam"
[ -f "$floor" ] || ./bin/qalam import --db "$floor" assets/samples/reuters-ar-2025-12-05.txt >/dev/null

. scripts/x11.sh
export LANG=C.UTF-8
start_display

# The watcher (scripts/paintwatch) looks at the window every 10 ms and
# takes a few hundredths of a second of processor time in all: looking
# through ImageMagick took most of one of the two cores the app starts on,
# and put half a second on the app's first paint here.
PATH="$(sh scripts/deps.sh):$PATH" go build -o "$tmp/paintwatch" ./scripts/paintwatch

# open_article NAME PROJECT [COMMAND...] starts the app (under COMMAND) on
# a copy of PROJECT, so that the run's edits stay out of the cache, as a
# new user NAME, and waits until its window shows, the article is painted
# (the middle of the article pane holds glyphs, many colours) and the
# document is open (its title shows above the article; a long document's
# start shows before it is open). Each paint came between the last look
# that did not see it (unseen, opening) and the first that did (seen,
# opened), 10 ms apart.
open_article() {
	name=$1 project=$2
	shift 2
	export HOME="$tmp/$name" XDG_DATA_HOME="$tmp/$name/data" XDG_CONFIG_HOME="$tmp/$name/config" XDG_CACHE_HOME="$tmp/$name/cache"
	mkdir -p "$HOME"
	cp "$project" "$tmp/$name.qalam"
	started=$(date +%s%N)
	"$@" ./bin/qalam --db "$tmp/$name.qalam" --annotator bench >"$tmp/app.log" 2>&1 &
	app=$!
	"$tmp/paintwatch" "$app" Qalam 450 150 400 300 400 45 180 25 >"$tmp/watch.txt" 2>>"$tmp/app.log" ||
		fail "the article was not painted, or its title not shown"
	read -r _ shown win <"$tmp/watch.txt"
	shown=$(((shown - started) / 1000000))
	# the words of the lines "painted K NS UNSEEN" of the article (0) and the title (1)
	set -- $(grep '^painted 0 ' "$tmp/watch.txt") $(grep '^painted 1 ' "$tmp/watch.txt")
	seen=$((($3 - started) / 1000000)) unseen=$((($4 - started) / 1000000))
	opened=$((($7 - started) / 1000000)) opening=$((($8 - started) / 1000000))
}

open_article floor "$floor"
echo "floor, the seed article alone: window shown after $shown ms, article painted between $unseen and $seen ms, open between $opening and $opened ms"
stop "$app"
app=""

open_article article "$cache.qalam" /usr/bin/time -o "$tmp/time.txt" -v
echo "window shown after $shown ms, article painted between $unseen and $seen ms, open between $opening and $opened ms"

# key sends keys to the window, looking for it again when a send fails (a
# window the app maps or unmaps of its own can take the name a moment).
key() {
	for _ in 1 2 3 4 5; do
		xdotool key --window "$win" "$@" 2>/dev/null && return 0
		sleep 0.2
		win=$(xdotool search --onlyvisible --name 'Qalam' 2>/dev/null | tail -n1) || true
	done
	return 1
}
xdotool mousemove --window "$win" 650 400
t0=$(date +%s%N)
xdotool click --repeat 200 --delay 5 5
echo "200 wheel steps down in $((($(date +%s%N) - t0) / 1000000)) ms"
key ctrl+End
sleep 1
import -window root "$tmp/end.png" && [ -n "${MEASURE_SHOT:-}" ] && cp "$tmp/end.png" "$MEASURE_SHOT"
t0=$(date +%s%N)
xdotool click --repeat 200 --delay 5 4
echo "200 wheel steps up from the end in $((($(date +%s%N) - t0) / 1000000)) ms"
key ctrl+Home
sleep 1
key ctrl+q
wait "$app" || true
app=""
grep -E "Maximum resident set size|Elapsed \(wall|Exit status|User time|System time" "$tmp/time.txt" || cat "$tmp/time.txt"
