#!/bin/sh
# Make sure Debian packages are installed: install them when root, otherwise say which are missing.
# usage: tools/deps.sh PACKAGE...
missing=""
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	echo "deps: installing$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2 && apt-get install -y -qq $missing >&2 && exit 0
	echo "deps: apt-get could not install$missing" >&2
	exit 2
fi
echo "deps: missing Debian packages:$missing" >&2
echo "deps: run as root: apt-get update && apt-get install -y$missing" >&2
exit 2
