#!/bin/sh
# A scripted session of the real binary under Xvfb, in English and in
# Arabic, that takes the screenshots of what Fyne's test driver cannot
# show and checks that the app lives through it: the workspace (a span
# "5000 دولار" in the list, a search's hits marked), the window at its
# minimum size and at 1100 px, the shortcuts (F1), a review project that
# asks who is working, the agreement window, the adjudication window
# (closed with Escape), then the agreement window's Measure dropdown
# opened after it (it once crashed there). Each screenshot must not be
# blank, the app must be running after each step, and Ctrl+Q must end it
# with status 0.
#
#   scripts/screens.sh [OUTDIR]      (screenshots are kept in OUTDIR)
#
# Needs bin/qalam (make build), xvfb, xdotool, x11-xkb-utils and
# imagemagick (.ci/run installs them). About a minute.
set -eu
cd "$(dirname "$0")/.."
out=${1:-}
. scripts/x11.sh
[ -n "$out" ] || out="$tmp/shots"
mkdir -p "$out"
shots=0

export HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" LANG=C.UTF-8
mkdir -p "$HOME"
prefs="$XDG_CONFIG_HOME/fyne/org.qalam.annotate/preferences.json"
q() { ./bin/qalam "$@" >>"$tmp/cli.log" 2>&1 || fail "qalam $*"; }

# The workspace's project: the sample articles, one about money and
# Egypt, and a label for sums of money.
ws="$tmp/news.qalam"
cat >"$tmp/egypt-budget.txt" <<'EOF'
5000 دولار دفعتها الحكومة بمصر عن كل أسرة، أي دولار. $5,000 في المجموع.
القاهرة، 5 ديسمبر (رويترز) - قال وزير المالية المصري إن مصر تنتظر دفعة ثانية من صندوق النقد الدولي (IMF) بقيمة 1.2 مليار دولار قبل نهاية العام.
وأضاف الوزير في مؤتمر صحفي بالعاصمة الإدارية أن برنامج الإصلاح الذي بدأ عام 2016 "يسير وفق الخطة"، مشيرًا إلى أن التضخم تراجع إلى 12.5% في نوفمبر، وأن لمصر حصة من قرض جديد.
وقالت كريستالينا غورغييفا (Kristalina Georgieva)، المديرة العامة للصندوق، في بيان إن المراجعة الرابعة ستُستكمل في يناير.
EOF
q import --db "$ws" "$tmp/egypt-budget.txt" assets/samples/reuters-ar-2025-12-05.txt assets/samples/JA-*.txt
q labels --db "$ws" add MONEY --color '#f58231' --hotkey 4

# The review project: two annotators who differ on a name's extent and on
# a place's label (CoNLL: the text is the tokens joined by spaces).
review="$tmp/review.qalam"
conll() {
	printf -- '-DOCSTART- -X- O O\n\nاستقبل O\nالرئيس O\nعبد %s\nالفتاح %s\nالسيسي %s\nفي O\nالقاهرة %s\nالمبعوث O\nستيف B-PERSON\nويتكوف I-PERSON\nقبل O\nقمة B-EVENT\nشرم I-EVENT\nالشيخ I-EVENT\n\n' "$@"
}
conll B-PERSON I-PERSON I-PERSON B-PLACE >"$tmp/cairo-visit.conll"
conll O O B-PERSON B-EVENT >"$tmp/cairo-visit-2.conll"
q import --db "$review" --format conll --layer amina "$tmp/cairo-visit.conll"
q import --db "$review" --format conll --layer bilal "$tmp/cairo-visit-2.conll"

start_display

# window NAME waits for a visible window whose name matches NAME and sets
# win to it.
window() {
	win=$(wait_window "$app" 750 "$1") || fail "no window named $1 after 15 s, or the app is not running"
}
alive() { [ -n "$app" ] && kill -0 "$app" 2>/dev/null || fail "the app is not running"; }
# gone NAME waits until no window's name matches NAME.
gone() {
	i=0
	while xdotool search --onlyvisible --name "$1" >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -gt 50 ] && fail "the window $1 is still open"
		sleep 0.1
	done
}
# start starts the app and waits for its window.
start() {
	start_app "$qalam" 750 ./bin/qalam "$@"
	sleep 1.5
}
# key sends keys to the window found last: with no window manager it is
# given the keyboard first, and the pointer moves over a part of it no
# other window covers (at, within the window), which also wakes the app.
at="300 400"
key() {
	xdotool windowfocus --sync "$win" 2>/dev/null || fail "no window $win to send $* to"
	# shellcheck disable=SC2086
	xdotool mousemove --window "$win" $at 2>/dev/null || true
	xdotool key --delay 60 "$@" || fail "keys $*"
	sleep 0.4
	alive
}
# shot NAME saves the screen as NAME.png, which must not be blank.
shot() {
	sleep 0.6
	alive
	import -window root "$out/$1.png"
	colours=$(identify -format '%k' "$out/$1.png")
	[ "$colours" -gt 64 ] || fail "$1.png looks blank ($colours colours)"
	shots=$((shots + 1))
}
quit() {
	window "$qalam"
	xdotool windowfocus --sync "$win" mousemove --window "$win" 300 400 2>/dev/null || fail "no window $win to quit"
	# The app may quit, and its window go, before the keys are let go:
	# its exit tells.
	xdotool key ctrl+q 2>/dev/null || true
	wait_exit "$app" 50 || fail "the app is still running 5 s after Ctrl+Q"
	app=""
	[ "$exit_status" -eq 0 ] || fail "the app exited with status $exit_status after Ctrl+Q"
	# Said when Fyne's loop did not end the process and the app's grace
	# timer did (cmd/qalam: endAfterClose).
	if grep -q "Fyne had not ended the app" "$tmp/app.log"; then
		echo "$me: the app ended by its grace timer after its window closed"
	fi
}
# language CODE: the interface's language, as View › Language remembers
# it, in the light theme.
language() {
	mkdir -p "$(dirname "$prefs")"
	printf '{"language":"%s","theme":"light","guideDismissed":true}\n' "$1" >"$prefs"
}

for lang in en ar; do
	language "$lang"
	# The windows' names in the language: the app, the shortcuts, the
	# agreement and adjudication windows.
	if [ "$lang" = ar ]; then
		qalam='قلم' shortcuts='الاختصارات' agreement='الاتفاق' adjudicate='التحكيم' measure_x=235 annotator='أميرة'
	else
		qalam='Qalam' shortcuts='Shortcuts' agreement='Agreement' adjudicate='Adjudicate' measure_x=945 annotator=amira
	fi
	start --db "$ws" --annotator "$annotator"
	# The first article: "5000 دولار" labelled MONEY with the keyboard.
	key ctrl+shift+Left ctrl+shift+Left 4
	shot "$lang-workspace"
	win_id=$win
	xdotool windowsize "$win_id" 971 466
	shot "$lang-971x466"
	xdotool windowsize "$win_id" 1100 700
	shot "$lang-1100x700"
	xdotool windowsize "$win_id" 1280 800
	# A search: the next document of the list opens with its hits.
	# Arabic is typed on an Arabic keyboard layout.
	key ctrl+f
	setxkbmap ara
	xdotool type --delay 150 'مصر'
	setxkbmap us
	key Return ctrl+Next
	shot "$lang-search"
	key ctrl+g
	shot "$lang-search-next"
	key F1
	window "$shortcuts"
	shot "$lang-shortcuts"
	key Escape
	gone "$shortcuts"
	quit

	# A review project opened without a name asks who is working.
	start --db "$review"
	shot "$lang-who"
	quit
	start --db "$review" --annotator rev
	key ctrl+r
	window "$agreement"
	sleep 1
	shot "$lang-agreement"
	# The main window's right edge shows beside the agreement window.
	window "$qalam"
	at="1240 400"
	key ctrl+shift+r
	at="300 400"
	sleep 1
	window "$adjudicate"
	shot "$lang-adjudicate"
	key 1
	shot "$lang-adjudicate-settled"
	key Escape
	gone "$adjudicate"
	# The agreement window's Measure dropdown: clicked, near the window's
	# right edge (its left in Arabic).
	window "$agreement"
	xdotool windowfocus --sync "$win" mousemove --window "$win" "$measure_x" 26 click 1 || fail "no $agreement window to click"
	alive
	shot "$lang-measure"
	key Escape
	quit
done
echo "screens: $shots screenshots in $out, the app alive after every step and ended by Ctrl+Q"
