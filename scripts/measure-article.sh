#!/bin/sh
# Measures the app on a project of one article of SIZE_MB megabytes: the
# Reuters sample article repeated (with "one-paragraph", its line breaks
# replaced by spaces, so that the article is a single paragraph). It
# reports how long after starting the app its window shows and the
# article is painted in it, and the app's peak resident memory
# (/usr/bin/time -v) after scrolling through the article: wheel steps
# down, Ctrl+End to its end, wheel steps up, Ctrl+Home back.
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

. scripts/x11.sh
export HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" LANG=C.UTF-8
mkdir -p "$HOME"
start_display

# A copy, so that the run's edits stay out of the cache.
cp "$cache.qalam" "$tmp/p.qalam"
ms() { echo $((($(date +%s%N) - started) / 1000000)); }
# (the wait gives up after ten minutes at the least)
start_app Qalam 30000 /usr/bin/time -o "$tmp/time.txt" -v ./bin/qalam --db "$tmp/p.qalam" --annotator bench
shown=$(ms)
# Painted: the middle of the article pane holds glyphs (many colours).
# A look takes about 0.2 s: the paint came between the beginnings of the
# last look that did not see it and of the first that did.
unseen=$shown
while :; do
	seen=$(ms)
	[ "$(import -window "$win" -crop 400x300+450+150 +repage png:- 2>/dev/null | identify -format '%k' - 2>/dev/null || echo 0)" -gt 20 ] && break
	running "$app" || fail "the app exited before the article was painted"
	unseen=$seen
	sleep 0.02
done
painted=$(ms)
echo "window shown after $shown ms, article painted after $painted ms (between $unseen and $seen ms)"

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
