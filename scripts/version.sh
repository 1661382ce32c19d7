#!/bin/sh
# Prints Qalam's version, from git describe, in a form Debian, Windows and
# file names all accept:
#   on tag v0.2.0                  0.2.0
#   3 commits after it             0.2.0+3.gabc1234
#   no tag yet                     0.1.0+62.g3350744  (FyneApp.toml's version,
#                                  the number of commits, the commit)
#   uncommitted changes            ... .dirty appended (+dirty when bare)
#   not a git checkout             FyneApp.toml's version
#
#   scripts/version.sh [--numeric|--build]
#     --numeric  only x.y.z (what fyne package takes as --app-version)
#     --build    the number of commits (fyne package's --app-build)
set -eu
cd "$(dirname "$0")/.."
base=$(sed -n 's/^Version *= *"\([0-9.]*\)".*/\1/p' cmd/qalam/FyneApp.toml)
count=$(git rev-list --count HEAD 2>/dev/null || echo 1)
if d=$(git describe --tags --match 'v[0-9]*' --dirty 2>/dev/null); then
	# v0.2.0, v0.2.0-dirty, v0.2.0-3-gabc1234, v0.2.0-3-gabc1234-dirty
	v=$(echo "$d" | sed -e 's/^v//' -e 's/-\([0-9]*\)-g\([0-9a-f]*\)/+\1.g\2/' -e 's/-dirty$/.dirty/')
	case $v in *+*) ;; *.dirty) v="${v%.dirty}+dirty" ;; esac
elif h=$(git describe --always --dirty 2>/dev/null); then
	v="$base+$count.g$(echo "$h" | sed 's/-dirty$/.dirty/')"
else
	v=$base
fi
case ${1:-} in
--numeric) echo "${v%%+*}" ;;
--build) echo "$count" ;;
*) echo "$v" ;;
esac
