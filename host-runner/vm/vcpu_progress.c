// SPDX-License-Identifier: GPL-2.0-or-later
#include "vm/vcpu_progress.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cleanup.h"
#include "errmsg.h"
#include "macro.h"

#include "vm/qmp.h"

/*
 * How each target's `info registers` names its program counter (QEMU 7.2
 * and 10.0): a word, then '=' or spaces, then the value in hex.
 */
static const char *const pc_names[] = {
	"RIP", /* x86 in long mode */
	"EIP", /* x86 before it (real and protected mode, qemu-system-x86_64 too) */
	"PC",  /* aarch64 */
	"R15", /* 32-bit arm */
	"pc",  /* riscv */
};

/* Run states the vCPUs do not leave by themselves (QAPI RunState). */
static const char *const dead_states[] = { "internal-error", "guest-panicked", "shutdown",
					   "io-error" };

/* name as a word of dump: at its start or after a blank, followed by '=' or a space. */
static const char *find_word(const char *dump, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = strstr(dump, name); p; p = strstr(p + 1, name))
		if ((p == dump || p[-1] == ' ' || p[-1] == '\n') && (p[n] == '=' || p[n] == ' '))
			return p;
	return NULL;
}

void vcpu_pc_of(const char *dump, char *buf, size_t size)
{
	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(pc_names); i++) {
		const char *p = find_word(dump, pc_names[i]);

		if (!p)
			continue;
		p += strlen(pc_names[i]);
		p += strspn(p, "= ");
		snprintf(buf, size, "%s=%.*s", pc_names[i],
			 (int)strspn(p, "0123456789abcdefABCDEF"), p);
		return;
	}
}

bool vcpu_status_dead(const char *status)
{
	for (size_t i = 0; i < ARRAY_SIZE(dead_states); i++)
		if (!strcmp(status, dead_states[i]))
			return true;
	return false;
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

int vcpu_look(struct qmp *q, int timeout_ms, struct vcpu_look *out, char *err, size_t errsize)
{
	json_object *ret = NULL, *v;
	_cleanup_free_ char *dump = NULL;
	int r;

	*out = (struct vcpu_look){ 0 };
	r = qmp_execute(q, "query-status", NULL, timeout_ms, &ret);
	if (r < 0)
		return errmsg(err, errsize, r, "query-status: %s", qmp_error(q));
	if (json_object_object_get_ex(ret, "status", &v))
		snprintf(out->status, sizeof(out->status), "%s", json_object_get_string(v) ?: "");
	json_object_put(ret);

	r = qmp_hmp(q, "info registers", timeout_ms, &dump);
	if (r < 0)
		return errmsg(err, errsize, r, "`info registers`: %s", qmp_error(q));
	out->dump_hash = fnv1a(dump);
	vcpu_pc_of(dump, out->pc, sizeof(out->pc));
	return 0;
}

void vcpu_watch_start(struct vcpu_watch *w, double now, uint64_t within_ms)
{
	*w = (struct vcpu_watch){ .start = now, .deadline = now + within_ms / 1000.0, .next = now };
}

bool vcpu_watch_look_due(const struct vcpu_watch *w, double now)
{
	return !w->seen && !w->failed && now >= w->next;
}

static int seen(struct vcpu_watch *w, double now, const char *how)
{
	w->seen = true;
	w->seen_after = now - w->start;
	snprintf(w->why, sizeof(w->why), "%s", how);
	return 1;
}

int vcpu_watch_judge(struct vcpu_watch *w, double now, const struct vcpu_look *look,
		     const char *look_err, bool guest_wrote)
{
	if (w->seen)
		return 1;
	if (w->failed)
		return -EHOSTDOWN;
	if (guest_wrote)
		return seen(w, now, "the guest wrote to its console or the agent's port");
	if (look) {
		w->next = now + VCPU_LOOK_EVERY_MS / 1000.0;
		w->look_error[0] = '\0';
		if (!w->looks++) {
			w->first = *look;
			if (now + VCPU_MOVE_WITHIN_MS / 1000.0 < w->deadline)
				w->deadline = now + VCPU_MOVE_WITHIN_MS / 1000.0;
		}
		w->last = *look;
		if (vcpu_status_dead(look->status)) {
			w->failed = true;
			snprintf(w->why, sizeof(w->why),
				 "QEMU's run state is %s after %.1f s (CPU 0 at %s): the vCPUs "
				 "stopped: see the attempt's qemu.log",
				 look->status, now - w->start, look->pc[0] ? look->pc : "?");
			return -EHOSTDOWN;
		}
		if (look->dump_hash != w->first.dump_hash)
			return seen(w, now, "CPU 0's registers moved");
	} else if (look_err) {
		w->next = now + VCPU_LOOK_EVERY_MS / 1000.0;
		snprintf(w->look_error, sizeof(w->look_error), "%s", look_err);
	}
	if (now < w->deadline)
		return 0;
	w->failed = true;
	if (w->looks)
		snprintf(w->why, sizeof(w->why),
			 "no sign of the vCPUs running %.1f s after QEMU's start: CPU 0's "
			 "registers stayed the same over %u looks (at %s, QEMU run state %s)%s%s, "
			 "and nothing came on the console or the agent's port",
			 now - w->start, w->looks, w->last.pc[0] ? w->last.pc : "?",
			 w->last.status[0] ? w->last.status : "?",
			 w->look_error[0] ? "; the last look failed: " : "", w->look_error);
	else
		snprintf(w->why, sizeof(w->why),
			 "no sign of the vCPUs running %.1f s after QEMU's start: QEMU's monitor "
			 "never answered (%s), and nothing came on the console or the agent's port",
			 now - w->start, w->look_error[0] ? w->look_error : "no QMP yet");
	return -EHOSTDOWN;
}
