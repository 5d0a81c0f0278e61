/* Reading a fuzzer's input as a stream of choices: every read succeeds (0 once the bytes run out),
 * so any input is a valid sequence of calls. Shared by the libFuzzer harnesses. */
#ifndef BOOKEDBG_FUZZ_INPUT_H
#define BOOKEDBG_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct fin {
	const uint8_t *p;
	size_t n;
};

/* A harness's own check: print what failed and abort, so libFuzzer keeps the input. */
#define MUST(cond) do { if (!(cond)) { fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
	__LINE__, #cond); abort(); } } while (0)

static inline uint8_t in_u8(struct fin *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static inline uint32_t in_u32(struct fin *in)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++)
		v |= (uint32_t)in_u8(in) << (8 * i);
	return v;
}

static inline uint64_t in_u64(struct fin *in)
{
	uint64_t lo = in_u32(in);
	return lo | (uint64_t)in_u32(in) << 32;
}

/* A value for an argument with n valid values lo..lo+n-1: mostly one of them or just past them
 * (lo-1 .. lo+n+1), and for one byte value in 16 any int at all (negative, huge). */
static inline int in_pick_at(struct fin *in, int lo, int n)
{
	uint8_t b = in_u8(in);
	if (b >= 240)
		return (int)in_u32(in);
	return lo + b % (n + 3) - 1;
}

static inline int in_pick(struct fin *in, int n)
{
	return in_pick_at(in, 0, n);
}

/* A short NUL-terminated string from the input (at most cap-1 bytes). */
static inline const char *in_str(struct fin *in, char *buf, size_t cap)
{
	size_t len = in_u8(in) % cap;
	size_t k = 0;
	while (k < len && in->n)
		buf[k++] = (char)in_u8(in);
	buf[k] = 0;
	return buf;
}

#endif
