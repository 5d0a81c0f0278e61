"""gate_kernel.keep_cases: a switch that serves more than debugging keeps only its debug case
groups, line for line, so the kernel's line numbers still hold."""
import os
import sys
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "harness"))
import gate_kernel  # noqa: E402

# our own text, shaped like the kernel's emulation switch
FUNC = """int emulate(int sprn, long v)
{
	int r = 0;
	bool dbg = false;

	switch (sprn) {
	case SPRN_TCR:		/* "case SPRN_DBCR0:" in a comment is not a label */
		tcr = v;
		break;
	case SPRN_DBCR0:
	case SPRN_DBCR1:
		dbg = true;
		if (v) {
			d = v;
		}
		break;
#ifdef CONFIG_X
	case SPRN_TSR: {
		tsr = "}";
		break;
	}
#endif
	case SPRN_DBSR: dbsr &= ~v;
		break;
	default:
		r = -1;
	}

	if (dbg)
		load();
	return r;
}""".split("\n")

KEEP = r"SPRN_(DBCR[0-2]|DBSR)"


class KeepCases(unittest.TestCase):
    def setUp(self):
        self.out = gate_kernel.keep_cases(FUNC, KEEP)

    def test_line_count_and_numbers_are_kept(self):
        self.assertEqual(len(self.out), len(FUNC))
        for a, b in zip(FUNC, self.out):
            self.assertIn(b, (a, ""))

    def test_only_the_matching_groups_and_default_stay(self):
        text = "\n".join(self.out)
        for kept in ("case SPRN_DBCR0:", "case SPRN_DBCR1:", "d = v;", "case SPRN_DBSR: dbsr",
                     "default:", "r = -1;", "load();", "return r;"):
            self.assertIn(kept, text)
        for gone in ("SPRN_TCR", "tcr = v;", "SPRN_TSR", "tsr ="):
            self.assertNotIn(gone, text)

    def test_preprocessor_lines_stay_so_blocks_still_pair(self):
        self.assertIn("#ifdef CONFIG_X", self.out)
        self.assertIn("#endif", self.out)

    def test_code_between_two_switches_stays_and_each_keeps_its_own_groups(self):
        # shaped like kvmppc_handle_exit: a switch, code, a second switch, code
        two = """int exit_path(int nr)
{
	int r = 0;
	switch (nr) {
	case EXIT_A:
		a();
		break;
	case EXIT_TLB:
		tlb();
		break;
	}
	between();
	switch (nr) {
	case EXIT_TLB:
		tlb2();
		break;
	case EXIT_A:
		a2();
		break;
	default:
		bug();
	}
	after();
	return r;
}""".split("\n")
        text = "\n".join(gate_kernel.keep_cases(two, r"EXIT_A"))
        for kept in ("a();", "between();", "a2();", "bug();", "after();"):
            self.assertIn(kept, text)
        self.assertNotIn("tlb", text)

    def test_a_function_without_a_switch_is_an_error(self):
        with self.assertRaises(gate_kernel.TUError):
            gate_kernel.keep_cases(["int f(void)", "{", "\treturn 0;", "}"], KEEP)


if __name__ == "__main__":
    unittest.main()
