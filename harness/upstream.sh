#!/bin/bash
# Unpack the ten kernel files the gate reads from Debian's linux-source-6.1
# into $BUILD/linux-6.1/ (kernel-relative paths kept). Nothing else of the
# tree is unpacked: the gate must never depend on more than these files.
#
# usage: harness/upstream.sh [BUILD_DIR]    (default: build)
set -eu

BUILD=${1:-${BUILD:-build}}
PKG=linux-source-6.1
TARBALL=${TARBALL:-/usr/src/linux-source-6.1.tar.xz}
TOP=linux-source-6.1          # top directory inside the tarball
DEST=$BUILD/linux-6.1
APT_LOG=${APT_LOG:-/tmp/apt.log}
WAIT_SECS=${WAIT_SECS:-600}

FILES="arch/powerpc/kvm/booke.c
arch/powerpc/kvm/booke.h
arch/powerpc/kvm/booke_emulate.c
arch/powerpc/kvm/e500mc.c
arch/powerpc/kernel/process.c
arch/powerpc/include/asm/reg_booke.h
arch/powerpc/include/asm/kvm_host.h
arch/powerpc/include/asm/processor.h
arch/powerpc/include/uapi/asm/kvm.h
include/uapi/linux/kvm.h"

die() { echo "upstream.sh: $*" >&2; exit 2; }

# An apt-get run may still be installing the package in the background; its
# log gets a line starting with "done" when it finishes.  Wait for that
# before deciding the tarball is really missing.
wait_for_background_apt() {
    [ -f "$APT_LOG" ] || return 0
    waited=0
    while ! grep -q '^done' "$APT_LOG" 2>/dev/null; do
        [ "$waited" -ge "$WAIT_SECS" ] && { echo "upstream.sh: gave up waiting for $APT_LOG" >&2; return 0; }
        [ "$waited" -eq 0 ] && echo "upstream.sh: waiting for background apt ($APT_LOG) ..." >&2
        sleep 5
        waited=$((waited + 5))
    done
}

if [ ! -f "$TARBALL" ]; then
    wait_for_background_apt
fi
if [ ! -f "$TARBALL" ]; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update || die "apt-get update failed"
        DEBIAN_FRONTEND=noninteractive apt-get install -y "$PKG" || die "could not install $PKG"
    else
        die "$TARBALL missing: install the Debian package $PKG (as root: apt-get install $PKG)"
    fi
    [ -f "$TARBALL" ] || die "$PKG installed but $TARBALL is still missing"
fi

# Idempotent: skip when every file is there and newer than the tarball.
uptodate=yes
for f in $FILES; do
    if [ ! -f "$DEST/$f" ] || [ "$TARBALL" -nt "$DEST/$f" ]; then uptodate=no; break; fi
done
if [ "$uptodate" = yes ]; then
    echo "upstream.sh: $DEST is up to date"
    exit 0
fi

# Unpack into a temporary directory beside DEST, then rename, so an
# interrupted run never leaves a half-filled tree that looks complete.
mkdir -p "$BUILD"
TMP=$(mktemp -d "$BUILD/.linux-6.1.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
members=""
for f in $FILES; do members="$members $TOP/$f"; done
# shellcheck disable=SC2086  # word splitting of the member list is wanted
tar -xJf "$TARBALL" -C "$TMP" --strip-components=1 $members || die "could not unpack $TARBALL"
for f in $FILES; do
    [ -f "$TMP/$f" ] || die "$TARBALL lacks $TOP/$f"
    touch "$TMP/$f"   # mtime = unpack time, so the -nt check above works
done
chmod 755 "$TMP"   # mktemp -d makes it 0700
rm -rf "$DEST"
mv "$TMP" "$DEST"
trap - EXIT INT TERM
echo "upstream.sh: unpacked $(echo "$FILES" | wc -l) files into $DEST"
