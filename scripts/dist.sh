#!/bin/sh
# Builds Qalam's packages into dist/ (make dist):
#   qalam-VERSION-linux-amd64.tar.xz    fyne package -os linux: the binary, the
#                                       desktop entry, the icon and a Makefile
#                                       for make install / make user-install
#   qalam_VERSION_amd64.deb             dpkg-deb, from the same binary: the
#                                       desktop entry and AppStream metainfo of
#                                       packaging/, the icon in hicolor sizes,
#                                       Depends from the libraries it links
#   qalam-VERSION-windows-amd64.zip     qalam.exe cross-built with MinGW by
#                                       fyne package -os windows (icon and
#                                       version resource), with the licences
#   SHA256SUMS
# VERSION is scripts/version.sh's. Needs what make dist installs (a C
# compiler, gcc-mingw-w64-x86-64, dpkg-dev, zip).
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
version=$(sh scripts/version.sh)
numeric=$(sh scripts/version.sh --numeric)
build=$(sh scripts/version.sh --build)
arch=amd64
# The fyne tool, at the version packaging/tools/go.mod pins.
fyne_bin=$(go tool -modfile=packaging/tools/go.mod -n fyne)
fyne() { "$fyne_bin" "$@"; }
# The Makefile's build tags (see TAGS there).
tags=sqlite_fts5,no_emoji
export GOFLAGS=-tags=$tags

tmp=$(mktemp -d)
# fyne runs $GO for go build: this go links the version into every build.
# (fyne passes GOFLAGS' -ldflags to its first build only, and fyne package
# -os windows builds twice, the second time with the icon and version
# resource.) It adds -X to the -ldflags fyne gives (-s -w for a release).
cat >"$tmp/go" <<EOF
#!/bin/sh
x='-X=github.com/qalam-annotate/qalam/internal/buildinfo.Version=$version'
[ "\$1" = build ] || exec go "\$@"
found=""
for a; do
	shift
	if [ "\$found" = next ]; then
		a="\$a \$x"
		found=yes
	fi
	[ "\$a" = -ldflags ] && found=next
	set -- "\$@" "\$a"
done
[ -n "\$found" ] || { shift; set -- build -ldflags "\$x" "\$@"; }
exec go "\$@"
EOF
chmod +x "$tmp/go"
export GO="$tmp/go"
# fyne package counts builds in FyneApp.toml: keep the file as it is.
cp cmd/qalam/FyneApp.toml "$tmp/FyneApp.toml"
cleanup() {
	cp "$tmp/FyneApp.toml" cmd/qalam/FyneApp.toml
	rm -f cmd/qalam/fyne_metadata_init.go cmd/qalam/fyne.syso cmd/qalam/qalam.exe cmd/qalam/Qalam.exe
	rm -rf "$tmp"
}
trap cleanup EXIT
step() { echo "dist: $*"; }
mkdir -p dist
rm -f dist/qalam-* dist/qalam_* dist/SHA256SUMS

step "version $version"
t0=$(date +%s)
step "icons"
go run ./assets/icongen -hicolor "$tmp/hicolor"

# --- Linux: one binary for the tarball and the .deb ---------------------------
step "linux binary (fyne build --release)"
mkdir -p "$tmp/linux"
fyne build --release --tags "$tags" --src "$root/cmd/qalam" -o "$tmp/linux/qalam"
step "linux tarball (fyne package -os linux)"
(cd "$tmp/linux" && fyne package -os linux --release --src "$root/cmd/qalam" --exe "$tmp/linux/qalam" \
	--app-version "$numeric" --app-build "$build")
tarball="dist/qalam-$version-linux-$arch.tar.xz"
mv "$tmp/linux/Qalam.tar.xz" "$tarball"

step "debian package (dpkg-deb)"
mkdir -p "$tmp/tree"
tar -xJf "$tarball" -C "$tmp/tree"
bin=$(find "$tmp/tree" -path '*/bin/qalam' -type f)
deb="$tmp/pkg/debian/qalam" # where dpkg-shlibdeps expects a package's files
install -Dm755 "$bin" "$deb/usr/bin/qalam"
install -Dm644 packaging/org.qalam.annotate.desktop "$deb/usr/share/applications/org.qalam.annotate.desktop"
install -Dm644 packaging/org.qalam.annotate.metainfo.xml "$deb/usr/share/metainfo/org.qalam.annotate.metainfo.xml"
(cd "$tmp/hicolor" && find . -name '*.png') | while read -r f; do
	install -Dm644 "$tmp/hicolor/$f" "$deb/usr/share/icons/hicolor/$f"
done
doc="$deb/usr/share/doc/qalam"
install -Dm644 packaging/copyright "$doc/copyright"
install -Dm644 assets/fonts/OFL.txt "$doc/Amiri-OFL.txt"
install -Dm644 assets/samples/LICENSE-ANT-Apache-2.0.txt "$doc/ANT-Apache-2.0.txt"
install -Dm644 assets/samples/ATTRIBUTION.md "$doc/samples-ATTRIBUTION.md"
# Depends: the packages of the libraries the binary links, with the
# versions their symbols need (dpkg-shlibdeps reads the binary's NEEDED
# entries and the installed packages' shlibs and symbols files).
mkdir -p "$deb/DEBIAN"
printf 'Source: qalam\n\nPackage: qalam\nArchitecture: any\n' >"$tmp/pkg/debian/control"
depends=$(cd "$tmp/pkg" && dpkg-shlibdeps -O debian/qalam/usr/bin/qalam | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "dist: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
size=$(du -sk "$deb/usr" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@DEPENDS@/$depends/" -e "s/@SIZE@/$size/" \
	packaging/deb-control >"$deb/DEBIAN/control"
dpkg-deb --root-owner-group -Zxz --build "$deb" "dist/qalam_${version}_$arch.deb" >/dev/null
step "  Depends: $depends"

# --- Windows ------------------------------------------------------------------
step "windows qalam.exe (fyne package -os windows, MinGW)"
(cd "$root/cmd/qalam" && CC=x86_64-w64-mingw32-gcc CXX=x86_64-w64-mingw32-g++ GOOS=windows GOARCH=amd64 \
	fyne package -os windows --release --tags "$tags" --app-version "$numeric" --app-build "$build")
win="$tmp/win/qalam-$version-windows-$arch"
mkdir -p "$win"
mv cmd/qalam/Qalam.exe "$win/qalam.exe"
cp assets/fonts/OFL.txt "$win/Amiri-OFL.txt"
cp assets/samples/LICENSE-ANT-Apache-2.0.txt "$win/ANT-Apache-2.0.txt"
cp assets/samples/ATTRIBUTION.md "$win/samples-ATTRIBUTION.md"
sed 's/$/\r/' packaging/windows-README.txt >"$win/README.txt"
(cd "$tmp/win" && zip -qr9 "$root/dist/qalam-$version-windows-$arch.zip" "qalam-$version-windows-$arch")

(cd dist && sha256sum "qalam-$version-linux-$arch.tar.xz" "qalam_${version}_$arch.deb" "qalam-$version-windows-$arch.zip" >SHA256SUMS)
step "done in $(($(date +%s) - t0)) s:"
(cd dist && ls -l qalam-* qalam_* SHA256SUMS | awk '{ printf "  %10d  %s\n", $5, $9 }')
