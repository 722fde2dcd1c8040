// SPDX-License-Identifier: GPL-2.0-or-later
#include "vm/vcpu_state.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf_append.h"
#include "cleanup.h"

#include "vm/vcpu_progress.h"

/* Runs of vCPUs named one by one in the line; the rest are counted. */
#define DESCRIBE_MAX_RUNS 8

/* The digit after key in block ("CPL=3" -> 3), or -1. */
static int digit_after(const char *block, const char *key)
{
	const char *p = strstr(block, key);

	if (!p)
		return -1;
	p += strlen(key);
	return *p >= '0' && *p <= '9' ? *p - '0' : -1;
}

static void parse_block(const char *block, unsigned int cpu, struct vcpu_state *v)
{
	const char *pstate = strstr(block, "PSTATE=");
	int cpl = digit_after(block, " CPL="), hlt = digit_after(block, " HLT=");

	*v = (struct vcpu_state){ .cpu = cpu };
	vcpu_pc_of(block, v->pc, sizeof(v->pc));
	if (cpl >= 0) /* x86: rings 1 and 2 are unused by Linux */
		v->mode = cpl == 3 ? VCPU_MODE_USER : VCPU_MODE_KERNEL;
	if (pstate) { /* arm64: "PSTATE=000003c5 ---- EL1h" */
		const char *line_end = strchr(pstate, '\n');
		const char *el = strstr(pstate, " EL");

		if (el && (!line_end || el < line_end) && el[3] >= '0' && el[3] <= '3')
			v->mode = el[3] == '0' ? VCPU_MODE_USER : VCPU_MODE_KERNEL;
	}
	if (hlt >= 0)
		v->halted = hlt ? VCPU_HALTED_YES : VCPU_HALTED_NO;
}

size_t vcpu_states_parse(const char *dump, struct vcpu_state *out, size_t max)
{
	size_t n = 0;
	const char *p = dump;

	if (!max)
		return 0;
	if (!strstr(dump, "CPU#")) {
		parse_block(dump, 0, &out[0]);
		return 1;
	}
	while (n < max && (p = strstr(p, "CPU#"))) {
		const char *next = strstr(p + 4, "CPU#");
		size_t len = next ? (size_t)(next - p) : strlen(p);
		_cleanup_free_ char *block = strndup(p, len);

		if (!block)
			break;
		parse_block(block, (unsigned int)strtoul(p + 4, NULL, 10), &out[n++]);
		p += len;
	}
	return n;
}

static const char *mode_name(enum vcpu_mode m)
{
	return m == VCPU_MODE_KERNEL ? " in the kernel"
	       : m == VCPU_MODE_USER ? " in user space"
				     : "";
}

static bool same_halted_run(const struct vcpu_state *a, const struct vcpu_state *b)
{
	return a->halted == VCPU_HALTED_YES && b->halted == VCPU_HALTED_YES && a->mode == b->mode &&
	       b->cpu == a->cpu + 1;
}

static const char *meaning(const struct vcpu_state *v, size_t n)
{
	bool all_halted = n > 0, user_runs = false, kernel_runs = false;

	for (size_t i = 0; i < n; i++) {
		all_halted &= v[i].halted == VCPU_HALTED_YES;
		user_runs |= v[i].mode == VCPU_MODE_USER && v[i].halted != VCPU_HALTED_YES;
		kernel_runs |= v[i].mode == VCPU_MODE_KERNEL && v[i].halted == VCPU_HALTED_NO;
	}
	if (all_halted)
		return "every vCPU halted: the guest is idle, waiting (for a device, a timer, a "
		       "process that sleeps)";
	if (user_runs)
		return "user space runs: init or the agent is busy, or waits in a loop";
	if (kernel_runs)
		return "the kernel runs: a loop, a spinning lock or a device poll";
	return NULL;
}

void vcpu_states_describe(const struct vcpu_state *v, size_t n, char *buf, size_t size)
{
	size_t len = 0, runs = 0, i = 0;
	const char *why = meaning(v, n);

	buf[0] = '\0';
	if (!size)
		return;
	while (i < n) {
		size_t j = i;

		while (j + 1 < n && same_halted_run(&v[j], &v[j + 1]))
			j++;
		if (runs == DESCRIBE_MAX_RUNS) {
			buf_append(buf, size, &len, "; %zu more vCPUs", n - i);
			break;
		}
		buf_append(buf, size, &len, "%s", runs ? "; " : "");
		if (j > i)
			buf_append(buf, size, &len, "vCPUs %u-%u", v[i].cpu, v[j].cpu);
		else
			buf_append(buf, size, &len, "vCPU %u", v[i].cpu);
		if (v[i].halted == VCPU_HALTED_YES)
			buf_append(buf, size, &len, " halted%s", mode_name(v[i].mode));
		else
			buf_append(buf, size, &len, "%s%s%s%s",
				   v[i].halted == VCPU_HALTED_NO ? " running" : "",
				   mode_name(v[i].mode), v[i].pc[0] ? " at " : "", v[i].pc);
		runs++;
		i = j + 1;
	}
	if (why)
		buf_append(buf, size, &len, ": %s", why);
}
