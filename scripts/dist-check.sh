#!/bin/sh
# Checks the packages in dist/ (make dist-check, run by CI) as a user would
# meet them, on this Debian machine (installing needs root or sudo; qalam
# is not installed afterwards):
#   - the desktop entries pass desktop-file-validate, the metainfo
#     appstreamcli validate --no-net; the .deb holds the icon in every
#     hicolor size;
#   - apt-get installs the .deb; the installed qalam prints its version and
#     imports and counts articles;
#   - the desktop entry's Exec line starts the app under Xvfb as a new user:
#     a window appears (the start time is printed), Ctrl+Q exits with 0;
#   - apt-get remove takes the program away and leaves the user's projects;
#   - Wine runs qalam.exe from the zip: version, and stats on a project.
#
#   scripts/dist-check.sh [SCREENSHOT.png]   (the first window, to look at)
#
# Needs what make dist-check installs (desktop-file-utils, appstream, xvfb,
# xdotool, imagemagick, wine64, unzip).
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
shot_out=${1:-}
version=$(sh scripts/version.sh)
deb="dist/qalam_${version}_amd64.deb"
tarball="dist/qalam-$version-linux-amd64.tar.xz"
zip="dist/qalam-$version-windows-amd64.zip"
fyne_version=$(go list -m -f '{{.Version}}' fyne.io/fyne/v2)
passed=0

. scripts/x11.sh
on_exit() {
	if [ -n "${WINEPREFIX:-}" ]; then
		wineserver -k 2>/dev/null || /usr/lib/wine/wineserver64 -k 2>/dev/null || true
	fi
}
ok() {
	echo "dist-check: ok: $*"
	passed=$((passed + 1))
}
for f in "$deb" "$tarball" "$zip" dist/SHA256SUMS; do
	[ -f "$f" ] || fail "$f is missing (make dist)"
done
(cd dist && sha256sum --quiet -c SHA256SUMS) || fail "SHA256SUMS does not match"
ok "SHA256SUMS"

# --- metadata -----------------------------------------------------------------
mkdir -p "$tmp/tar" "$tmp/debx"
tar -xJf "$tarball" -C "$tmp/tar"
for f in packaging/org.qalam.annotate.desktop $(find "$tmp/tar" -name '*.desktop'); do
	desktop-file-validate "$f" || fail "desktop-file-validate $f"
done
find "$tmp/tar" -name Makefile | grep -q . || fail "the tarball has no Makefile for make install"
ok "desktop entries valid (packaging/ and the tarball's)"
appstreamcli validate --no-net packaging/org.qalam.annotate.metainfo.xml || fail "appstreamcli validate"
ok "metainfo valid"

dpkg-deb -x "$deb" "$tmp/debx"
for n in 16 22 24 32 48 64 128 256 512; do
	png="$tmp/debx/usr/share/icons/hicolor/${n}x$n/apps/org.qalam.annotate.png"
	[ "$(identify -format '%wx%h' "$png" 2>/dev/null)" = "${n}x$n" ] || fail "no ${n}x$n icon in the .deb"
done
ok "the .deb has the icon in 9 hicolor sizes"
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libc6 libgl1 libx11-6; do
	echo "$depends" | grep -q "$lib" || fail "Depends lacks $lib: $depends"
done
ok "Depends: $depends"

# --- install ------------------------------------------------------------------
export DEBIAN_FRONTEND=noninteractive
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get install -y -qq --reinstall "./$deb" >"$tmp/apt.log" 2>&1 || { cat "$tmp/apt.log" >&2; fail "apt-get install $deb"; }
[ "$(command -v qalam)" = /usr/bin/qalam ] || fail "qalam is not /usr/bin/qalam after installing"
desktop-file-validate /usr/share/applications/org.qalam.annotate.desktop || fail "installed desktop entry"
appstreamcli validate --no-net /usr/share/metainfo/org.qalam.annotate.metainfo.xml >/dev/null || fail "installed metainfo"
ok "apt-get install ./$deb"

qalam version >"$tmp/version" || fail "qalam version"
head -n1 "$tmp/version" | grep -qx "qalam $version" || fail "qalam version says $(head -n1 "$tmp/version"), not $version"
grep -qx "Fyne $fyne_version" "$tmp/version" || fail "qalam version does not name Fyne $fyne_version: $(cat "$tmp/version")"
ok "qalam version: $(tr '\n' ';' <"$tmp/version")"

# A user of our own: projects and preferences go under it.
export HOME="$tmp/home" XDG_DATA_HOME="" XDG_CONFIG_HOME="" LANG=C.UTF-8
unset XDG_DATA_HOME XDG_CONFIG_HOME
mkdir -p "$HOME/projects"
proj="$HOME/projects/news.qalam"
qalam import --db "$proj" assets/samples/reuters-*.txt assets/samples/JA-*.txt >"$tmp/import" || fail "qalam import: $(cat "$tmp/import")"
grep -q "^imported 6, duplicates 0, rejected 0" "$tmp/import" || fail "qalam import: $(cat "$tmp/import")"
qalam stats --db "$proj" --json | tr -d ' \n' | grep -q '"documents":6' || fail "qalam stats does not count 6 documents"
ok "installed qalam imports and counts: $(cat "$tmp/import")"

# --- the desktop entry, as a launcher starts it -------------------------------
exec_line=$(sed -n 's/^Exec=//p' /usr/share/applications/org.qalam.annotate.desktop | head -n1 | sed 's/ *%[fFuUick]//g')
[ -n "$exec_line" ] || fail "the desktop entry has no Exec line"
start_display
cd "$HOME" # where a launcher starts it
# shellcheck disable=SC2086 # the Exec line is split like a launcher does
start_app Qalam 1500 $exec_line
ms=$((($(date +%s%N) - started) / 1000000))
cd "$root"
ok "Exec=$exec_line: window \"$(xdotool getwindowname "$win")\" after $ms ms (first start: a new user)"
sleep 1.5
import -window root "$tmp/shot.png"
[ "$(identify -format '%k' "$tmp/shot.png")" -gt 64 ] || fail "the first window looks blank"
[ -n "$shot_out" ] && cp "$tmp/shot.png" "$shot_out"
[ -f "$HOME/.local/share/qalam/sample.qalam" ] || fail "the first start made no sample project in ~/.local/share/qalam"
xdotool getwindowname "$win" >/dev/null 2>&1 || fail "the window is gone before Ctrl+Q"
# The app may quit, and its window go, before the keys are let go: the
# exit below is what tells.
xdotool mousemove --window "$win" 300 300 key --window "$win" ctrl+q 2>/dev/null || true
wait_exit "$app" 100 || fail "the app is still running 10 s after Ctrl+Q"
app=""
[ "$exit_status" -eq 0 ] || fail "the app exited with status $exit_status after Ctrl+Q"
ok "Ctrl+Q closed the app, status 0"
stop "$xvfb_pid"
xvfb_pid=""

# A project for Wine below, made by the Linux build.
cp "$proj" "$tmp/sample.qalam"

# --- remove -------------------------------------------------------------------
$sudo apt-get remove -y -qq qalam >"$tmp/apt.log" 2>&1 || { cat "$tmp/apt.log" >&2; fail "apt-get remove qalam"; }
[ ! -e /usr/bin/qalam ] || fail "/usr/bin/qalam is still there after apt-get remove"
[ ! -e /usr/share/applications/org.qalam.annotate.desktop ] || fail "the desktop entry is still there after apt-get remove"
for p in "$proj" "$HOME/.local/share/qalam/sample.qalam"; do
	[ -s "$p" ] || fail "apt-get remove took $p"
done
ok "apt-get remove: the program is gone, the user's projects are in place"

# --- Windows, under Wine ------------------------------------------------------
wine=$(command -v wine64 || echo /usr/lib/wine/wine64)
[ -x "$wine" ] || fail "no wine64 (Debian's wine64 package)"
export WINEPREFIX="$tmp/wine" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
"$wine" wineboot --init >"$tmp/wine.log" 2>&1 || { cat "$tmp/wine.log" >&2; fail "wineboot"; }
# Wine 8.0 lacks bcryptprimitives.dll, which the Go runtime needs: a
# stand-in goes into the prefix (see packaging/wine/bcryptprimitives.c).
if [ ! -e "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" ]; then
	x86_64-w64-mingw32-gcc -shared -O2 -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
		packaging/wine/bcryptprimitives.c -lbcrypt || fail "building the bcryptprimitives.dll stand-in"
fi
unzip -q "$zip" -d "$tmp/win"
exe=$(find "$tmp/win" -name qalam.exe)
[ -n "$exe" ] || fail "no qalam.exe in $zip"
resource=$(strings -el "$exe" | grep -A1 -x ProductVersion | tail -n1)
[ "$resource" = "$(sh scripts/version.sh --numeric).$(sh scripts/version.sh --build)" ] || fail "qalam.exe's version resource says $resource"
ok "qalam.exe has its version resource: $resource"
cd "$tmp"
"$wine" "$exe" version >"$tmp/winversion" 2>"$tmp/wine.log" || { cat "$tmp/wine.log" >&2; fail "wine64 qalam.exe version"; }
tr -d '\r' <"$tmp/winversion" >"$tmp/winversion.txt"
head -n1 "$tmp/winversion.txt" | grep -qx "qalam $version" || fail "qalam.exe version says: $(cat "$tmp/winversion.txt")"
grep -q "^Go .* windows/amd64$" "$tmp/winversion.txt" || fail "qalam.exe is not a windows/amd64 build: $(cat "$tmp/winversion.txt")"
grep -qx "Fyne $fyne_version" "$tmp/winversion.txt" || fail "qalam.exe version does not name Fyne $fyne_version"
ok "wine64 qalam.exe version: $(tr '\n' ';' <"$tmp/winversion.txt")"
"$wine" "$exe" stats --db sample.qalam >"$tmp/winstats" 2>"$tmp/wine.log" || { cat "$tmp/wine.log" >&2; fail "wine64 qalam.exe stats"; }
tr -d '\r' <"$tmp/winstats" | grep -q "^6 documents in sample.qalam" || fail "qalam.exe stats: $(cat "$tmp/winstats")"
ok "wine64 qalam.exe stats --db sample.qalam: $(head -n1 "$tmp/winstats" | tr -d '\r')"
cd "$root"

echo "dist-check: $passed passed, 0 failed"
