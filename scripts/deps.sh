#!/bin/sh
# Installs what building and testing Qalam needs on Debian or Ubuntu, when
# it is missing: the C toolchain and the X11/OpenGL headers for Fyne, and a
# Go toolchain (from the Go module proxy) when the machine has none new
# enough. Prints the directory to put first on PATH for Go.
#
#   scripts/deps.sh [extra Debian packages...]
set -eu

packages="gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev ca-certificates curl unzip $*"

missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "installing:$missing" >&2
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	$sudo apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >&2
fi

# Go: the version go.mod asks for, or newer.
root=$(cd "$(dirname "$0")/.." && pwd)
want=$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$root/go.mod")
newer_or_equal() { # $1 >= $2, dotted versions
	[ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" = "$2" ]
}
for dir in "$(dirname "$(command -v go 2>/dev/null || echo /nonexistent/go)")" /usr/local/go/bin "$root/.cache/go/bin"; do
	if [ -x "$dir/go" ]; then
		have=$("$dir/go" env GOVERSION 2>/dev/null | sed 's/^go//')
		if [ -n "$have" ] && newer_or_equal "$have" "$want"; then
			echo "$dir"
			exit 0
		fi
	fi
done
arch=$(dpkg --print-architecture)
proxy=${GOPROXY:-https://proxy.golang.org}
proxy=${proxy%%,*}
echo "fetching Go $want for linux-$arch from $proxy" >&2
tmp=$(mktemp -d)
curl -fsSL "$proxy/golang.org/toolchain/@v/v0.0.1-go$want.linux-$arch.zip" -o "$tmp/go.zip"
unzip -q "$tmp/go.zip" -d "$tmp"
rm -rf "$root/.cache/go"
mkdir -p "$root/.cache"
mv "$tmp/golang.org/toolchain@v0.0.1-go$want.linux-$arch" "$root/.cache/go"
chmod +x "$root/.cache/go/bin/"* "$root/.cache/go/pkg/tool/"*/* 2>/dev/null || true
rm -rf "$tmp"
echo "$root/.cache/go/bin"
