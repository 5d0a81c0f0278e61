"""Kernel trees: the version a tree's top Makefile names, and the gate's file
set out of a git checkout (at a revision, or as in the working tree).

    kernel_version(dir) -> "6.1.158" (with EXTRAVERSION, e.g. "6.13.0-rc3"), or None
    short_version("6.12.57") -> "6.12"
    export_rev(repo_dir, rev, dest_dir, files) -> [paths written]
    working_files(repo_dir, dest_dir, files) -> [paths written]
    copy_files(src_dir, dest_dir, files) -> [paths written]   (any directory)

Both writers build dest_dir under a temporary name beside it and rename it
into place (an existing dest_dir is replaced whole); files the tree does not
have are left out (the gate names missing files itself).

Errors: TreeError, str() one line: "REPO: not a git checkout",
"REPO: 'REV' is not a revision of this git checkout", "PATH:LINE: ...".
"""
import os
import re
import subprocess
from .atomic import building

VAR_RE = re.compile(r"^(VERSION|PATCHLEVEL|SUBLEVEL|EXTRAVERSION)\s*[:?]?=[ \t]*(.*?)\s*$")


class TreeError(Exception):
    """str() is the one-line message."""


def kernel_version(tree):
    """VERSION.PATCHLEVEL.SUBLEVEL plus EXTRAVERSION from TREE/Makefile, or
    None when there is no Makefile or it names no VERSION/PATCHLEVEL."""
    path = os.path.join(tree, "Makefile")
    try:
        with open(path, "rb") as fh:
            head = fh.read(8192).decode("utf-8", "replace")
    except OSError:
        return None
    vals = {}
    for line in head.splitlines():
        m = VAR_RE.match(line)
        if m and m.group(1) not in vals:
            vals[m.group(1)] = m.group(2)
    if not re.fullmatch(r"\d+", vals.get("VERSION", "")) or \
            not re.fullmatch(r"\d+", vals.get("PATCHLEVEL", "")):
        return None
    ver = "%s.%s" % (vals["VERSION"], vals["PATCHLEVEL"])
    sub = vals.get("SUBLEVEL", "")
    if re.fullmatch(r"\d+", sub):
        ver += "." + sub
    return ver + vals.get("EXTRAVERSION", "")


def short_version(version):
    """"6.12.57" -> "6.12"; "6.13.0-rc3" -> "6.13"; None when it is no version."""
    m = re.match(r"^\s*v?(\d+)\.(\d+)", version or "")
    return "%s.%s" % (m.group(1), m.group(2)) if m else None


def git(repo, *args, check=True):
    try:
        p = subprocess.run(["git", "-C", repo] + list(args), capture_output=True)
    except OSError as e:
        raise TreeError("%s: cannot run git: %s" % (repo, e.strerror or e)) from None
    if check and p.returncode != 0:
        err = p.stderr.decode("utf-8", "replace").strip().splitlines()
        raise TreeError("%s: git %s failed: %s" % (repo, args[0], err[-1] if err else "exit %d" % p.returncode))
    return p


def git_checkout(repo):
    if not os.path.isdir(repo):
        raise TreeError("%s: not a directory" % repo)
    p = git(repo, "rev-parse", "--is-inside-work-tree", check=False)
    if p.returncode != 0 or p.stdout.strip() != b"true":
        err = p.stderr.decode("utf-8", "replace").strip().splitlines()
        if err and "dubious ownership" in err[0]:
            raise TreeError("%s: git refuses the checkout (dubious ownership; see "
                            "'git config --global --add safe.directory')" % repo)
        raise TreeError("%s: not a git checkout" % repo)
    top = git(repo, "rev-parse", "--show-toplevel", check=False).stdout.decode("utf-8", "replace").strip()
    if top and os.path.realpath(top) != os.path.realpath(repo):
        # the kernel's paths are relative to its own top: a tree inside another repository is not one
        raise TreeError("%s: not the top of a git checkout (it is inside %s)" % (repo, top))


def write_tree(dest_dir, contents):
    """contents: [(rel, bytes, mode or None)] -> dest_dir, atomically."""
    dest = os.path.abspath(dest_dir)
    if os.path.exists(dest) and not os.path.isdir(dest):
        raise TreeError("%s: exists and is not a directory" % dest_dir)
    with building(dest) as tmp:
        for rel, data, mode in contents:
            target = os.path.join(tmp, rel)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as fh:
                fh.write(data)
            if mode is not None:
                os.chmod(target, mode)
    return [rel for rel, _, _ in contents]


def export_rev(repo_dir, rev, dest_dir, files):
    """The files of the set as they are at REV (paths relative to repo_dir)."""
    git_checkout(repo_dir)
    if rev.startswith("-") or git(repo_dir, "rev-parse", "--verify", "--quiet",
                                  rev + "^{commit}", check=False).returncode:
        raise TreeError("%s: '%s' is not a revision of this git checkout" % (repo_dir, rev))
    commit = git(repo_dir, "rev-parse", "--verify",
                 rev + "^{commit}").stdout.decode().strip()
    contents = []
    for rel in files:
        spec = "%s:./%s" % (commit, rel)
        p = git(repo_dir, "cat-file", "-t", spec, check=False)
        if p.returncode != 0 or p.stdout.strip() != b"blob":
            continue
        data = git(repo_dir, "cat-file", "blob", spec).stdout
        contents.append((rel, data, None))
    return write_tree(dest_dir, contents)


def working_files(repo_dir, dest_dir, files):
    """The files of the set as the working tree has them (any directory will do)."""
    return copy_files(repo_dir, dest_dir, files)


def copy_files(src_dir, dest_dir, files):
    """The files of the set that src_dir has, copied into dest_dir (a tree's base side)."""
    repo_dir = src_dir
    if not os.path.isdir(repo_dir):
        raise TreeError("%s: not a directory" % repo_dir)
    contents = []
    for rel in files:
        path = os.path.join(repo_dir, rel)
        if os.path.isfile(path):
            try:
                with open(path, "rb") as fh:
                    contents.append((rel, fh.read(), os.stat(path).st_mode & 0o777))
            except OSError as e:
                raise TreeError("%s:0: cannot read: %s" % (path, e.strerror or e)) from None
    return write_tree(dest_dir, contents)
