/* Proof mode of the gate harness (included by gate_world.c): finite domains enumerated in full,
 * each an obligation with its domain size and either "proved" or the first counterexample. The
 * claims are exactly the enumerated domains, nothing more. */


static int obligations, proved;

static void report(const char *name, const char *kind, long domain, const char *cex)
{
	obligations++;
	proved += cex == NULL;
	printf("{\"obligation\": ");
	json_str(name);
	printf(", \"kind\": ");
	json_str(kind);
	printf(", \"domain\": %ld, \"result\": \"%s\", \"counterexample\": ", domain,
	       cex ? "counterexample" : "proved");
	json_str(cex ? cex : "");
	printf("}\n");
}

/* The DBSR bits one debug event can leave (plus IDE when recorded with MSR[DE]=0). */
static const uint32_t single_events[] = {
	DBSR_IAC1, DBSR_IAC2, DBSR_IAC1 | DBSR_IAC2, DBSR_DAC1R, DBSR_DAC1W, DBSR_DAC2R, DBSR_DAC2W,
	DBSR_DAC1R | DBSR_DAC2R, DBSR_DAC1W | DBSR_DAC2W, DBSR_ICMP, DBSR_BRT, DBSR_TRAP, DBSR_RET,
	DBSR_IRPT, DBSR_UDE, 0,
};
#define NSINGLE (sizeof single_events / sizeof single_events[0])
static const uint32_t all_bits[] = { DBSR_IDE, DBSR_IAC1, DBSR_IAC2, DBSR_DAC1R, DBSR_DAC1W,
	DBSR_DAC2R, DBSR_DAC2W, DBSR_ICMP, DBSR_BRT, DBSR_TRAP, DBSR_RET, DBSR_IRPT, DBSR_UDE };

#define NIP 0x2468u
#define DAC1_ADDR 0x9000u
#define DAC2_ADDR 0x9400u

/* What userspace must read for a userspace-owned event: QEMU must find the request that fired. */
static int decode_ok(uint32_t dbsr, uint32_t status, uint64_t addr, char *why, size_t n)
{
	uint32_t bp = (uint32_t)harness.gate_kvmppc_debug_breakpoint, ww = (uint32_t)harness.gate_watch_write,
		 wr = (uint32_t)harness.gate_watch_read;
	if (dbsr & (DBSR_IAC1 | DBSR_IAC2)) {
		if ((status & bp) && addr == NIP)
			return 1;
		snprintf(why, n, "IAC: status 0x%X address 0x%llX, want BREAKPOINT at the PC", status,
			 (unsigned long long)addr);
		return 0;
	}
	uint32_t w = dbsr & (DBSR_DAC1W | DBSR_DAC2W), r = dbsr & (DBSR_DAC1R | DBSR_DAC2R);
	if (w || r) {
		uint32_t want_st = w ? ww : wr;
		uint32_t bits = w ? w : r;
		uint64_t want_a = (bits & (DBSR_DAC1W | DBSR_DAC1R)) ? DAC1_ADDR : DAC2_ADDR;
		if ((status & want_st) && !(status & bp) && addr == want_a)
			return 1;
		snprintf(why, n, "DAC: status 0x%X address 0x%llX, want %s at 0x%llX", status,
			 (unsigned long long)addr, w ? "WATCH_WRITE" : "WATCH_READ",
			 (unsigned long long)want_a);
		return 0;
	}
	if (status == 0 && addr == NIP)
		return 1;
	snprintf(why, n, "no IAC/DAC: status 0x%X address 0x%llX, want 0 at the PC", status,
		 (unsigned long long)addr);
	return 0;
}

static void prove_decode(void)
{
	char cex[300], why[200];
	struct gate_ctx vc;
	uint32_t status;
	uint64_t addr;
	int queued;
	/* userspace owns the facility: every single event, with and without IDE, both MSR[DE] */
	long n = 0;
	cex[0] = 0;
	for (unsigned i = 0; i < NSINGLE; i++)
		for (int ide = 0; ide < 2; ide++)
			for (int de = 0; de < 2; de++) {
				uint32_t dbsr = single_events[i] | (ide ? DBSR_IDE : 0);
				begin();
				glue_set_guest_debug(GATE_GUESTDBG_ENABLE | GATE_GUESTDBG_USE_HW_BP, (struct gate_bp[]){ { DAC1_ADDR, (uint32_t)harness.gate_watch_write },
					{ DAC2_ADDR, (uint32_t)harness.gate_watch_read } }, 2);
				glue_vcpu_ctx(&vc);
				n++;
				int rr = glue_decode(dbsr, GATE_GUESTDBG_ENABLE | GATE_GUESTDBG_USE_HW_BP, de ? MSR_DE : 0, vc.dbcr0, NIP,
						     &status, &addr, &queued);
				if (!cex[0] && (rr != glue_resume_host() || !decode_ok(dbsr, status, addr, why, sizeof why)))
					snprintf(cex, sizeof cex, "DBSR=0x%08X guest DE=%d: %s%s", dbsr, de, why,
						 rr != glue_resume_host() ? " (did not exit to userspace)" : "");
			}
	report("decode kvmppc_handle_debug: userspace-owned, every single debug event x IDE x guest "
	       "MSR[DE]", "bug", n, cex[0] ? cex : NULL);

	/* any DBSR value at all (combinations no single event produces): robustness */
	n = 0;
	cex[0] = 0;
	for (uint32_t m = 0; m < (1u << 13); m++) {
		uint32_t dbsr = 0;
		for (int b = 0; b < 13; b++)
			if (m & (1u << b))
				dbsr |= all_bits[b];
		begin();
		glue_set_guest_debug(GATE_GUESTDBG_ENABLE | GATE_GUESTDBG_USE_HW_BP, (struct gate_bp[]){ { DAC1_ADDR, (uint32_t)harness.gate_watch_write },
			{ DAC2_ADDR, (uint32_t)harness.gate_watch_read } }, 2);
		glue_vcpu_ctx(&vc);
		n++;
		glue_decode(dbsr, GATE_GUESTDBG_ENABLE | GATE_GUESTDBG_USE_HW_BP, MSR_DE, vc.dbcr0, NIP, &status, &addr, &queued);
		if (!cex[0] && !decode_ok(dbsr, status, addr, why, sizeof why))
			snprintf(cex, sizeof cex, "DBSR=0x%08X: %s", dbsr, why);
	}
	report("decode kvmppc_handle_debug: userspace-owned, all 2^13 DBSR event-bit values", "robustness",
	       n, cex[0] ? cex : NULL);

	/* the guest owns the facility: never exit to userspace; inject as the hardware would */
	n = 0;
	cex[0] = 0;
	for (unsigned i = 0; i < NSINGLE; i++)
		for (int ide = 0; ide < 2; ide++)
			for (int de = 0; de < 2; de++)
				for (int idm = 0; idm < 2; idm++) {
					uint32_t dbsr = single_events[i] | (ide ? DBSR_IDE : 0);
					begin();
					n++;
					int rr = glue_decode(dbsr, 0, de ? MSR_DE : 0, idm ? DBCR0_IDM : 0, NIP,
							     &status, &addr, &queued);
					if (!cex[0] && rr == glue_resume_host())
						snprintf(cex, sizeof cex, "DBSR=0x%08X guest DE=%d IDM=%d: a guest-owned "
							 "event exits to userspace (a stop gdb did not ask for)", dbsr, de, idm);
				}
	report("decode kvmppc_handle_debug: guest-owned, every single event x IDE x MSR[DE] x DBCR0[IDM]",
	       "bug", n, cex[0] ? cex : NULL);
}

/* The encode: every combination of types in the four slots the loop reads x control flags. */
static void prove_encode(void)
{
	const uint32_t bp = (uint32_t)harness.gate_kvmppc_debug_breakpoint, ww = (uint32_t)harness.gate_watch_write,
		       wr = (uint32_t)harness.gate_watch_read;
	const uint32_t types[] = { 0, bp, ww, wr, ww | wr, 0x1, 0x10 };
	const uint32_t controls[] = { GATE_GUESTDBG_ENABLE | GATE_GUESTDBG_USE_HW_BP, GATE_GUESTDBG_ENABLE | GATE_GUESTDBG_USE_HW_BP | GATE_GUESTDBG_SINGLESTEP, GATE_GUESTDBG_ENABLE, 0 };
	char cex[300] = "", cex2[300] = "";
	long n = 0, n2 = 0;
	unsigned char before[512], after[512];
	for (unsigned c = 0; c < 4; c++)
		for (unsigned code = 0; code < 7 * 7 * 7 * 7; code++) {
			struct gate_bp slot[4];
			unsigned k = code;
			int nb = 0, nw = 0, bad = 0;
			uint32_t want = 0, iac[2] = { 0, 0 }, dac[2] = { 0, 0 };
			for (int i = 0; i < 4; i++, k /= 7) {
				slot[i].type = types[k % 7];
				slot[i].addr = 0x1000u + 0x100u * (unsigned)i;
				uint32_t t = slot[i].type;
				if (t & ~(bp | ww | wr))
					bad = 1;
				else if (t == bp) {
					if (nb < 2) {
						want |= nb ? DBCR0_IAC2 : DBCR0_IAC1;
						iac[nb] = (uint32_t)slot[i].addr;
					}
					nb++;
				} else if (t) {
					if (nw < 2) {
						if (t & wr) want |= nw ? DBCR0_DAC2R : DBCR0_DAC1R;
						if (t & ww) want |= nw ? DBCR0_DAC2W : DBCR0_DAC1W;
						dac[nw] = (uint32_t)slot[i].addr;
					}
					nw++;
				}
			}
			uint32_t ctl = controls[c];
			int hw_on = (ctl & GATE_GUESTDBG_ENABLE) && (ctl & GATE_GUESTDBG_USE_HW_BP);
			int expect_einval = hw_on && (bad || nb > 2 || nw > 2);
			if (!hw_on)
				want = 0;
			if (want)
				want |= DBCR0_IDM;
			if ((ctl & GATE_GUESTDBG_ENABLE) && (ctl & GATE_GUESTDBG_SINGLESTEP))
				want |= DBCR0_IDM | DBCR0_ICMP;
			begin();
			/* a request already in force, so that "unchanged" means something */
			glue_set_guest_debug(GATE_GUESTDBG_ENABLE | GATE_GUESTDBG_USE_HW_BP, (struct gate_bp[]){ { 0x5000, bp } }, 1);
			unsigned nbefore = glue_snapshot(before, sizeof before);
			int rc = glue_set_guest_debug(ctl, slot, 4);
			n++;
			struct gate_ctx v;
			glue_vcpu_ctx(&v);
			uint32_t got = v.dbcr0 & (DBCR0_IDM | DBCR0_ICMP | DBCR0_IAC1 | DBCR0_IAC2 | DBCR0_DAC1R |
						  DBCR0_DAC1W | DBCR0_DAC2R | DBCR0_DAC2W);
			if (!cex[0]) {
				if (expect_einval && rc != -GATE_EINVAL)
					snprintf(cex, sizeof cex, "control 0x%X types %X,%X,%X,%X: returned %d, want "
						 "-EINVAL", ctl, slot[0].type, slot[1].type, slot[2].type, slot[3].type, rc);
				else if (!expect_einval && (rc != 0 || got != want ||
					 ((want & DBCR0_IAC1) && v.iac1 != iac[0]) || ((want & DBCR0_IAC2) && v.iac2 != iac[1]) ||
					 ((want & (DBCR0_DAC1R | DBCR0_DAC1W)) && v.dac1 != dac[0]) ||
					 ((want & (DBCR0_DAC2R | DBCR0_DAC2W)) && v.dac2 != dac[1])))
					snprintf(cex, sizeof cex, "control 0x%X types %X,%X,%X,%X: returned %d, DBCR0 "
						 "events 0x%08X IAC 0x%X,0x%X DAC 0x%X,0x%X; want 0, 0x%08X, IAC "
						 "0x%X,0x%X DAC 0x%X,0x%X (where enabled)", ctl, slot[0].type,
						 slot[1].type, slot[2].type, slot[3].type, rc, got, v.iac1, v.iac2,
						 v.dac1, v.dac2, want, iac[0], iac[1], dac[0], dac[1]);
			}
			if (expect_einval) {
				n2++;
				unsigned nafter = glue_snapshot(after, sizeof after);
				if (!cex2[0] && rc == -GATE_EINVAL && (nbefore != nafter || memcmp(before, after, nafter)))
					snprintf(cex2, sizeof cex2, "control 0x%X types %X,%X,%X,%X: -EINVAL but the vCPU "
						 "debug state changed", ctl, slot[0].type, slot[1].type, slot[2].type,
						 slot[3].type);
			}
		}
	report("encode kvm_arch_vcpu_ioctl_set_guest_debug: 7 types (0, BP, W, R, RW, 0x1, 0x10) in each "
	       "of the 4 slots the loop reads x 4 control flag sets", "bug", n, cex[0] ? cex : NULL);
	report("encode kvm_arch_vcpu_ioctl_set_guest_debug: every rejected request leaves the vCPU state "
	       "unchanged", "robustness", n2, cex2[0] ? cex2 : NULL);
}

/* What a request of n bp[] slots must give: *einval, or the DBCR0 enables and the addresses. */
struct encoded { int einval; uint32_t dbcr0, iac[2], dac[2]; };

static struct encoded expect_encode(const struct gate_bp *slot, int n, uint32_t ctl)
{
	const uint32_t bp = (uint32_t)harness.gate_kvmppc_debug_breakpoint, ww = (uint32_t)harness.gate_watch_write,
		       wr = (uint32_t)harness.gate_watch_read;
	struct encoded e = { 0, 0, { 0, 0 }, { 0, 0 } };
	int nb = 0, nw = 0, bad = 0;
	for (int i = 0; i < n; i++) {
		uint32_t t = slot[i].type;
		if (t & ~(bp | ww | wr))
			bad = 1;
		else if (t == bp) {
			if (nb < 2) {
				e.dbcr0 |= nb ? DBCR0_IAC2 : DBCR0_IAC1;
				e.iac[nb] = (uint32_t)slot[i].addr;
			}
			nb++;
		} else if (t) {
			if (nw < 2) {
				if (t & wr) e.dbcr0 |= nw ? DBCR0_DAC2R : DBCR0_DAC1R;
				if (t & ww) e.dbcr0 |= nw ? DBCR0_DAC2W : DBCR0_DAC1W;
				e.dac[nw] = (uint32_t)slot[i].addr;
			}
			nw++;
		}
	}
	int hw_on = (ctl & GATE_GUESTDBG_ENABLE) && (ctl & GATE_GUESTDBG_USE_HW_BP);
	e.einval = hw_on && (bad || nb > 2 || nw > 2);
	if (!hw_on)
		e.dbcr0 = 0;
	if (e.dbcr0)
		e.dbcr0 |= DBCR0_IDM;
	if ((ctl & GATE_GUESTDBG_ENABLE) && (ctl & GATE_GUESTDBG_SINGLESTEP))
		e.dbcr0 |= DBCR0_IDM | DBCR0_ICMP;
	return e;
}

static int encoded_as(const struct encoded *e, const struct gate_ctx *v, int rc)
{
	uint32_t got = v->dbcr0 & (DBCR0_IDM | DBCR0_ICMP | DBCR0_IAC1 | DBCR0_IAC2 | DBCR0_DAC1R |
				   DBCR0_DAC1W | DBCR0_DAC2R | DBCR0_DAC2W);
	if (e->einval)
		return rc == -GATE_EINVAL;
	return rc == 0 && got == e->dbcr0 && (!(e->dbcr0 & DBCR0_IAC1) || v->iac1 == e->iac[0]) &&
	       (!(e->dbcr0 & DBCR0_IAC2) || v->iac2 == e->iac[1]) &&
	       (!(e->dbcr0 & (DBCR0_DAC1R | DBCR0_DAC1W)) || v->dac1 == e->dac[0]) &&
	       (!(e->dbcr0 & (DBCR0_DAC2R | DBCR0_DAC2W)) || v->dac2 == e->dac[1]);
}

/* The uapi's domain: struct kvm_guest_debug_arch has 16 bp[] slots and says nothing of a count.
 * Each of the 7 types in each slot, alone and beside a full set (two breakpoints and two
 * watchpoints in the first four other slots): armed as asked, or -EINVAL when the hardware
 * cannot. */
static void prove_encode_slots(void)
{
	const uint32_t bp = (uint32_t)harness.gate_kvmppc_debug_breakpoint, ww = (uint32_t)harness.gate_watch_write,
		       wr = (uint32_t)harness.gate_watch_read;
	const uint32_t types[] = { 0, bp, ww, wr, ww | wr, 0x1, 0x10 };
	char cex[300] = "";
	long n = 0;
	for (int full = 0; full < 2; full++)       /* alone first: the plainest counterexample */
		for (int s = 0; s < 16; s++)
			for (unsigned k = 0; k < 7; k++) {
				struct gate_bp slot[16];
				memset(slot, 0, sizeof slot);
				const uint32_t fill[4] = { bp, bp, ww, wr };
				for (int i = 0, f = 0; full && f < 4; i++)
					if (i != s) {
						slot[i].type = fill[f++];
						slot[i].addr = 0x1000u + 0x100u * (unsigned)i;
					}
				slot[s].type = types[k];
				slot[s].addr = 0x1000u + 0x100u * (unsigned)s;
				struct encoded e = expect_encode(slot, 16, GATE_GUESTDBG_ENABLE | GATE_GUESTDBG_USE_HW_BP);
				begin();
				int rc = glue_set_guest_debug(GATE_GUESTDBG_ENABLE | GATE_GUESTDBG_USE_HW_BP, slot, 16);
				struct gate_ctx v;
				glue_vcpu_ctx(&v);
				n++;
				if (!cex[0] && !encoded_as(&e, &v, rc))
					snprintf(cex, sizeof cex, "type 0x%X in bp[%d]%s: returned %d, DBCR0 0x%08X; "
						 "want %s", types[k], s, full ? " beside two breakpoints and two "
						 "watchpoints" : " alone", rc, v.dbcr0, e.einval ? "-EINVAL" :
						 "the request armed");
			}
	report("encode kvm_arch_vcpu_ioctl_set_guest_debug: each of 7 types in each of the uapi's 16 "
	       "bp[] slots, alone and beside a full set", "robustness", n, cex[0] ? cex : NULL);
}

static int prove(void)
{
	prove_decode();
	prove_encode();
	prove_encode_slots();
	return 0;
}
