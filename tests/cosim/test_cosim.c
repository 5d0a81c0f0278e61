/* Tests of the lockstep co-simulation API (model/cosim.h), through its public functions only, as
 * an RTL testbench would call them. Each function checks one property and is named after it. */
#include <stdio.h>
#include <string.h>

#include "cosim.h"

static int failures, checks;
static const char *current;

#define CHECK(cond) do { checks++; if (!(cond)) { failures++; \
	printf("FAIL %s: %s (line %d)\n", current, #cond, __LINE__); } } while (0)

enum { DBCR0 = 308, DBSR = 304, IAC1 = 312, DAC1 = 316, IVPR = 63, IVOR15 = 415, CSRR0 = 58 };

/* docs/tour/07-delayed-event.trace, set up through the back door. */
static int tour07(void)
{
	int h = cosim_create(0);
	cosim_set_reg(h, IVPR, 0xFFFF0000);
	cosim_set_reg(h, IVOR15, 0xF00);
	cosim_set_reg(h, COSIM_SPR_MSR, 0x1000);
	cosim_set_reg(h, DBCR0, 0x40800000);
	cosim_set_reg(h, IAC1, 0x2000);
	return h;
}

static int nop(int h, uint64_t cycle, uint32_t pc)
{
	return cosim_step(h, cycle, pc, cosim_insn_kind("nop"), 0, 0, 0, 0, 0, 0);
}

static void expected_values_follow_the_delayed_event_scenario(void)
{
	int h = tour07();
	CHECK(h >= 1);
	CHECK(nop(h, 1, 0x2000) == COSIM_NONE);
	CHECK(cosim_expected_events(h) == 0x00800000);          /* IAC1 recorded ... */
	CHECK(cosim_expected_dbsr(h) == 0x80800000);            /* ... with IDE, DE=0 */
	CHECK(cosim_expected_debug(h) == 0);
	CHECK(cosim_expected_next_pc(h) == 0x2004);
	CHECK(nop(h, 2, 0x2004) == COSIM_NONE);
	CHECK(cosim_step(h, 3, 0x2008, cosim_insn_kind("mtmsr"), 0, 0, 0, 0, 0x1200, 0) == COSIM_DEBUG);
	CHECK(cosim_expected_saved_pc(h) == 0x200C);             /* the instruction after mtmsr */
	CHECK(cosim_expected_vector(h) == 0xFFFF0F00);
	CHECK(cosim_expected_cycle(h) == 3);
	CHECK(cosim_get_reg(h, CSRR0) == 0x200C);
	CHECK(cosim_insn_count(h) == 3);
	cosim_destroy(h);
}

static void check_accepts_a_dut_that_agrees(void)
{
	int h = tour07();
	nop(h, 1, 0x2000);
	CHECK(cosim_check(h, 0x80800000, 0, 0) == 0);
	cosim_step(h, 2, 0x2004, cosim_insn_kind("mtmsr"), 0, 0, 0, 0, 0x1200, 0);
	CHECK(cosim_check(h, 0x80800000, 1, 0x2008) == 0);
	CHECK(cosim_error_count(h) == 0);
	cosim_destroy(h);
}

static void check_queues_one_message_per_wrong_field(void)
{
	char buf[256];
	int h = tour07();
	nop(h, 1, 0x2000);
	CHECK(cosim_check(h, 0x00800000, 0, 0) == 1);           /* DUT forgot IDE */
	cosim_step(h, 2, 0x2004, cosim_insn_kind("mtmsr"), 0, 0, 0, 0, 0x1200, 0);
	CHECK(cosim_check(h, 0x80800000, 0, 0) == 1);           /* DUT took no interrupt */
	CHECK(cosim_check(h, 0x80800000, 1, 0x2004) == 1);      /* wrong saved PC */
	CHECK(cosim_error_count(h) == 3);
	CHECK(cosim_next_error(h, buf, sizeof buf) == 1);
	CHECK(!strcmp(buf, "cycle 1 pc 0x00002000 (nop): DBSR: model 0x80800000, DUT 0x00800000"));
	CHECK(!strcmp(cosim_pop_error(h), "cycle 2 pc 0x00002004 (mtmsr): debug interrupt: model taken, DUT none"));
	CHECK(!strcmp(cosim_pop_error(h), "cycle 2 pc 0x00002004 (mtmsr): CSRR0: model 0x00002008, DUT 0x00002004"));
	CHECK(cosim_error_count(h) == 0);
	CHECK(!strcmp(cosim_pop_error(h), ""));
	CHECK(cosim_next_error(h, buf, sizeof buf) == 0);
	cosim_destroy(h);
}

static void e500mc_saved_pc_is_named_dsrr0(void)
{
	int h = cosim_create(1);
	cosim_set_reg(h, COSIM_SPR_MSR, 0x200);
	cosim_set_reg(h, DBCR0, 0x48000000);                    /* IDM|ICMP */
	CHECK(nop(h, 1, 0x1000) == COSIM_DEBUG);
	CHECK(cosim_check(h, 0x08000000, 1, 0x1000) == 1);
	CHECK(strstr(cosim_pop_error(h), "DSRR0: model 0x00001004, DUT 0x00001000") != NULL);
	cosim_destroy(h);
}

static void overflowing_queue_keeps_the_oldest_and_counts_the_rest(void)
{
	int h = tour07();
	nop(h, 1, 0x2000);
	for (int i = 0; i < 300; i++)
		cosim_check(h, 0, 0, 0);
	CHECK(cosim_error_count(h) == 257);
	for (int i = 0; i < 256; i++)
		cosim_pop_error(h);
	CHECK(!strcmp(cosim_pop_error(h), "... 44 more mismatches (queue full)"));
	CHECK(cosim_error_count(h) == 0);
	cosim_destroy(h);
}

static void dual_completion_squashes_the_younger_after_an_older_interrupt(void)
{
	int h = tour07();
	cosim_set_reg(h, COSIM_SPR_MSR, 0x1200);                /* DE=1: IAC1 is precise */
	CHECK(nop(h, 5, 0x2000) == COSIM_DEBUG);
	CHECK(cosim_expected_saved_pc(h) == 0x2000);
	CHECK(cosim_step(h, 5, 0x2004, cosim_insn_kind("store"), 0x9000, 4, 0, 0, 0, 0) == COSIM_SQUASHED);
	cosim_destroy(h);
}

static void a_fault_flag_beats_a_data_breakpoint(void)
{
	int h = cosim_create(0);
	cosim_set_reg(h, COSIM_SPR_MSR, 0x200);
	cosim_set_reg(h, DAC1, 0x7000);
	cosim_set_reg(h, DBCR0, 0x40080000);                    /* IDM|DAC1R */
	int load = cosim_insn_kind("load");
	CHECK(cosim_step(h, 1, 0x1000, load, 0x7000, 4, 0, 0, 0, COSIM_FAULT(cosim_fault_kind("dsi"))) ==
	      COSIM_NONE);
	CHECK(cosim_expected_events(h) == 0);
	CHECK(cosim_step(h, 2, 0x1000, load, 0x7000, 4, 0, 0, 0, 0) == COSIM_DEBUG);
	CHECK(cosim_expected_events(h) == 0x00080000);
	cosim_destroy(h);
}

static void options_and_names_are_looked_up_by_name(void)
{
	int h = cosim_create(0);
	CHECK(cosim_set_option(h, "RET_SAVED_PC", "RFI_ADDRESS") == 0);
	CHECK(cosim_set_option(h, "RET_SAVED_PC", "MAYBE") == -1);
	CHECK(cosim_set_option(h, "NO_SUCH_OPTION", "YES") == -1);
	CHECK(cosim_insn_kind("branch-nt") >= 0 && cosim_insn_kind("LOAD") == cosim_insn_kind("load"));
	CHECK(cosim_insn_kind("frobnicate") == -1);
	CHECK(cosim_irq_kind("external") > 0 && cosim_irq_kind("none") == -1);
	CHECK(cosim_fault_kind("alignment") == 6 && cosim_fault_kind("bogus") == -1);
	CHECK(cosim_set_reg(h, 999, 1) == -1);                    /* no such SPR */
	CHECK(cosim_set_reg(h, DBCR0, 0x40000000) == 0);          /* IDM */
	CHECK(cosim_irq(h, 1, cosim_irq_kind("external")) == COSIM_NONE);
	CHECK(cosim_ude(h, 2) == COSIM_NONE);                     /* DE=0: recorded, delayed */
	CHECK(cosim_expected_dbsr(h) == 0xC0000000);              /* IDE|UDE */
	cosim_destroy(h);
}

static void bad_handles_and_kinds_do_nothing(void)
{
	int a = cosim_create(0), b = cosim_create(0);
	CHECK(a != b && a >= 1 && b >= 1);
	CHECK(cosim_create(7) == -1);
	CHECK(cosim_step(a, 1, 0x1000, 99, 0, 0, 0, 0, 0, 0) == COSIM_BAD_ARG);
	CHECK(cosim_step(0, 1, 0x1000, 0, 0, 0, 0, 0, 0, 0) == COSIM_BAD_ARG);
	CHECK(cosim_irq(a, 1, 0) == COSIM_BAD_ARG);
	CHECK(cosim_insn_count(a) == 0);
	cosim_set_reg(a, DBSR, 0x08000000);
	CHECK(cosim_get_reg(b, DBSR) == 0);                       /* instances are independent */
	cosim_destroy(a);
	CHECK(cosim_step(a, 1, 0x1000, 0, 0, 0, 0, 0, 0, 0) == COSIM_BAD_ARG);
	CHECK(cosim_create(0) == a);                              /* the handle is reused */
	cosim_destroy(a);
	cosim_destroy(b);
}

int main(void)
{
	static const struct { const char *name; void (*fn)(void); } tests[] = {
#define T(f) { #f, f }
		T(expected_values_follow_the_delayed_event_scenario),
		T(check_accepts_a_dut_that_agrees),
		T(check_queues_one_message_per_wrong_field),
		T(e500mc_saved_pc_is_named_dsrr0),
		T(overflowing_queue_keeps_the_oldest_and_counts_the_rest),
		T(dual_completion_squashes_the_younger_after_an_older_interrupt),
		T(a_fault_flag_beats_a_data_breakpoint),
		T(options_and_names_are_looked_up_by_name),
		T(bad_handles_and_kinds_do_nothing),
	};
	unsigned n = sizeof tests / sizeof tests[0];
	for (unsigned i = 0; i < n; i++) {
		current = tests[i].name;
		tests[i].fn();
	}
	printf("cosim tests: %u tests, %d checks, %d failed\n", n, checks, failures);
	return failures ? 1 : 0;
}
