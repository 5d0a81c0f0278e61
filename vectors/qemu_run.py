"""Running a conformance program on QEMU's ppce500 machine (Debian 12 qemu-system-ppc 7.2): the ELF as
-bios (QEMU's loader maps RAM 1:1 and jumps to the entry point), the serial port on stdout, -no-reboot
so the program's reset request ends QEMU, a time limit, and the log with carriage returns dropped."""
import subprocess

QEMU = "qemu-system-ppc"


def qemu_cmd(elf, core):
    return [QEMU, "-M", "ppce500", "-cpu", core, "-m", "256", "-nographic", "-nic", "none",
            "-no-reboot", "-bios", elf, "-serial", "stdio", "-monitor", "none"]


def run_program(elf, core, timeout):
    """The program's serial output, and whether it ended by itself (its reset request) in time."""
    try:
        p = subprocess.run(qemu_cmd(elf, core), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           stdin=subprocess.DEVNULL, timeout=timeout)
        out, ended = p.stdout, True
    except subprocess.TimeoutExpired as e:
        out, ended = e.stdout or b"", False
    return out.decode("ascii", "replace").replace("\r", ""), ended
