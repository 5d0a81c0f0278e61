"""Running a conformance program on QEMU's ppce500 machine: the command line of ../shared/qemu-notes.md
("Running bare-metal programs on ppce500"), a time limit, and the serial log with carriage returns
dropped."""
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
