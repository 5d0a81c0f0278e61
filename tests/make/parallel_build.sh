#!/bin/sh
# A fresh copy of the source tree builds with `make -j4`, and every multi-output rule runs once
# (the register generator writes dbg_regs.{h,c,py} in one run; two parallel runs of it raced on
# dbg_regs.h.tmp). usage: tests/make/parallel_build.sh [JOBS]
set -eu
jobs=${1:-4}
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# the tracked files (or the whole tree without build/ when this is not a git checkout)
if git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$root" && git ls-files -z --cached --others --exclude-standard | xargs -0 tar cf - 2>/dev/null) | (cd "$tmp" && tar xf -)
else
	(cd "$root" && tar cf - --exclude=./build .) | (cd "$tmp" && tar xf -)
fi
rm -rf "$tmp/build"
# a plain build of the copy: not the calling make's variables (make check passes BUILD=build/san)
unset MAKEFLAGS MFLAGS MAKELEVEL BUILD OPT SAN
if ! make -C "$tmp" -j"$jobs" all >"$tmp/make.log" 2>&1; then
	tail -20 "$tmp/make.log"
	echo "parallel build: make -j$jobs failed in a fresh copy"
	exit 1
fi
runs=$(grep -c 'gen_regs.py model/dbg_regs.tab' "$tmp/make.log" || true)
if [ "$runs" -ne 1 ]; then
	echo "parallel build: the register generator ran $runs times (want 1)"
	exit 1
fi
"$tmp/build/bookedbg" run --quiet "$tmp/docs/tour/07-delayed-event.trace" >/dev/null
echo "parallel build: make -j$jobs of a fresh copy builds; the register generator ran once"
