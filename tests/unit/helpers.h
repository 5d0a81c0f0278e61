// Test fixture: one model instance with recognisable vectors, and short ways to drive it.
#pragma once
#include <gtest/gtest.h>

extern "C" {
#include "dbg_unit.h"
#include "trace.h"
}

constexpr uint32_t IVPR = 0xFFFF0000u;
constexpr uint32_t VEC_DEBUG = 0xFFFF0F00u;     // IVOR15 = 0xF00
constexpr uint32_t VEC_PROGRAM = 0xFFFF0600u;   // IVOR6
constexpr uint32_t VEC_SYSCALL = 0xFFFF0800u;   // IVOR8
constexpr uint32_t VEC_EXTERNAL = 0xFFFF0400u;  // IVOR4
constexpr uint32_t VEC_DEC = 0xFFFF0A00u;       // IVOR10
constexpr uint32_t VEC_CRIT = 0xFFFF0100u;      // IVOR0
constexpr uint32_t VEC_WDOG = 0xFFFF0C00u;      // IVOR12
constexpr uint32_t VEC_DSI = 0xFFFF0200u;       // IVOR2
constexpr uint32_t VEC_ITLB = 0xFFFF0E00u;      // IVOR14
constexpr uint32_t VEC_HVPRIV = 0xFFFF0D00u;    // IVOR41

class Unit : public ::testing::Test {
protected:
	dbg_unit u;
	dbg_result r;
	uint64_t cyc = 0;

	void init(dbg_core core = DBG_E500V2)
	{
		dbg_init(&u, core);
		cyc = 0;
		set(DBG_REG_IVPR, IVPR);
		const uint32_t ivors[][2] = { { DBG_REG_IVOR0, 0x100 }, { DBG_REG_IVOR1, 0x700 },
			{ DBG_REG_IVOR2, 0x200 }, { DBG_REG_IVOR3, 0x300 }, { DBG_REG_IVOR4, 0x400 },
			{ DBG_REG_IVOR5, 0x500 }, { DBG_REG_IVOR6, 0x600 }, { DBG_REG_IVOR8, 0x800 },
			{ DBG_REG_IVOR10, 0xA00 }, { DBG_REG_IVOR11, 0xB00 }, { DBG_REG_IVOR12, 0xC00 },
			{ DBG_REG_IVOR13, 0x900 }, { DBG_REG_IVOR14, 0xE00 }, { DBG_REG_IVOR15, 0xF00 },
			{ DBG_REG_IVOR41, 0xD00 } };
		for (auto &iv : ivors)
			set((dbg_reg_id)iv[0], iv[1]);
	}
	void SetUp() override { init(); }
	void opt(dbg_opt_id id, int v)
	{
		dbg_opts o = *dbg_get_opts(&u);
		o.v[id] = (uint8_t)v;
		ASSERT_EQ(dbg_set_opts(&u, &o), DBG_OK);
	}
	dbg_cmp cmp() const
	{
		dbg_cmp c;
		dbg_comparators(&u, &c, nullptr);
		return c;
	}
	void set(dbg_reg_id reg, uint32_t v) { dbg_set(&u, reg, v); }
	uint32_t get(dbg_reg_id reg) { return dbg_get(&u, reg); }

	dbg_insn insn(dbg_insn_kind k, uint32_t pc)
	{
		dbg_insn in{};
		in.kind = k;
		in.pc = pc;
		in.reg = -1;
		in.size = 4;
		return in;
	}
	const dbg_result &run(const dbg_insn &in, uint64_t at = 0)
	{
		cyc = at ? at : cyc + 1;
		dbg_exec(&u, cyc, &in, &r);
		cyc = r.cycle;
		return r;
	}
	const dbg_result &nop(uint32_t pc) { return run(insn(DBG_I_NOP, pc)); }
	const dbg_result &load(uint32_t pc, uint32_t ea, uint32_t size = 4)
	{
		dbg_insn in = insn(DBG_I_LOAD, pc);
		in.ea = ea;
		in.size = size;
		return run(in);
	}
	const dbg_result &store(uint32_t pc, uint32_t ea, uint32_t size = 4)
	{
		dbg_insn in = insn(DBG_I_STORE, pc);
		in.ea = ea;
		in.size = size;
		return run(in);
	}
	const dbg_result &access(dbg_insn_kind k, uint32_t pc, uint32_t ea, unsigned flags = 0)
	{
		dbg_insn in = insn(k, pc);
		in.ea = ea;
		in.flags = flags;
		return run(in);
	}
	const dbg_result &branch(uint32_t pc, uint32_t target)
	{
		dbg_insn in = insn(DBG_I_BRANCH, pc);
		in.target = target;
		return run(in);
	}
	const dbg_result &mtspr(uint32_t pc, dbg_reg_id reg, uint32_t v)
	{
		dbg_insn in = insn(DBG_I_MTSPR, pc);
		in.reg = reg;
		in.value = v;
		return run(in);
	}
	const dbg_result &mfspr(uint32_t pc, int reg)
	{
		dbg_insn in = insn(DBG_I_MFSPR, pc);
		in.reg = reg;
		return run(in);
	}
	const dbg_result &mtmsr(uint32_t pc, uint32_t v)
	{
		dbg_insn in = insn(DBG_I_MTMSR, pc);
		in.value = v;
		return run(in);
	}
	const dbg_result &simple(dbg_insn_kind k, uint32_t pc) { return run(insn(k, pc)); }
	const dbg_result &irq(dbg_irq_kind k)
	{
		dbg_irq(&u, ++cyc, k, &r);
		return r;
	}
	const dbg_result &ude()
	{
		dbg_ude(&u, ++cyc, &r);
		return r;
	}
	bool took_debug() const { return dbg_result_irq(&r, DBG_IRQ_DEBUG) != nullptr; }
	dbg_irq_kind last_irq() const { return r.nirq ? r.irq[r.nirq - 1].kind : DBG_IRQ_NONE; }
	// the register a debug interrupt saves the PC in, per core
	dbg_reg_id dsave0() const { return save(0); }
	dbg_reg_id dsave1() const { return save(1); }
	dbg_reg_id save(int which) const
	{
		dbg_reg_id s0 = DBG_REG_COUNT, s1 = DBG_REG_COUNT;
		dbg_save_regs(dbg_core_of(&u), DBG_IRQ_DEBUG, &s0, &s1);
		return which ? s1 : s0;
	}
};

constexpr uint32_t DE = MSR_DE, PR = MSR_PR, IS = MSR_IS, DS = MSR_DS, ME = MSR_ME, CE = MSR_CE,
		   EE = MSR_EE, GS = MSR_GS;
