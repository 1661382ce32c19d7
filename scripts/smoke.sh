#!/bin/sh
# Smoke test of the real binary: starts bin/qalam under Xvfb on a temporary
# project (and a temporary HOME), waits for its window, takes a screenshot
# and checks that it is not blank, labels the first word of the article
# with the keyboard, quits with Ctrl+Q and checks that the app exited with
# status 0 within a few seconds and that the span is in the project file;
# then labels another word and ends the app with SIGTERM, which must close
# the project as Ctrl+Q does.
#
#   scripts/smoke.sh [SCREENSHOT.png]
#
# Needs xvfb, xdotool and imagemagick (.ci/run installs them).
set -eu
cd "$(dirname "$0")/.."
shot_out=${1:-}
. scripts/x11.sh

export HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" LANG=C.UTF-8
mkdir -p "$HOME"
db="$tmp/smoke.qalam"
./bin/qalam import --db "$db" assets/samples/reuters-ar-2025-12-05.txt assets/samples/JA-*.txt >"$tmp/import.log" 2>&1 ||
	fail "import: $(cat "$tmp/import.log")"

start_display
start_app Qalam 1500 ./bin/qalam --db "$db" --annotator smoke
echo "smoke: window $win ($(xdotool getwindowname "$win")) after $((($(date +%s%N) - started) / 1000000)) ms"
sleep 1.5 # let it draw

import -window root "$tmp/shot.png"
colours=$(identify -format '%k' "$tmp/shot.png")
sd=$(identify -format '%[fx:standard_deviation]' "$tmp/shot.png")
echo "smoke: screenshot has $colours colours, standard deviation $sd"
[ "$colours" -gt 64 ] || fail "the screenshot looks blank ($colours colours)"
[ -n "$shot_out" ] && cp "$tmp/shot.png" "$shot_out"

# key sends keys to the window found above, trying a few times: a search
# or a send can fail while the app maps or unmaps a window of its own. The
# pointer moves over the window first: with no window manager the app may
# not wake for a key event alone until the next event arrives.
key() {
	for _ in 1 2 3 4 5; do
		if xdotool mousemove --window "$win" 200 300 2>/dev/null && xdotool key --window "$win" "$@" 2>/dev/null; then
			return 0
		fi
		sleep 0.2
		win=$(xdotool search --onlyvisible --name 'Qalam' 2>/dev/null | tail -n1) || true
	done
	return 1
}
# label KEY N: with the keyboard, selects the first word (Left goes
# forward in Arabic), labels it with KEY, and waits for the project to
# hold N spans of the annotator while the app runs.
label() {
	key ctrl+shift+Left || fail "the window is gone"
	sleep 0.3
	key "$1" || fail "the window is gone"
	i=0
	until ./bin/qalam stats --db "$db" --json 2>/dev/null | tr -d ' \n' | grep -q '"smoke":{"kind":"annotator","spans":'"$2"','; do
		i=$((i + 1))
		[ $i -gt 50 ] && fail "the span labelled with the keyboard ($1) is not in the project after 5 s"
		sleep 0.1
	done
}
label 1 1
echo "smoke: the span labelled with the keyboard is in the project"

# The app may quit, and its window go, before the keys are let go: its
# exit tells.
key ctrl+q || true
wait_exit "$app" 50 || fail "the app is still running 5 s after Ctrl+Q"
app=""
[ "$exit_status" -eq 0 ] || fail "the app exited with status $exit_status after Ctrl+Q"
echo "smoke: Ctrl+Q closed the app, status 0"

./bin/qalam stats --db "$db" --json >"$tmp/stats.json" 2>/dev/null || fail "stats"
tr -d ' \n' <"$tmp/stats.json" | grep -q '"smoke":{"kind":"annotator","spans":1,' ||
	fail "the span labelled with the keyboard is not in the project: $(cat "$tmp/stats.json")"
echo "smoke: the span typed before quitting is in the project"
[ ! -s "$db-wal" ] || fail "Ctrl+Q left the project's write-ahead log behind: the file alone lacks the last edits"

# Ended by the system (a logout sends SIGTERM): the app closes its project
# as Ctrl+Q does, so that the project file alone holds every edit.
start_app Qalam 1500 ./bin/qalam --db "$db" --annotator smoke
sleep 1.5
label 2 2
kill -TERM "$app"
wait_exit "$app" 50 || fail "the app is still running 5 s after SIGTERM"
app=""
[ "$exit_status" -eq 0 ] || fail "the app exited with status $exit_status after SIGTERM"
[ ! -s "$db-wal" ] || fail "after SIGTERM the project's write-ahead log is left behind: the file alone lacks the last edits"
echo "smoke: SIGTERM closed the app and its project, status 0"
echo "smoke: 1 passed, 0 failed"
