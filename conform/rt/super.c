/* The supervisor of a conformance program: for each step of the generated table (scenario.S) it
 * applies the trace's set statements, writes the vector stubs, the landing pad and the step's
 * instruction to their addresses, enters the step with the debug facility armed, and logs what
 * the landing routine saw (docs/conformance.md, "Log format"). Freestanding: no library. */
#include "layout.h"

typedef unsigned int u32;

struct conf_set { u32 spr, value; };
struct conf_insn { u32 pc; const u32 *word; u32 ea, value; };
struct conf_step {
	u32 line, entry, flags, resv_ea, pad, pad_kind, nset;
	const struct conf_set *set;
	u32 n;
	struct conf_insn insn[CONF_CHAIN];
};
struct conf_scenario {
	u32 core;                /* 0 e500v2, 1 e500mc */
	const char *name;
	u32 nsteps;
	const struct conf_step *steps;
	u32 nmaps;
	const u32 *maps;         /* VA, PA pairs: 64 KiB pages outside RAM */
};
struct conf_entry { u32 pc, msr, dbcr0, tail, kind, regs[2 * CONF_CHAIN]; };
struct conf_obs { u32 at, dbcr0, msr, dbsr, csrr0, csrr1, srr0, srr1, esr, dsrr0, dsrr1; };

extern const struct conf_scenario conf_scenario;
extern struct conf_obs conf_obs;
void conf_tlbwe(u32 esel, u32 mas1, u32 mas2, u32 mas3, u32 mas7);
int conf_enter(const struct conf_entry *e);
int conf_save(void);
void conf_main(void);

u32 conf_has_dsrr;        /* read by conf_landing: DSRR0/1 exist (e500mc) */

#define NVEC 17
static const u32 ivor_num[NVEC] = { 15, 6, 8, 0, 1, 2, 3, 4, 5, 7, 9, 10, 11, 12, 13, 14, 41 };
static u32 ivpr, ivor[NVEC];
static u32 msr_now = 0, dbcr0_now = 0;

static u32 ivor_spr(u32 n)
{
	return n < 16 ? 400 + n : 441;
}

/* ---- the log: serial port and buffer ---- */
static volatile unsigned char *const uart = (volatile unsigned char *)(CONF_CCSR_VA + CONF_UART_OFF);
static u32 *const log_len = (u32 *)CONF_LOG_BASE;
static char *const log_buf = (char *)(CONF_LOG_BASE + 4);

static void putc_log(char c)
{
	if (c == '\n')
		putc_log('\r');
	while (!(uart[5] & 0x20))
		;
	uart[0] = (unsigned char)c;
	if (c != '\r' && *log_len < CONF_LOG_SIZE - 8) {
		log_buf[*log_len] = c;
		log_buf[++*log_len] = 0;
	}
}

static void puts_log(const char *s)
{
	while (*s)
		putc_log(*s++);
}

static void puthex(u32 v)
{
	puts_log("0x");
	for (int i = 28; i >= 0; i -= 4)
		putc_log("0123456789ABCDEF"[(v >> i) & 15]);
}

static void putdec(u32 v)
{
	char b[12];
	int n = 0;
	do
		b[n++] = (char)('0' + v % 10);
	while (v /= 10);
	while (n)
		putc_log(b[--n]);
}

static void field(const char *name, u32 v)
{
	putc_log(' ');
	puts_log(name);
	putc_log('=');
	puthex(v);
}

/* ---- SPR access by number: an instruction written at run time (the SPR is an immediate) ---- */
static u32 spr_code[2] __attribute__((aligned(8)));

static void sync_icache(volatile u32 *p)
{
	__asm__ volatile("dcbst 0,%0; sync; icbi 0,%0; sync; isync" : : "r"(p) : "memory");
}

static u32 spr_field(u32 spr)
{
	return ((spr & 0x1F) << 16) | ((spr >> 5) << 11);
}

static void mtspr_n(u32 spr, u32 v)
{
	spr_code[0] = 0x7C8003A6 | spr_field(spr);   /* mtspr spr, r4 */
	spr_code[1] = 0x4E800020;                    /* blr */
	sync_icache(&spr_code[0]);
	((void (*)(u32, u32))(void *)spr_code)(0, v);
}

static u32 mfspr_n(u32 spr)
{
	spr_code[0] = 0x7C6002A6 | spr_field(spr);   /* mfspr r3, spr */
	spr_code[1] = 0x4E800020;
	sync_icache(&spr_code[0]);
	return ((u32 (*)(void))(void *)spr_code)();
}

/* ---- memory ---- */
static void put_word(u32 addr, u32 w)
{
	volatile u32 *p = (volatile u32 *)addr;
	*p = w;
	sync_icache(p);
}

static void put_stub(u32 addr)
{
	put_word(addr, CONF_STUB_W0);
	put_word(addr + 4, CONF_STUB_W1);
	put_word(addr + 8, CONF_STUB_W2);
	put_word(addr + 12, CONF_STUB_W3);
}

static void put_vstub(u32 addr)
{
	put_word(addr, CONF_VSTUB_W);
}

static void clear_stub(u32 addr)
{
	for (u32 i = 0; i < CONF_STUB_BYTES; i += 4)
		put_word(addr + i, 0);
}

/* TLB1: RAM 1:1 for both address spaces (TS=0 and TS=1, all permissions), the UART, and each
 * page a trace uses above RAM backed by RAM at CONF_REMAP_PA. */
static void map_memory(void)
{
	const u32 perms = 0x3F;                      /* UX SX UW SW UR SR */
	conf_tlbwe(0, 0xC0000900, 0, perms, 0);      /* V IPROT, TSIZE 256 MiB */
	conf_tlbwe(2, 0xC0001900, 0, perms, 0);      /* the same, TS=1 */
	conf_tlbwe(1, 0xC0000500, CONF_CCSR_VA | 0xA, CONF_CCSR_PA | 0x5, CONF_CCSR_PA_HI);
	for (u32 i = 0; i < conf_scenario.nmaps; i++) {
		u32 va = conf_scenario.maps[2 * i], pa = conf_scenario.maps[2 * i + 1];
		conf_tlbwe(3 + 2 * i, 0x80000300, va, pa | perms, 0);
		conf_tlbwe(4 + 2 * i, 0x80001300, va, pa | perms, 0);
	}
}

/* ---- one step ---- */
static void set_fallback_vectors(void)
{
	mtspr_n(63, CONF_FALLBACK_IVPR);
	for (u32 k = 0; k < NVEC; k++)
		if (ivor_num[k] < 16 || conf_has_dsrr)
			mtspr_n(ivor_spr(ivor_num[k]), ivor_num[k] < 16 ? ivor_num[k] * 0x20 : 0x400);
}

static void apply_sets(const struct conf_step *s)
{
	for (u32 i = 0; i < s->nset; i++) {
		u32 spr = s->set[i].spr, v = s->set[i].value;
		if (spr == CONF_SET_MSR)
			msr_now = v;
		else if (spr == 308)
			dbcr0_now = v;          /* armed only by the entry tail */
		else if (spr == 63)
			ivpr = v;
		else {
			int vec = -1;
			for (u32 k = 0; k < NVEC; k++)
				if (spr == ivor_spr(ivor_num[k]))
					vec = (int)k;
			if (vec >= 0)
				ivor[vec] = v;
			else
				mtspr_n(spr, v);
		}
	}
}

static u32 vector_addr(u32 k)
{
	return (ivpr & 0xFFFF0000) | (ivor[k] & 0xFFF0);
}

static int vector_present(u32 k)
{
	return ivor_num[k] < 16 || conf_has_dsrr;
}

static void write_code(const struct conf_step *s)
{
	for (u32 k = 0; k < NVEC; k++)
		if (vector_present(k))
			put_vstub(vector_addr(k));
	if (s->pad_kind == CONF_PAD_SUPER)
		put_stub(s->pad);
	else if (s->pad_kind == CONF_PAD_TRAP)
		put_word(s->pad, 0);
	for (u32 i = 0; i < s->n; i++)
		put_word(s->insn[i].pc, *s->insn[i].word);
}

static void clear_code(const struct conf_step *s)
{
	for (u32 k = 0; k < NVEC; k++)
		if (vector_present(k))
			put_word(vector_addr(k), 0);
	if (s->pad_kind == CONF_PAD_SUPER)
		clear_stub(s->pad);
	else if (s->pad_kind == CONF_PAD_TRAP)
		put_word(s->pad, 0);
	for (u32 i = 0; i < s->n; i++)
		put_word(s->insn[i].pc, 0);
}

static void reservation(const struct conf_step *s)
{
	static u32 scratch;
	if (s->flags & CONF_F_RESERVE) {
		u32 t;
		__asm__ volatile("lwarx %0,0,%1" : "=r"(t) : "r"(s->resv_ea) : "memory");
	}
	if (s->flags & CONF_F_UNRESERVE)
		__asm__ volatile("stwcx. %0,0,%0" : : "r"(&scratch) : "memory", "cr0");
}

/* Where the step landed, as a vector number (-1: its pad; -2: nowhere the program wrote). */
static int landing_vector(const struct conf_step *s, u32 at)
{
	if (s->pad_kind == CONF_PAD_SUPER && at == s->pad)
		return -1;
	for (u32 k = 0; k < NVEC; k++)
		if (vector_present(k) && at == vector_addr(k))
			return (int)ivor_num[k];
	return -2;
}

static void log_obs(const struct conf_step *s, int vec)
{
	const struct conf_obs *o = &conf_obs;
	puts_log("step line=");
	putdec(s->line);
	field("at", o->at);
	puts_log(" ivor=");
	if (vec < 0)
		puts_log(vec == -1 ? "pad" : "none");
	else
		putdec((u32)vec);
	field("msr", o->msr);
	field("dbsr", o->dbsr);
	field("dbcr0", o->dbcr0);
	field("csrr0", o->csrr0);
	field("csrr1", o->csrr1);
	field("srr0", o->srr0);
	field("srr1", o->srr1);
	field("esr", o->esr);
	if (conf_has_dsrr) {
		field("dsrr0", o->dsrr0);
		field("dsrr1", o->dsrr1);
	}
	putc_log('\n');
}

static void log_fault(const struct conf_step *s)
{
	puts_log("fault line=");
	putdec(s->line);
	field("at", conf_obs.at);
	field("srr0", conf_obs.srr0);
	field("esr", conf_obs.esr);
	putc_log('\n');
}

static int run_step(const struct conf_step *volatile s)
{
	struct conf_entry e;
	set_fallback_vectors();
	if (conf_save()) {          /* an interrupt while setting up: the target refused a write */
		log_fault(s);
		return -1;
	}
	apply_sets(s);
	write_code(s);
	mtspr_n(63, ivpr);
	for (u32 k = 0; k < NVEC; k++)
		if (vector_present(k))
			mtspr_n(ivor_spr(ivor_num[k]), ivor[k]);
	reservation(s);
	e.pc = s->insn[0].pc;
	e.msr = msr_now;
	e.dbcr0 = dbcr0_now;
	e.tail = s->entry;
	e.kind = s->entry == CONF_ENTRY_RFI ? 0 : s->entry == CONF_ENTRY_RFCI ? 1 : 2;
	for (u32 i = 0; i < CONF_CHAIN; i++) {
		e.regs[2 * i] = i < s->n ? s->insn[i].ea : 0;
		e.regs[2 * i + 1] = i < s->n ? s->insn[i].value : 0;
	}
	static const u32 pair[3][2] = { { 26, 27 }, { 58, 59 }, { 574, 575 } };
	u32 keep0 = mfspr_n(pair[e.kind][0]), keep1 = mfspr_n(pair[e.kind][1]);
	conf_enter(&e);
	clear_code(s);              /* where it was written, before the step's own IVOR writes count */
	/* the step's own IVPR/IVOR writes carry over to the next step */
	ivpr = mfspr_n(63);
	for (u32 k = 0; k < NVEC; k++)
		if (vector_present(k))
			ivor[k] = mfspr_n(ivor_spr(ivor_num[k]));
	set_fallback_vectors();
	u32 at = conf_obs.at;
	if (at >= CONF_FALLBACK_IVPR && at < CONF_FALLBACK_IVPR + 0x1000) {
		log_fault(s);
		return -1;
	}
	int vec = landing_vector(s, at);
	log_obs(s, vec);
	if (s->flags & CONF_F_RESTORE) {
		mtspr_n(pair[e.kind][0], keep0);
		mtspr_n(pair[e.kind][1], keep1);
	}
	msr_now = conf_obs.msr;
	dbcr0_now = conf_obs.dbcr0;
	return 0;
}

void conf_main(void)
{
	const struct conf_scenario *sc = &conf_scenario;
	conf_has_dsrr = sc->core == 1;
	*log_len = 0;
	log_buf[0] = 0;
	map_memory();
	ivpr = 0;                     /* the model's reset values: the trace sets what it needs */
	puts_log("bookedbg-log ");
	putdec(CONF_LOG_VERSION);
	puts_log(sc->core ? " core=e500mc" : " core=e500v2");
	puts_log(" trace=");
	puts_log(sc->name);
	puts_log(" steps=");
	putdec(sc->nsteps);
	putc_log('\n');
	u32 done = 0;
	for (; done < sc->nsteps; done++)
		if (run_step(&sc->steps[done]))
			break;
	puts_log("end steps=");
	putdec(done);
	putc_log('\n');
	mtspr_n(308, 0x30000000);     /* DBCR0[RST] = 0b11: reset request (QEMU -no-reboot exits) */
	for (;;)
		;
}
