#!/bin/sh
# Measures how long Qalam takes from launch to its first window, warm: the
# program started as its desktop entry does (no arguments, the sample
# project, an annotator already known), under Xvfb, RUNS times after one
# start that is not counted (it makes the sample project and warms the
# caches). The floor is the same measurement of ImageMagick's display
# showing a 16×16 image: what starting any X program and seeing its window
# costs here.
#
#   scripts/bench-start.sh [BINARY] [RUNS]    (default: qalam on PATH, 10)
#
# Needs xvfb, xdotool and imagemagick. Prints one line per program: runs,
# minimum, median and maximum in milliseconds.
set -eu
cd "$(dirname "$0")/.."
bin=$(command -v "${1:-qalam}") || { echo "bench-start: no ${1:-qalam}" >&2; exit 2; }
runs=${2:-10}

. scripts/x11.sh
export HOME="$tmp/home" LANG=C.UTF-8
unset XDG_DATA_HOME XDG_CONFIG_HOME
mkdir -p "$HOME"
start_display

# once NAME ARGS...: start, wait for a window named NAME, print the
# milliseconds, close it. A start that Xvfb refuses ("Failed to open
# display", which happens now and then) is tried again, and not counted.
once() {
	name=$1
	shift
	for _ in 1 2 3; do
		t0=$(date +%s%N)
		"$@" >"$tmp/app.log" 2>&1 &
		app=$!
		i=0
		until xdotool search --onlyvisible --name "$name" >/dev/null 2>&1; do
			if ! kill -0 "$app" 2>/dev/null; then
				grep -qi "open display\|open X server" "$tmp/app.log" && break
				fail "$* exited before its window"
			fi
			i=$((i + 1))
			[ $i -gt 3000 ] && fail "no window named $name after 30 s"
			sleep 0.005
		done
		if kill -0 "$app" 2>/dev/null; then
			echo $((($(date +%s%N) - t0) / 1000000))
			stop "$app"
			app=""
			return 0
		fi
		if kill -0 "$xvfb_pid" 2>/dev/null; then
			echo "bench-start: display $DISPLAY refused $1; again" >&2
			sleep 0.5
		else
			echo "bench-start: Xvfb on $DISPLAY is gone; again on a new one" >&2
			start_display
		fi
	done
	fail "$* could not open display $DISPLAY three times"
}

# summary LABEL FILE: runs, min, median, max of the numbers in FILE.
summary() {
	sort -n "$2" | awk -v label="$1" '{ v[NR] = $1 } END {
		printf "%-28s %3d runs  min %5d ms  median %5d ms  max %5d ms\n", label, NR, v[1], v[int((NR + 1) / 2)], v[NR] }'
}

convert -size 16x16 xc:white "$tmp/floor.png"
once ImageMagick display -title ImageMagick "$tmp/floor.png" >/dev/null
once Qalam "$bin" --annotator bench >/dev/null
: >"$tmp/floor" && : >"$tmp/qalam"
for _ in $(seq "$runs"); do
	once ImageMagick display -title ImageMagick "$tmp/floor.png" >>"$tmp/floor"
	once Qalam "$bin" >>"$tmp/qalam"
done
summary "floor (display, 16x16 PNG)" "$tmp/floor"
summary "qalam to first window" "$tmp/qalam"
