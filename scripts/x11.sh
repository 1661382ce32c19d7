# Helpers for the scripts that start Qalam under Xvfb (dist-check.sh,
# bench-start.sh, smoke.sh, screens.sh, measure-article.sh and
# measure100k.sh), which source it (. scripts/x11.sh). Sourcing it makes
# $tmp, a temporary folder, and sets the exit trap: it stops the app the
# script started ($app) and Xvfb, waiting for them to be gone (so that a
# run right after meets no server still shutting down on its display),
# runs on_exit (which a script that has more to undo defines again), and
# removes $tmp.

tmp=$(mktemp -d)
app=""
xvfb_pid=""
me=$(basename "$0" .sh) # the script's name, in its messages
on_exit() { :; }
trap 'stop "$app"; stop "$xvfb_pid"; on_exit; rm -rf "$tmp"' EXIT

# fail says why the script failed, with what the logs in $tmp say (the
# app's, the command line's and Xvfb's), and exits 1.
fail() {
	echo "$me: FAIL: $*" >&2
	for log in app cli xvfb; do
		[ -s "$tmp/$log.log" ] && sed "s/^/  $log: /" "$tmp/$log.log" >&2
	done
	[ -n "$app" ] && ! running "$app" && echo "  the app is no longer running" >&2
	exit 1
}

# running PID tells whether process PID runs. A child of this shell that
# has ended stays a zombie, which kill -0 still reaches, until the shell
# waits for it, and it does not while a $(...) runs.
running() {
	{ read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
	case $stat in *") Z "*) return 1 ;; esac
}

# stop ends a process we started: politely, then for sure.
stop() {
	[ -n "$1" ] || return 0
	kill "$1" 2>/dev/null || return 0
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

# start_display starts an Xvfb of our own and sets DISPLAY. It takes a
# random free display number from 100 up: other programs on the machine
# take the low ones (:0, :1, :99), and one that starts a server on our
# number takes our clients' connections away ("Failed to open display").
start_display() {
	for _ in 1 2 3 4 5; do
		n=$(($(od -An -N2 -tu2 /dev/urandom) % 900 + 100))
		while [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
		Xvfb ":$n" -screen 0 1400x900x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
		xvfb_pid=$!
		i=0
		until DISPLAY=":$n" xdotool getdisplaygeometry >/dev/null 2>&1; do
			i=$((i + 1))
			kill -0 "$xvfb_pid" 2>/dev/null || break
			[ $i -gt 100 ] && fail "Xvfb :$n did not start"
			sleep 0.1
		done
		if kill -0 "$xvfb_pid" 2>/dev/null; then
			export DISPLAY=":$n"
			return 0
		fi
		wait "$xvfb_pid" 2>/dev/null || true # taken meanwhile: another number
	done
	fail "Xvfb did not start: $(cat "$tmp/xvfb.log")"
}

# wait_window PID STEPS [NAME] waits for a visible window whose name
# matches NAME (Qalam by default) while process PID runs, looking every
# 0.02 s, and prints its id. Returns 1 when PID exits first, 2 after STEPS
# looks (1500: 30 s at the least).
wait_window() {
	i=0
	until w=$(xdotool search --onlyvisible --name "${3:-Qalam}" 2>/dev/null | tail -n1) && [ -n "$w" ]; do
		running "$1" || return 1
		i=$((i + 1))
		[ "$i" -gt "$2" ] && return 2
		sleep 0.02
	done
	echo "$w"
}

# start_app NAME STEPS COMMAND... starts COMMAND as $app, its output in
# $tmp/app.log, and waits for its window (wait_window NAME STEPS), which it
# sets win to; started is when it started (date +%s%N). It fails when the
# app exits before its window or shows none. Xvfb now and then refuses a
# client ("Failed to open display", in about one scripted session in ten
# here): that is the test machine's trouble, not the app's, and the app is
# started again on a new display, three times at the most, from the
# settings it had ($XDG_CONFIG_HOME as it was before the first try: once a
# try after a refused one found the preferences file empty).
start_app() {
	app_name=$1 app_steps=$2
	shift 2
	if [ -n "${XDG_CONFIG_HOME:-}" ] && [ -d "$XDG_CONFIG_HOME" ]; then
		rm -rf "$tmp/config-before"
		cp -a "$XDG_CONFIG_HOME" "$tmp/config-before"
	fi
	for app_try in 1 2 3; do
		if [ "$app_try" -gt 1 ] && [ -d "$tmp/config-before" ]; then
			rm -rf "$XDG_CONFIG_HOME"
			cp -a "$tmp/config-before" "$XDG_CONFIG_HOME"
		fi
		started=$(date +%s%N)
		"$@" >"$tmp/app.log" 2>&1 &
		app=$!
		app_rc=0
		win=$(wait_window "$app" "$app_steps" "$app_name") || app_rc=$?
		case $app_rc in
		0) return 0 ;;
		2) fail "no window named $app_name after $((app_steps / 50)) s" ;;
		esac
		if [ "$app_try" -eq 3 ] || ! grep -q "Failed to open display" "$tmp/app.log"; then
			fail "the app exited before showing its window"
		fi
		echo "$me: the app could not open display $DISPLAY; once more on a new one. It said:"
		sed -n '1,2s/^/  /p' "$tmp/app.log"
		stop "$app"
		stop "$xvfb_pid"
		start_display
	done
}

# wait_exit PID TENTHS waits for process PID (a child of this shell) to
# end and sets exit_status. Returns 1 when it is still running after
# TENTHS tenths of a second, once it has asked the app for the stacks of
# its goroutines (SIGQUIT: a Go program writes them to its log, which
# fail shows, and ends), to tell where it was held.
wait_exit() {
	i=0
	while kill -0 "$1" 2>/dev/null; do
		i=$((i + 1))
		if [ "$i" -gt "$2" ]; then
			kill -QUIT "$1" 2>/dev/null && sleep 1
			return 1
		fi
		# with no window manager the app may wait for the next event
		[ $((i % 10)) -eq 0 ] && xdotool mousemove 210 310 2>/dev/null
		sleep 0.1
	done
	exit_status=0
	wait "$1" || exit_status=$?
}
