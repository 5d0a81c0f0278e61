/* Completion slots: at most two instructions complete per cycle, in order; the younger one is
 * squashed by an interrupt on the older, and waits a cycle behind a serializing instruction or a
 * second store; a handler's first instruction waits for the debug interrupt entry
 * (#dual-completion). */
#include "dbg_core.h"

static enum dbg_slip why_slip(const struct dbg_unit *u, const struct dbg_insn *in)
{
	if (u->cq.slots >= 2)
		return DBG_SLIP_WIDTH;
	if (u->cq.serializes)
		return DBG_SLIP_SERIALIZE;
	if (u->cq.store && in && is_store(in))
		return DBG_SLIP_STORE;
	return DBG_SLIP_NONE;
}

/* Place an instruction in a completion slot. Returns false if it is squashed. */
bool slot(struct dbg_unit *u, struct dbg_result *res, uint64_t cycle, const struct dbg_insn *in)
{
	if (!u->started || cycle > u->cycle) {
		if (cycle < u->earliest) {
			cycle = u->earliest;
			res->slip = DBG_SLIP_ENTRY;
		}
		u->started = true;
		u->cycle = cycle;
		u->cq.slots = 0;
		u->cq.interrupted = false;
	} else {
		if (u->cq.interrupted) {
			res->action = DBG_ACT_SQUASHED;
			note(u, res, R_SQUASH, 0, 0, 0);
			return false;
		}
		enum dbg_slip why = why_slip(u, in);
		if (why != DBG_SLIP_NONE) {
			res->slip = why;
			u->cycle++;
			u->cq.slots = 0;
			note(u, res, R_SLIP, (uint32_t)u->cycle, why, 0);
		}
	}
	res->cycle = u->cycle;
	return true;
}

/* An asynchronous input (interrupt, UDE) happens at the boundary of 'cycle'. */
void slot_async(struct dbg_unit *u, struct dbg_result *res, uint64_t cycle)
{
	if (cycle > u->cycle || !u->started) {
		u->started = true;
		u->cycle = cycle;
		u->cq.slots = 0;
	}
	res->cycle = u->cycle;
}

/* The instruction took its slot: what a younger partner in the same cycle must respect. */
void slot_done(struct dbg_unit *u, const struct dbg_insn *in, const struct dbg_result *res)
{
	u->cq.slots++;
	u->cq.serializes = serializes(in->kind);
	u->cq.store = is_store(in);
	u->cq.interrupted = res->nirq > 0 || u->halted;
}
