// Rule 7 (options) and the trace format: malformed input is rejected with FILE:LINE:COL.
#include <cstring>
#include <string>

#include "helpers.h"

TEST(Options, EveryOptionHasValuesDefaultAndReason)
{
	for (int i = 0; i < DBG_OPT_COUNT; i++) {
		const struct dbg_opt_desc &d = dbg_opt_desc[i];
		ASSERT_NE(d.name, nullptr);
		EXPECT_GT(strlen(d.reason), 20u) << d.name;
		EXPECT_TRUE(d.int_max > 0 || d.values[0]) << d.name;
		for (int c = 0; c < 2; c++) {
			if (d.int_max > 0)
				EXPECT_LE(d.dflt[c], d.int_max);
			else {
				int n = 0;
				while (d.values[n])
					n++;
				EXPECT_LT(d.dflt[c], n) << d.name;
			}
		}
		EXPECT_EQ(dbg_opt_find(d.name), i);
	}
}

TEST(Options, DefaultsFollowTheFactsSheet)
{
	dbg_opts v2, mc;
	dbg_opts_default(&v2, DBG_E500V2);
	dbg_opts_default(&mc, DBG_E500MC);
	EXPECT_EQ(v2.v[DBG_OPT_RET_SAVED_PC], DBG_RET_RETURN_TARGET);
	EXPECT_EQ(mc.v[DBG_OPT_RET_SAVED_PC], DBG_RET_RFI_ADDRESS);
	EXPECT_EQ(v2.v[DBG_OPT_HAS_FT], 0);
	EXPECT_EQ(mc.v[DBG_OPT_HAS_FT], 1);
	EXPECT_EQ(v2.v[DBG_OPT_PENDING_RULE], DBG_PENDING_ANY_EVENT_BIT);
	EXPECT_EQ(v2.v[DBG_OPT_DEBUG_SPR_WINDOW], DBG_WINDOW_NEW_AT_CSI);
	EXPECT_EQ(v2.v[DBG_OPT_DBSR_RECORD_WHEN_IDM0], DBG_IDM0_NONE_EXCEPT_TRAP);
	EXPECT_EQ(v2.v[DBG_OPT_IAC_IGNORE_LOW2], 1);
	EXPECT_EQ(v2.v[DBG_OPT_DAC_MATCH_ANY_BYTE], 0);
}

TEST(Options, ParseValuesCaseInsensitiveAndRejectUnknown)
{
	EXPECT_EQ(dbg_opt_parse_value(DBG_OPT_PENDING_RULE, "ide_only"), DBG_PENDING_IDE_ONLY);
	EXPECT_EQ(dbg_opt_parse_value(DBG_OPT_PENDING_RULE, "bogus"), -1);
	EXPECT_EQ(dbg_opt_parse_value(DBG_OPT_DEBUG_INT_ENTRY_CYCLES, "8"), 8);
	EXPECT_EQ(dbg_opt_parse_value(DBG_OPT_DEBUG_INT_ENTRY_CYCLES, "9"), -1);
	EXPECT_EQ(dbg_opt_parse_value(DBG_OPT_DEBUG_INT_ENTRY_CYCLES, "-1"), -1);
	EXPECT_EQ(dbg_opt_find("no_such"), -1);
}

static std::string parse_error(const char *text)
{
	trace t;
	char err[512] = "";
	int rc = trace_parse_string("t.trace", text, &t, err, sizeof err);
	if (rc == 0) {
		trace_free(&t);
		return "OK";
	}
	EXPECT_EQ(t.n, 0u);   // nothing half-parsed is left behind
	return err;
}

TEST(Parser, AcceptsTheFormatExample)
{
	EXPECT_EQ(parse_error("core e500v2\n# c\nset IVPR=0xFFFF0000 MSR=0x200 DBCR0=0x48000000\n"
			      "exec 0x1000 nop\nexpect events=ICMP debug=taken csrr0=0x1004\n"), "OK");
}

TEST(Parser, KeywordsAndRegistersAreCaseInsensitive)
{
	EXPECT_EQ(parse_error("CORE E500MC\nSET dbcr0=1 Msr=0\nEXEC 0X10 NOP\nExpect DSRR0=0 Events=none\n"),
		  "OK");
}

TEST(Parser, ReportsLineAndColumn)
{
	EXPECT_EQ(parse_error("set MSR=0\nexec 0x1000 frob\n"),
		  "t.trace:2:13: unknown instruction 'frob'");
	EXPECT_EQ(parse_error("set MSR=0x1FFFFFFFF\n"),
		  "t.trace:1:9: number '0x1FFFFFFFF' is out of range (max 0xFFFFFFFF)");
	EXPECT_EQ(parse_error("  set NOPE=1\n"), "t.trace:1:7: unknown register 'NOPE'");
	EXPECT_EQ(parse_error("expect events=IAC1,BOGUS\n"), "t.trace:1:20: unknown event 'BOGUS'");
}

TEST(Parser, RejectsMalformedStatements)
{
	const char *bad[] = {
		"frobnicate\n", "exec\n", "exec 0x100\n", "exec zz nop\n", "exec 0x100 nop extra\n",
		"exec 0x100 load\n", "exec 0x100 load 0x10 3\n", "exec 0x100 lmw 0x10 0\n",
		"exec 0x100 branch\n", "exec 0x100 mtspr DBCR0\n", "exec 0x100 mtspr MSR 1\n",
		"exec 0x100 nop fault=dsi\n", "exec 0x100 load 0x10 fault=bogus\n",
		"set\n", "set DBCR0\n", "set DBCR0=\n", "set =1\n", "expect debug=maybe\n",
		"expect squashed=perhaps\n", "expect irq=nmi\n", "irq\n", "irq nmi\n", "ude now\n",
		"core e500v9\n", "set MSR=0\ncore e500v2\n", "core e500v2\ncore e500v2\n",
		"opt NO_SUCH=1\n", "opt PENDING_RULE=SOMETIMES\n", "set MSR=0\nopt PAIR_MODES=RESERVED\n",
		"exec 0x100 @5 nop\nexec 0x104 @4 nop\n", "exec 0x100 @x nop\n", "set 999=1\n",
	};
	for (const char *b : bad) {
		std::string e = parse_error(b);
		EXPECT_NE(e, "OK") << b;
		EXPECT_EQ(e.rfind("t.trace:", 0), 0u) << e;
	}
}

// strtoull skips a second "0x": "0x0x200" was read as 0x200. Every character must be a digit.
TEST(Parser, NumberWithTwoHexPrefixesIsRefused)
{
	EXPECT_EQ(parse_error("set MSR=0x0x200\n"),
		  "t.trace:1:9: expected a number (0x hex or decimal), got '0x0x200'");
	EXPECT_EQ(parse_error("exec 0X0X10 nop\n"),
		  "t.trace:1:6: expected a number (0x hex or decimal), got '0X0X10'");
	EXPECT_EQ(parse_error("exec 0x10 @0x0x5 nop\n"),
		  "t.trace:1:12: expected a number (0x hex or decimal), got '0x0x5'");
	EXPECT_EQ(parse_error("set MSR=0x200 DBCR0=0xFFFFFFFF\n"), "OK");
}

// "events=," once parsed as events=none (strtok skips empty items): an empty name is an error.
TEST(Parser, EmptyEventNameIsRefused)
{
	const std::string msg = "empty event name in the list (events= takes names separated by "
				"commas, or none)";
	EXPECT_EQ(parse_error("expect events=,\n"), "t.trace:1:15: " + msg);
	EXPECT_EQ(parse_error("expect events=IAC1,\n"), "t.trace:1:20: " + msg);
	EXPECT_EQ(parse_error("expect events=IAC1,,IAC2\n"), "t.trace:1:20: " + msg);
	EXPECT_EQ(parse_error("expect events=IAC1,IAC2\n"), "OK");
}

// "events=IAC1,none" said "unknown event 'none'", a name the format does know.
TEST(Parser, NoneInAnEventListSaysItStandsAlone)
{
	EXPECT_EQ(parse_error("expect events=IAC1,None\n"),
		  "t.trace:1:20: 'none' stands alone: it cannot be listed with events");
	EXPECT_EQ(parse_error("expect events=NONE\n"), "OK");
}

// FORMAT.md: keywords are case-insensitive. "FAULT=itlb" was taken for an operand ("'nop' takes no
// operands"); every other keyword place already compared without case.
TEST(Parser, FaultKeywordIsCaseInsensitive)
{
	trace t;
	char err[256] = "";
	ASSERT_EQ(trace_parse_string("t", "exec 0x100 nop FAULT=itlb\nexec 0x104 load 0x10 Fault=DSI\n"
				     "EXEC 0x108 STWCX 0x10 FAIL fAuLt=Alignment\n", &t, err, sizeof err), 0)
		<< err;
	EXPECT_EQ(t.s[0].insn.fault, DBG_F_ITLB);
	EXPECT_EQ(t.s[1].insn.fault, DBG_F_DSI);
	EXPECT_EQ(t.s[2].insn.fault, DBG_F_ALIGNMENT);
	EXPECT_EQ(t.s[2].insn.flags, DBG_INSN_FAIL);
	trace_free(&t);
}

// A fault operand in the wrong place is named as such, not as a bad number or extra operand.
TEST(Parser, MisplacedFaultOperandSaysSo)
{
	EXPECT_EQ(parse_error("exec 0x100 load 0x10 fault=dsi 4\n"),
		  "t.trace:1:22: 'fault=dsi' must be the last operand (fault=KIND ends the instruction, once)");
	EXPECT_EQ(parse_error("exec 0x100 load 0x10 FAULT=dsi fault=isi\n"),
		  "t.trace:1:22: 'FAULT=dsi' must be the last operand (fault=KIND ends the instruction, once)");
	EXPECT_EQ(parse_error("exec 0x100 @3 fault=itlb\n"),
		  "t.trace:1:15: exec needs an instruction before 'fault=itlb'");
	EXPECT_EQ(parse_error("exec 0x100 nop Fault=\n"),
		  "t.trace:1:22: fault= needs a KIND (itlb, isi, program, dtlb, dsi, alignment)");
}

// A register is a name or a decimal SPR number: "mtspr 0x134 1" (DBCR0 in hex) ran as a write to
// an unknown SPR, and "set 0x134=1" said "SPR 0x134 is not modelled".
TEST(Parser, HexSprNumberIsRefused)
{
	EXPECT_EQ(parse_error("exec 0x100 mtspr 0x134 1\n"),
		  "t.trace:1:18: SPR numbers are decimal, got '0x134'");
	EXPECT_EQ(parse_error("exec 0x100 mfspr 0X134\n"),
		  "t.trace:1:18: SPR numbers are decimal, got '0X134'");
	EXPECT_EQ(parse_error("set 0x134=1\n"), "t.trace:1:5: SPR numbers are decimal, got '0x134'");
	EXPECT_EQ(parse_error("exec 0x100 mtspr 304 1\nexec 0x104 mfspr 999\n"), "OK");
}

TEST(Parser, CyclesAreImpliedAndExplicit)
{
	trace t;
	char err[256];
	ASSERT_EQ(trace_parse_string("t", "exec 0x0 nop\nexec 0x4 @7 nop\nexec 0x8 @7 nop\n", &t, err,
				     sizeof err), 0);
	EXPECT_FALSE(t.s[0].has_cycle);
	EXPECT_TRUE(t.s[1].has_cycle);
	EXPECT_EQ(t.s[2].cycle, 7u);
	trace_free(&t);
}

TEST(Parser, OptionsInTraceOverrideCommandLine)
{
	trace t;
	char err[256];
	ASSERT_EQ(trace_parse_string("t", "core e500mc\nopt PENDING_RULE=IDE_ONLY\n", &t, err, sizeof err), 0);
	run_cfg cfg{};
	cfg.opt_set[DBG_OPT_PENDING_RULE] = true;
	cfg.opt[DBG_OPT_PENDING_RULE] = DBG_PENDING_ANY_EVENT_BIT;
	cfg.opt_set[DBG_OPT_PAIR_MODES] = true;
	cfg.opt[DBG_OPT_PAIR_MODES] = DBG_PAIR_RESERVED;
	dbg_opts o;
	trace_options(&t, &cfg, &o);
	EXPECT_EQ(o.v[DBG_OPT_PENDING_RULE], DBG_PENDING_IDE_ONLY);
	EXPECT_EQ(o.v[DBG_OPT_PAIR_MODES], DBG_PAIR_RESERVED);
	EXPECT_EQ(o.v[DBG_OPT_RET_SAVED_PC], DBG_RET_RFI_ADDRESS);   // e500mc default
	trace_free(&t);
}

// A sink that collects the runner's text in a string.
static void to_string(void *ctx, const char *text, size_t len)
{
	static_cast<std::string *>(ctx)->append(text, len);
}

TEST(Runner, FailedExpectIsReportedWithFileAndLine)
{
	trace t;
	char err[256];
	ASSERT_EQ(trace_parse_string("f.trace", "set DBSR=0x00800000\nexpect dbsr=0 pc=0\n", &t, err,
				     sizeof err), 0);
	std::string text;
	tr_sink out{ to_string, &text };
	run_cfg cfg{};
	cfg.out = &out;
	cfg.quiet = true;
	run_stats st{};
	EXPECT_EQ(trace_run(&t, &cfg, &st), 1u);
	EXPECT_EQ(text, "f.trace:2: expected dbsr=0x00000000, got 0x00800000\n");
	trace_free(&t);
}

// The runner writes through its sink only: a stdio stream behind tr_sink_file() gets the same bytes
// as a caller's own sink, narration and samples included, and standard output gets none of them.
TEST(Runner, OutputGoesOnlyThroughTheSinks)
{
	trace t;
	char err[256];
	ASSERT_EQ(trace_parse_string("s.trace", "set IVPR=0xFFFF0000 IVOR15=0xF00 MSR=0x200 "
				     "DBCR0=0x48000000\nexec 0x1000 nop\nexpect events=ICMP debug=taken\n"
				     "expect events=none\n", &t, err, sizeof err), 0);
	std::string text, samples;
	tr_sink out{ to_string, &text }, smp{ to_string, &samples };
	run_cfg cfg{};
	cfg.explain = true;
	cfg.out = &out;
	cfg.samples = &smp;
	run_stats st{};
	char *fbuf = nullptr, *sbuf = nullptr;
	size_t flen = 0, slen = 0;
	FILE *f = open_memstream(&fbuf, &flen), *sf = open_memstream(&sbuf, &slen);
	tr_sink fout = tr_sink_file(f), fsmp = tr_sink_file(sf);
	run_cfg fcfg = cfg;
	fcfg.out = &fout;
	fcfg.samples = &fsmp;
	testing::internal::CaptureStdout();
	EXPECT_EQ(trace_run(&t, &cfg, &st), 1u);
	EXPECT_EQ(trace_run(&t, &fcfg, &st), 1u);
	EXPECT_EQ(testing::internal::GetCapturedStdout(), "");
	fclose(f);
	fclose(sf);
	EXPECT_GT(text.size(), 0u);
	EXPECT_NE(text.find("    - ICMP"), std::string::npos);   // the narration went there too
	EXPECT_GT(samples.size(), 0u);
	EXPECT_EQ(text, std::string(fbuf, flen));
	EXPECT_EQ(samples, std::string(sbuf, slen));
	free(fbuf);
	free(sbuf);
	trace_free(&t);
}
