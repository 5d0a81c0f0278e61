"""Nothing half-written: a folder is built under a temporary name beside its destination and
swapped in whole."""
import contextlib
import os
import shutil
import tempfile


def swap_in(tmp, dest):
    """Replace dest (if any) by the finished folder tmp."""
    if os.path.exists(dest):
        old = tmp + ".old"
        os.rename(dest, old)
        os.rename(tmp, dest)
        shutil.rmtree(old)
    else:
        os.rename(tmp, dest)


@contextlib.contextmanager
def building(dest):
    """with building(dest) as tmp: fill tmp; on success it replaces dest, on error it is gone.
    The caller has checked that dest is a directory or absent."""
    dest = os.path.abspath(dest)
    parent = os.path.dirname(dest)
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="." + os.path.basename(dest) + ".", dir=parent)
    try:
        os.chmod(tmp, 0o755)         # mkdtemp makes it 0700
        yield tmp
        swap_in(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
