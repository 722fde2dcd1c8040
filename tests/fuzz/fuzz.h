/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What every libFuzzer harness here shares: a scratch folder made once per
 * process (files the parsers under test read or the writers write) and a
 * bounded NUL-terminated copy of the input for the text parsers.
 */
#ifndef GUESTCHECK_FUZZ_H
#define GUESTCHECK_FUZZ_H

#include <ftw.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a C string (a NUL inside ends it, as it would for the parser's callers). */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

static inline int fuzz_unlink(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	remove(path);
	return 0;
}

static char fuzz_scratch_dir[256];

static inline void fuzz_scratch_remove(void)
{
	nftw(fuzz_scratch_dir, fuzz_unlink, 16, FTW_DEPTH | FTW_PHYS);
}

/*
 * A private folder under $TMPDIR, or /dev/shm: on ext4 a file truncated and
 * rewritten is flushed at close (auto_da_alloc), which made the harnesses
 * that write files 100 times slower (30 executions a second). Made on first
 * use; aborts when it cannot be.
 */
static inline const char *fuzz_scratch(void)
{
	char *dir = fuzz_scratch_dir;
	const char *tmp = getenv("TMPDIR");

	if (dir[0])
		return dir;
	snprintf(dir, sizeof(fuzz_scratch_dir), "%s/guestcheck-fuzz.XXXXXX",
		 tmp && *tmp ? tmp : "/dev/shm");
	if (!mkdtemp(dir)) {
		perror("fuzz: mkdtemp: set TMPDIR to a writable folder");
		abort();
	}
	/* libFuzzer ends with exit(): the folder goes with the process. */
	atexit(fuzz_scratch_remove);
	return dir;
}

/* Write data to path; aborts on failure (the harness, not the parser, is broken). */
static inline void fuzz_put_file(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "we");

	if (!f || fwrite(data, 1, size, f) != size || fclose(f)) {
		perror(path);
		abort();
	}
}

#endif
