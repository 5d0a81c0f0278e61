"""Nothing half-written: a folder is built under a temporary name beside its destination and
swapped in whole."""
import os
import shutil


def swap_in(tmp, dest):
    """Replace dest (if any) by the finished folder tmp."""
    if os.path.exists(dest):
        old = tmp + ".old"
        os.rename(dest, old)
        os.rename(tmp, dest)
        shutil.rmtree(old)
    else:
        os.rename(tmp, dest)
