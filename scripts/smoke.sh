#!/bin/sh
# Smoke test of the real binary: starts bin/qalam under Xvfb on a temporary
# project (and a temporary HOME), waits for its window, takes a screenshot
# and checks that it is not blank, labels the first word of the article
# with the keyboard, quits with Ctrl+Q and checks that the app exited with
# status 0 within a few seconds and that the span is in the project.
#
#   scripts/smoke.sh [SCREENSHOT.png]
#
# Needs xvfb, xdotool and imagemagick (.ci/run installs them).
set -eu
cd "$(dirname "$0")/.."
shot_out=${1:-}

tmp=$(mktemp -d)
xvfb=""
app=""
cleanup() {
	[ -n "$app" ] && kill "$app" 2>/dev/null || true
	[ -n "$xvfb" ] && kill "$xvfb" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
	echo "smoke: FAIL: $*" >&2
	[ -f "$tmp/app.log" ] && sed 's/^/  app: /' "$tmp/app.log" >&2
	exit 1
}

export HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" LANG=C.UTF-8
mkdir -p "$HOME"
db="$tmp/smoke.qalam"
./bin/qalam import --db "$db" assets/samples/reuters-ar-2025-12-05.txt assets/samples/JA-*.txt >"$tmp/import.log" 2>&1 ||
	fail "import: $(cat "$tmp/import.log")"

# A display of our own.
n=$((90 + $$ % 100))
while [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
Xvfb ":$n" -screen 0 1400x900x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
xvfb=$!
export DISPLAY=":$n"
i=0
until xdotool getdisplaygeometry >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -gt 100 ] && fail "Xvfb did not start: $(cat "$tmp/xvfb.log")"
	sleep 0.1
done

start=$(date +%s%N)
./bin/qalam --db "$db" --annotator smoke >"$tmp/app.log" 2>&1 &
app=$!
i=0
win=""
until win=$(xdotool search --onlyvisible --name 'Qalam' 2>/dev/null | tail -n1) && [ -n "$win" ]; do
	i=$((i + 1))
	[ $i -gt 300 ] && fail "no window named Qalam after 30 s"
	kill -0 "$app" 2>/dev/null || fail "the app exited before showing its window"
	sleep 0.1
done
echo "smoke: window $win ($(xdotool getwindowname "$win")) after $((($(date +%s%N) - start) / 1000000)) ms"
sleep 1.5 # let it draw

import -window root "$tmp/shot.png"
colours=$(identify -format '%k' "$tmp/shot.png")
sd=$(identify -format '%[fx:standard_deviation]' "$tmp/shot.png")
echo "smoke: screenshot has $colours colours, standard deviation $sd"
[ "$colours" -gt 64 ] || fail "the screenshot looks blank ($colours colours)"
[ -n "$shot_out" ] && cp "$tmp/shot.png" "$shot_out"

# The keyboard: select the first word (Left goes forward in Arabic), label it.
win=$(xdotool search --onlyvisible --name 'Qalam' | tail -n1)
xdotool key --window "$win" ctrl+shift+Left
sleep 0.3
xdotool key --window "$win" 1
sleep 0.5

xdotool key --window "$win" ctrl+q
i=0
while kill -0 "$app" 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 50 ] && fail "the app is still running 5 s after Ctrl+Q"
	sleep 0.1
done
rc=0
wait "$app" || rc=$?
app=""
[ "$rc" -eq 0 ] || fail "the app exited with status $rc after Ctrl+Q"
echo "smoke: Ctrl+Q closed the app, status 0"

./bin/qalam stats --db "$db" --json >"$tmp/stats.json" 2>/dev/null || fail "stats"
tr -d ' \n' <"$tmp/stats.json" | grep -q '"smoke":{"kind":"annotator","spans":1,' ||
	fail "the span labelled with the keyboard is not in the project: $(cat "$tmp/stats.json")"
echo "smoke: the span typed before quitting is in the project"
echo "smoke: 1 passed, 0 failed"
