#!/bin/bash
# Unpack the kernel files the gate reads from Debian's linux-source-X
# packages into $BUILD/linux-X/ (kernel-relative paths kept), one tree per
# version.  Per tree: the ten gate files, the top-level Makefile (it names the
# exact version: VERSION/PATCHLEVEL/SUBLEVEL), arch/powerpc/kvm/Kconfig (which
# configurations the tree offers) and Documentation/virt/kvm/api.rst
# (so a patch's documentation hunks can be checked too).  Nothing else of the
# tree is unpacked: the gate must never depend on more than these files.
#
# usage: harness/upstream.sh [BUILD_DIR] [VERSION...]
#   BUILD_DIR   default: $BUILD, else build
#   VERSION     e.g. 6.1 6.12; default: $VERSIONS, else "6.1 6.12"
#   (the old form `upstream.sh BUILD_DIR` still unpacks every default version)
#
# The package linux-source-X is installed when its tarball is missing: as root
# with apt-get update + apt-get install -y; otherwise this says which package
# to install and exits 2.  An apt-get already running in the background is
# waited for first (APT_LOG, default /tmp/apt.log, and /tmp/aptXY.log for
# version X.Y, e.g. /tmp/apt612.log; it is done when a line starts with
# "done"; WAIT_SECS, default 600).  Overrides: SRC_DIR (default /usr/src);
# TARBALL when exactly one version is unpacked (TARBALL alone: version 6.1,
# as before).
#
# Idempotent: a tree whose files are all there and newer than its tarball is
# left alone.  Each tree is unpacked into a temporary directory beside it and
# renamed into place, so an interrupted run never leaves a tree that looks
# complete.  Exit 0: every tree is there; 2: something is missing.
set -eu

BUILD=${BUILD:-build}
VERSION_ARGS=""
build_set=no
for arg in "$@"; do
    case "$arg" in
        -h|--help) sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        [0-9]*.[0-9]*) VERSION_ARGS="$VERSION_ARGS $arg" ;;
        *)
            [ "$build_set" = no ] || { echo "upstream.sh: more than one BUILD_DIR ($BUILD, $arg)" >&2; exit 2; }
            BUILD=$arg; build_set=yes ;;
    esac
done
# TARBALL without versions keeps its old meaning: the 6.1 tarball.
[ -z "$VERSION_ARGS" ] && [ -z "${VERSIONS:-}" ] && [ -n "${TARBALL:-}" ] && VERSIONS=6.1
VERSIONS=${VERSION_ARGS:-${VERSIONS:-6.1 6.12}}
SRC_DIR=${SRC_DIR:-/usr/src}
WAIT_SECS=${WAIT_SECS:-600}

# The files the gate reads are extract.KERNEL_FILES (defined once, there).
GATE_FILES=$(cd "$(dirname "$0")" && ${PYTHON:-python3} -c \
    'import extract; print("\n".join(extract.KERNEL_FILES))') || { echo "upstream.sh: cannot read extract.KERNEL_FILES" >&2; exit 2; }
EXTRA_FILES="Makefile
arch/powerpc/kvm/Kconfig
Documentation/virt/kvm/api.rst"

# Files that sit elsewhere in older trees: "path older-path".  A file found
# only at its older path is unpacked there (patches for that tree name it so)
# and reported.
MOVED="Documentation/virt/kvm/api.rst Documentation/virtual/kvm/api.txt"

die() { echo "upstream.sh: $*" >&2; exit 2; }

set -- $VERSIONS
[ $# -ge 1 ] || die "no versions given"
for v in "$@"; do
    case "$v" in
        [0-9]*.[0-9]*) ;;
        *) die "'$v' is not a kernel version like 6.1" ;;
    esac
done
if [ $# -gt 1 ] && [ -n "${TARBALL:-}" ]; then
    die "TARBALL=$TARBALL is ambiguous with several versions ($*); give one version"
fi

pkg_of() { echo "linux-source-$1"; }
tarball_of() { echo "${TARBALL:-$SRC_DIR/linux-source-$1.tar.xz}"; }

# An apt-get run may still be installing a package in the background; its
# log gets a line starting with "done" when it finishes.  Wait for that
# before deciding a tarball is really missing.
wait_for_background_apt() {   # LOG
    log=$1
    [ -f "$log" ] || return 0
    waited=0
    while ! grep -q '^done' "$log" 2>/dev/null; do
        [ "$waited" -ge "$WAIT_SECS" ] && { echo "upstream.sh: gave up waiting for $log" >&2; return 0; }
        [ "$waited" -eq 0 ] && echo "upstream.sh: waiting for background apt ($log) ..." >&2
        sleep 5
        waited=$((waited + 5))
    done
}

# 1. Tarballs: wait for background installs, then install what is missing.
missing_pkgs=""
for v in "$@"; do
    tb=$(tarball_of "$v")
    [ -f "$tb" ] && continue
    wait_for_background_apt "${APT_LOG:-/tmp/apt.log}"
    wait_for_background_apt "/tmp/apt$(echo "$v" | tr -d .).log"
    [ -f "$tb" ] || missing_pkgs="$missing_pkgs $(pkg_of "$v")"
done
if [ -n "$missing_pkgs" ]; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update || die "apt-get update failed"
        # shellcheck disable=SC2086  # one word per package
        DEBIAN_FRONTEND=noninteractive apt-get install -y $missing_pkgs \
            || die "could not install$missing_pkgs"
    else
        die "missing kernel source: install the Debian package(s)$missing_pkgs (as root: apt-get install$missing_pkgs)"
    fi
fi

# 2. One tree per version.
unpack() {   # VERSION
    v=$1
    pkg=$(pkg_of "$v")
    tb=$(tarball_of "$v")
    top=linux-source-$v          # top directory inside the tarball
    dest=$BUILD/linux-$v
    [ -f "$tb" ] || die "$pkg installed but $tb is still missing"
    files="$GATE_FILES
$EXTRA_FILES"

    # A moved file sits at its older path: $dest/.upstream-moved remembers
    # "path older-path" pairs, so the up-to-date check stays cheap.
    actual_files() {   # canonical list -> the paths in this tree
        for f in $files; do
            alt=""
            [ -f "$dest/.upstream-moved" ] && alt=$(awk -v f="$f" '$1 == f { print $2 }' "$dest/.upstream-moved")
            echo "${alt:-$f}"
        done
    }
    uptodate=yes
    for f in $(actual_files); do
        if [ ! -f "$dest/$f" ] || [ "$tb" -nt "$dest/$f" ]; then uptodate=no; break; fi
    done
    if [ "$uptodate" = yes ]; then
        echo "upstream.sh: $dest is up to date"
        return 0
    fi

    mkdir -p "$BUILD"
    TMP=$(mktemp -d "$BUILD/.linux-$v.XXXXXX")
    trap 'rm -rf "$TMP"' EXIT INT TERM
    members=""
    for f in $files; do members="$members $top/$f"; done
    # shellcheck disable=SC2086  # word splitting of the member list is wanted
    if ! tar -xJf "$tb" -C "$TMP" --strip-components=1 $members 2>"$TMP/.tar-errors"; then
        # Some member is not there: look for the older paths of moved files.
        moved_to=""
        for f in $files; do
            [ -f "$TMP/$f" ] && continue
            alt=$(echo "$MOVED" | awk -v f="$f" '$1 == f { print $2 }')
            [ -n "$alt" ] || { cat "$TMP/.tar-errors" >&2; die "$tb lacks $top/$f"; }
            tar -xJf "$tb" -C "$TMP" --strip-components=1 "$top/$alt" 2>/dev/null \
                || die "$tb lacks $top/$f (and $top/$alt)"
            echo "upstream.sh: note: linux-source-$v has $f at its older path $alt; unpacked there" >&2
            moved_to="$moved_to $f=$alt"
        done
        for pair in $moved_to; do
            echo "${pair%%=*} ${pair#*=}" >> "$TMP/.upstream-moved"
            files=$(echo "$files" | sed "s|^${pair%%=*}\$|${pair#*=}|")
        done
    fi
    rm -f "$TMP/.tar-errors"
    for f in $files; do
        [ -f "$TMP/$f" ] || die "$tb lacks $top/$f"
        touch "$TMP/$f"   # mtime = unpack time, so the -nt check above works
    done
    chmod 755 "$TMP"   # mktemp -d makes it 0700
    if [ -e "$dest" ]; then       # swap, so $dest is missing only between two renames
        mv "$dest" "$TMP.old"
        mv "$TMP" "$dest"
        rm -rf "$TMP.old"
    else
        mv "$TMP" "$dest"
    fi
    trap - EXIT INT TERM
    ver=$(sed -n 's/^VERSION = //p; s/^PATCHLEVEL = //p; s/^SUBLEVEL = //p' "$dest/Makefile" | paste -sd.)
    echo "upstream.sh: unpacked $(echo "$files" | wc -l) files of Linux $ver into $dest"
}

for v in "$@"; do
    unpack "$v"
done
