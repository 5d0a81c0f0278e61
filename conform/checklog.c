/* The log of a conformance program: its line format, reading it back into the trace format's expect
 * vocabulary, and `bookedbg check-log`, which compares a target's log with the model's records. */
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "conform.h"

/* The fields of a step line after at= and ivor=, in log order. */
struct fdesc { const char *name; size_t off; bool mc_only; };
#define F(n, mc) { #n, offsetof(struct cf_rec, n), mc }
static const struct fdesc fields[] = {
	F(msr, false), F(dbsr, false), F(dbcr0, false), F(csrr0, false), F(csrr1, false),
	F(srr0, false), F(srr1, false), F(esr, false), F(dsrr0, true), F(dsrr1, true),
};
#undef F
#define NF (sizeof fields / sizeof fields[0])

static uint32_t *fld(struct cf_rec *r, size_t i)
{
	return (uint32_t *)((char *)r + fields[i].off);
}

static uint32_t fget(const struct cf_rec *r, size_t i)
{
	return *(const uint32_t *)((const char *)r + fields[i].off);
}

static const char *ivor_word(int ivor, char *buf, size_t len)
{
	if (ivor == -1)
		return "pad";
	if (ivor < 0)
		return "none";
	snprintf(buf, len, "%d", ivor);
	return buf;
}

void cf_rec_format(const struct cf_rec *r, enum dbg_core core, char *buf, size_t len)
{
	char iv[16];
	size_t n = (size_t)snprintf(buf, len, "step line=%d at=0x%08" PRIX32 " ivor=%s", r->line, r->at,
				    ivor_word(r->ivor, iv, sizeof iv));
	for (size_t i = 0; i < NF && n < len; i++)
		if (!fields[i].mc_only || core == DBG_E500MC)
			n += (size_t)snprintf(buf + n, len - n, " %s=0x%08" PRIX32, fields[i].name, fget(r, i));
}

void cf_rec_expect(const struct cf_rec *r, enum dbg_core core, char *buf, size_t len)
{
	size_t n = (size_t)snprintf(buf, len, "expect pc=0x%08" PRIX32 " irq=%s debug=%s", r->at,
				    cf_ivor_irq(r->ivor), r->ivor == 15 ? "taken" : "none");
	for (size_t i = 0; i < NF && n < len; i++)
		if (!fields[i].mc_only || core == DBG_E500MC)
			n += (size_t)snprintf(buf + n, len - n, " %s=0x%08" PRIX32, fields[i].name, fget(r, i));
}

static int hexval(const char *v, uint32_t *out)
{
	char *end;
	if (strncmp(v, "0x", 2))
		return -1;
	unsigned long x = strtoul(v + 2, &end, 16);
	if (end == v + 2 || *end || x > 0xFFFFFFFFul)
		return -1;
	*out = (uint32_t)x;
	return 0;
}

static int fail(char *why, size_t len, const char *fmt, const char *arg)
{
	snprintf(why, len, fmt, arg);
	return -1;
}

/* "name=value" tokens of a step line */
static int parse_token(char *tok, struct cf_rec *r, unsigned *seen, char *why, size_t len)
{
	char *eq = strchr(tok, '=');
	if (!eq)
		return fail(why, len, "'%s' is not NAME=VALUE", tok);
	*eq = 0;
	const char *v = eq + 1;
	if (!strcmp(tok, "line")) {
		char *end;
		long x = strtol(v, &end, 10);
		if (end == v || *end || x <= 0 || x > 10000000)
			return fail(why, len, "line=%s is not a line number", v);
		r->line = (int)x;
		*seen |= 1u << 30;
		return 0;
	}
	if (!strcmp(tok, "at")) {
		*seen |= 1u << 29;
		return hexval(v, &r->at) ? fail(why, len, "at=%s is not 0x followed by hex digits", v) : 0;
	}
	if (!strcmp(tok, "ivor")) {
		char *end;
		*seen |= 1u << 28;
		if (!strcmp(v, "pad"))
			r->ivor = -1;
		else if (!strcmp(v, "none"))
			r->ivor = -2;
		else {
			long x = strtol(v, &end, 10);
			if (end == v || *end || x < 0 || x > 63)
				return fail(why, len, "ivor=%s is not a vector number, pad or none", v);
			r->ivor = (int)x;
		}
		return 0;
	}
	for (size_t i = 0; i < NF; i++)
		if (!strcmp(tok, fields[i].name)) {
			*seen |= 1u << i;
			return hexval(v, fld(r, i)) ? fail(why, len, "a register value must be 0x and hex digits, not '%s'", v) : 0;
		}
	return fail(why, len, "unknown field '%s'", tok);
}

int cf_rec_parse(const char *line, struct cf_rec *r, char *why, size_t len)
{
	char buf[1024];
	snprintf(buf, sizeof buf, "%s", line);
	buf[strcspn(buf, "\r\n")] = 0;
	memset(r, 0, sizeof *r);
	char *save = NULL, *tok = strtok_r(buf, " \t", &save);
	if (!tok || !strcmp(tok, "bookedbg-log") || !strcmp(tok, "end") || !strcmp(tok, "fault"))
		return 0;
	if (strcmp(tok, "step"))
		return fail(why, len, "a log line starts with step, fault, end or bookedbg-log, not '%s'", tok);
	unsigned seen = 0;
	while ((tok = strtok_r(NULL, " \t", &save)))
		if (parse_token(tok, r, &seen, why, len))
			return -1;
	if ((seen & (7u << 28)) != (7u << 28) || (seen & 0xFF) != 0xFF)
		return fail(why, len, "%s", "a step line needs line=, at=, ivor= and msr .. esr");
	return 1;
}
