/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Strict parsing of numbers and sizes: no sign, no trailing junk, no overflow. */
#ifndef GUESTCHECK_UNITS_H
#define GUESTCHECK_UNITS_H

#include <stddef.h>
#include <stdint.h>

/* Decimal unsigned integer. 0 or -EINVAL / -ERANGE. */
int parse_u64(const char *s, uint64_t *out);

/*
 * A size in bytes: "4096", "64K", "64M", "1G", "2T", also "64MiB"/"64M"
 * (powers of 1024, as QEMU reads them). 0 or -EINVAL / -ERANGE.
 */
int parse_size(const char *s, uint64_t *out);

/* A duration in seconds: "30", "30s", "2m", "1.5s" -> milliseconds. */
int parse_duration_ms(const char *s, uint64_t *out);

/* "yes"/"no"/"true"/"false"/"1"/"0"/"on"/"off". 0 or -EINVAL. */
int parse_bool(const char *s, int *out);

/* 67108864 -> "64 MiB"; exact multiples only get a unit, else bytes. */
const char *format_size(uint64_t bytes, char *buf, size_t size);

#endif
