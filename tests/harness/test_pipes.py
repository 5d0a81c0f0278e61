"""The gate and its pipes: a harness that dies before reading its scenarios is the harness's crash
(a finding), never the gate's own death by SIGPIPE; a reader of the gate's output that goes away
ends it quietly."""
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
HARNESS = os.path.join(os.path.dirname(os.path.dirname(HERE)), "harness")

# A "harness" that exits at once without reading stdin, fed far more than a pipe buffer holds.
EARLY_EXIT = """
import gate
from gatelib.execute import Harness
def entry(argv):
    done, crash, rc, err = Harness("/bin/true", "pr", "v61").run_once(["x" * 4096 + "\\n"] * 256)
    print("rc", rc)
    return 0
raise SystemExit(gate.cli([], entry))
"""


class Pipes(unittest.TestCase):
    def py(self, code, **kw):
        return subprocess.run([sys.executable, "-c", code], cwd=HARNESS, capture_output=True,
                              text=True, timeout=60, env=dict(os.environ, PYTHONPATH=HARNESS), **kw)

    def test_harness_dying_before_reading_its_input_does_not_kill_the_gate(self):
        p = self.py(EARLY_EXIT)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.strip(), "rc 0")

    def test_reader_going_away_ends_the_gate_quietly(self):
        code = "import gate\nraise SystemExit(gate.cli([], lambda a: [print('line', i) for i in range(10**6)] and 0))"
        p = subprocess.run(f"{sys.executable} -c \"{code}\" | head -1", shell=True, cwd=HARNESS,
                           capture_output=True, text=True, timeout=60,
                           env=dict(os.environ, PYTHONPATH=HARNESS))
        self.assertEqual(p.stdout, "line 0\n")
        self.assertEqual(p.stderr, "")


if __name__ == "__main__":
    unittest.main()
