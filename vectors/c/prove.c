/* Proof mode for the comparators: enumerate finite domains completely and compare the model's
 * functions against specification formulas written here independently (#iac, #dac, rule 8).
 *
 * Argument (why the enumeration covers every 32-bit address): exact, inclusive and exclusive compare
 * results depend only on the order relation (<, =, >) between the access address and the compare
 * values (after the ignored low bits are cleared), and mask compare is bitwise with the same function
 * at every bit position. So (a) all order types of (addr, reg1, reg2) realised with 32-bit boundary
 * values, crossed with every qualifier/enable/MSR combination, covers the full 2^96 address domain of
 * dbg_iac_match/dbg_dac_match for the enumerated qualifiers; (b) the exhaustive 8-bit sweep checks the
 * primitives against set-membership/per-bit specifications for every triple at reduced width, which
 * checks the order-type and bitwise premises themselves. Nothing beyond what is enumerated is claimed.
 * usage: prove [--quick]   prints one line per obligation and `proved: N/N obligations`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbg_match.h"
#include "dbg_options.h"
#include "dbg_regs.h"

static int total, proved;

static void result(const char *name, unsigned long long domain, unsigned long long bad, const char *cex)
{
	total++;
	if (!bad)
		proved++;
	printf("%-58s domain %12llu  %s%s\n", name, domain, bad ? "FAILED: " : "proved", bad ? cex : "");
}

/* ---- specifications at 8 bits ------------------------------------------------------------- */
static unsigned char member[256][256][32];     /* member[lo][hi] = bitmap of {lo, ..., hi-1} */

static void build_member(void)
{
	memset(member, 0, sizeof member);
	for (unsigned lo = 0; lo < 256; lo++)
		for (unsigned hi = 0; hi < 256; hi++)
			for (unsigned x = lo; x < hi; x++)   /* enumerate the half-open interval */
				member[lo][hi][x >> 3] |= (unsigned char)(1u << (x & 7));
}

static int in_set(unsigned a, unsigned lo, unsigned hi)
{
	return (member[lo][hi][a >> 3] >> (a & 7)) & 1;
}

static int bits_agree(unsigned a, unsigned r, unsigned care)
{
	for (int i = 0; i < 8; i++)
		if (((care >> i) & 1) && (((a >> i) & 1) != ((r >> i) & 1)))
			return 0;
	return 1;
}

/* two embeddings of an 8-bit value into 32 bits: low byte, and top byte over a fixed pattern */
static uint32_t emb(unsigned v, int e) { return e ? ((uint32_t)v << 24) | 0x00A5A5A5u : v; }
static uint32_t embm(unsigned v, int e) { return e ? ((uint32_t)v << 24) : v; }  /* for masks */

static void sweep8(void)
{
	char cex[160];
	for (int e = 0; e < 2; e++) {
		unsigned long long bad[4] = { 0 }, n = 0;
		cex[0] = 0;
		for (unsigned a = 0; a < 256; a++)
			for (unsigned r1 = 0; r1 < 256; r1++)
				for (unsigned r2 = 0; r2 < 256; r2++) {
					n++;
					int want[4] = { bits_agree(a, r1, ~r2 & 0xFF), bits_agree(a, r1, r2),
							in_set(a, r1, r2), !in_set(a, r1, r2) };
					int got[4] = { dbg_cmp_exact(embm(a, e), embm(r1, e), embm(r2, e)),
						       dbg_cmp_mask(embm(a, e), embm(r1, e), embm(r2, e)),
						       dbg_cmp_incl(emb(a, e), emb(r1, e), emb(r2, e)),
						       dbg_cmp_excl(emb(a, e), emb(r1, e), emb(r2, e)) };
					for (int m = 0; m < 4; m++)
						if (want[m] != got[m] && !bad[m]++)
							snprintf(cex, sizeof cex, "mode %d a=%u r1=%u r2=%u want %d got %d",
								 m, a, r1, r2, want[m], got[m]);
				}
		static const char *nm[4] = { "exact (reg2 = ignored bits)", "mask", "inclusive", "exclusive" };
		for (int m = 0; m < 4; m++) {
			char name[100];
			snprintf(name, sizeof name, "8-bit exhaustive %s, %s", nm[m], e ? "top byte" : "low byte");
			result(name, n, bad[m], cex);
		}
	}
}

/* ---- specification of a full comparator at 32 bits, written from the rules --------------------- */
static int spec_us(unsigned us, int pr) { return us == 2 ? !pr : us == 3 ? pr : 1; }
static int spec_er(unsigned er, int xs) { return er == 1 ? 0 : er == 2 ? !xs : er == 3 ? xs : 1; }

static int spec_pair(unsigned mode, uint32_t a, uint32_t r1, uint32_t r2)
{
	switch (mode) {
	case 1: return ((a ^ r1) & r2) == 0;                          /* bits set in reg2 compared */
	case 2: return !(a < r1) && (a < r2);                         /* r1 <= a < r2 */
	default: return (a < r1) || !(a < r2);                        /* outside [r1, r2) */
	}
}

static const uint32_t IV[] = { 0, 4, 8, 0x7FFFFFFC, 0x80000000, 0x80000004, 0xFFFFFFF8, 0xFFFFFFFC };
static const uint32_t DV[] = { 0, 1, 2, 0x7FFFFFFF, 0x80000000, 0x80000001, 0xFFFFFFFE, 0xFFFFFFFF };
#define NV 8

static void orders(int dac)
{
	struct dbg_opts o;
	dbg_opts_default(&o, DBG_E500V2);
	unsigned long long n = 0, bad = 0;
	char cex[200] = "";
	const uint32_t *V = dac ? DV : IV;
	for (int ia = 0; ia < NV; ia++) for (int i1 = 0; i1 < NV; i1++) for (int i2 = 0; i2 < NV; i2++)
	for (unsigned mode = 0; mode < 4; mode++)
	for (unsigned q = 0; q < 256; q++)               /* US1 ER1 US2 ER2, 2 bits each */
	for (unsigned msrb = 0; msrb < 8; msrb++)        /* PR, IS/DS, DE */
	for (unsigned en = 1; en < 4; en++)              /* comparator 1, 2 or both enabled */
	for (int w = 0; w < (dac ? 2 : 1); w++) {
		uint32_t a = V[ia], r1 = V[i1], r2 = V[i2];
		unsigned us1 = q >> 6 & 3, er1 = q >> 4 & 3, us2 = q >> 2 & 3, er2 = q & 3;
		int pr = msrb & 1, xs = msrb >> 1 & 1, de = msrb >> 2 & 1;
		uint32_t msr = (pr ? MSR_PR : 0) | (xs ? (dac ? MSR_DS : MSR_IS) : 0) | (de ? MSR_DE : 0);
		struct dbg_cmp c = { 0 };
		uint32_t qual = us1 << 30 | er1 << 28 | us2 << 26 | er2 << 24 | mode << 22;
		uint32_t b1, b2;
		if (dac) {
			b1 = w ? DBCR0_DAC1W : DBCR0_DAC1R;
			b2 = w ? DBCR0_DAC2W : DBCR0_DAC2R;
			c.dbcr2 = qual; c.dac[0] = r1; c.dac[1] = r2;
		} else {
			b1 = DBCR0_IAC1; b2 = DBCR0_IAC2;
			c.dbcr1 = qual; c.iac[0] = r1; c.iac[1] = r2;
		}
		c.dbcr0 = DBCR0_IDM | ((en & 1) ? b1 : 0) | ((en & 2) ? b2 : 0);
		int q1 = spec_us(us1, pr) && spec_er(er1, xs), q2 = spec_us(us2, pr) && spec_er(er2, xs);
		uint32_t want = 0;
		if (mode == 0) {
			if ((en & 1) && q1 && a == r1) want |= b1;
			if ((en & 2) && q2 && a == r2) want |= b2;
		} else if (spec_pair(mode, a, r1, r2)) {
			if ((en & 1) && q1) want |= b1;
			if ((en & 2) && q2) want |= b2;
		}
		uint32_t got = dac ? dbg_dac_match(&c, &o, DBG_E500V2, a, 1, w, msr, false)
				   : dbg_iac_match(&c, &o, a, msr, de);
		n++;
		if (got != want && !bad++)
			snprintf(cex, sizeof cex, "mode %u a=0x%X r1=0x%X r2=0x%X US/ER %u%u/%u%u PR%d XS%d DE%d en%u "
				 "want 0x%X got 0x%X", mode, a, r1, r2, us1, er1, us2, er2, pr, xs, de, en, want, got);
	}
	result(dac ? "DAC order types x modes x US/ER x MSR x enables x R/W" :
		     "IAC order types x modes x US/ER x MSR x enables", n, bad, cex);
}

int main(int argc, char **argv)
{
	(void)argv;
	if (argc > 1 && strcmp(argv[1], "--quick")) {
		fprintf(stderr, "usage: prove [--quick]\n");
		return 2;
	}
	build_member();
	orders(0);
	orders(1);
	if (argc == 1)
		sweep8();
	printf("proved: %d/%d obligations\n", proved, total);
	return proved == total ? 0 : 1;
}
