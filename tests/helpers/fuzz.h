/* SPDX-License-Identifier: GPL-2.0 */
/* The fuzzers' random numbers: xorshift64*, reproducible from -s SEED. */
#ifndef _SILK_FUZZ_H
#define _SILK_FUZZ_H

#include <stdint.h>

static uint64_t rng_state;

static inline void fuzz_seed(uint64_t seed)
{
	rng_state = seed * 0x9e3779b97f4a7c15ULL + 1;
}

static inline uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

/* 0..n-1 (0 for 0). */
static inline unsigned int below(unsigned int n)
{
	return n ? rnd() % n : 0;
}

#endif
