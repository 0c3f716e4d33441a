/*
 * bench.h - what the benchmark programs (bench.c, storage.c) share: the
 * clock, the scaled iteration counts and the lines xtask parses.
 *
 * Each benchmark prints one line, `BENCH <metric> <value> <unit>`, or
 * `BENCH-FAIL <metric> <reason>` when a call it needs fails or its result
 * does not check out (xtask/src/bench/runner.rs reads both).
 */
#ifndef BENCH_H
#define BENCH_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Divides every iteration count: 1 = full run, 1000 = smoke test. */
static long scale = 1;

static inline uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* `full` divided by the scale; every benchmark still runs at least once. */
static inline long iters(long full)
{
	long n = full / scale;
	return n < 1 ? 1 : n;
}

static inline void report(const char *metric, double value, const char *unit)
{
	printf("BENCH %s %.3f %s\n", metric, value, unit);
	fflush(stdout);
}

/* A failed call: `what` and errno's text. Returns 1 (one failed benchmark). */
static inline int fail(const char *metric, const char *what)
{
	printf("BENCH-FAIL %s %s: %s\n", metric, what, strerror(errno));
	fflush(stdout);
	return 1;
}

/* A result that does not check out (no errno to speak of). */
static inline int wrong(const char *metric, const char *what)
{
	printf("BENCH-FAIL %s %s\n", metric, what);
	fflush(stdout);
	return 1;
}

#endif
