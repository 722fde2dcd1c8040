// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The verdicts of a non-interference run, as a KTAP document in the
 * harness's own shape (so the same parser, reports and terminal table serve
 * it), and the evidence behind them as JSON:
 *
 *   phase.baseline, phase.installer, phase.verify    each phase ran as it should
 *   NAME.fingerprint   guest side: verify's fingerprint equals baseline's
 *   NAME.guest-writes  guest side: the installer's kernel counted no writes
 *   NAME.host-writes   host side: no overlay holds a byte, QEMU counted no write
 *   NAME.pristine      the pristine image is byte-identical after the run
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "cleanup.h"
#include "errmsg.h"
#include "units.h"
#include "write_file.h"

#include "noninterference/noninterference.h"
#include "report/ktap_lines.h"

struct ktap {
	FILE *f;
	int number;
	bool failed, skipped;
	char skip_reason[256];
};

static void begin(struct ktap *k, const char *name)
{
	fprintf(k->f, "#  RUN           %s ...\n", name);
	k->failed = k->skipped = false;
}

static void note(struct ktap *k, const char *fmt, ...) __printf(2, 3);
static void note(struct ktap *k, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ktap_put_vdiag(k->f, fmt, ap);
	va_end(ap);
}

/* The running test fails, for the reason given on a "# FAIL" line (a verdict, not an error). */
static void fail_test(struct ktap *k, const char *fmt, ...) __printf(2, 3);
static void fail_test(struct ktap *k, const char *fmt, ...)
{
	_cleanup_free_ char *text = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	va_end(ap);
	ktap_put_diag(k->f, "FAIL %s", text ?: "(out of memory)");
	k->failed = true;
}

static void skip(struct ktap *k, const char *fmt, ...) __printf(2, 3);
static void skip(struct ktap *k, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(k->skip_reason, sizeof(k->skip_reason), fmt, ap);
	va_end(ap);
	k->skipped = true;
}

static void end(struct ktap *k, const char *name)
{
	k->number++;
	if (k->failed)
		fprintf(k->f, "#          FAIL  %s\n", name);
	else if (k->skipped)
		fprintf(k->f, "#      SKIP      %s\n", k->skip_reason);
	else
		fprintf(k->f, "#            OK  %s\n", name);
	ktap_put_result(k->f, !k->failed, k->number, name, !k->failed && k->skipped ? "SKIP" : NULL,
			k->skip_reason);
}

/* The line that explains an agent run's first failure. */
static void first_failure(const struct run_result *r, char *buf, size_t size)
{
	snprintf(buf, size, "see its ktap.log");
	for (size_t i = 0; r->ktap && i < r->ktap->ntests; i++) {
		const struct ktap_test *t = &r->ktap->tests[i];
		const char *line;
		size_t len;

		if (t->status != KTAP_FAIL && t->status != KTAP_NOT_RUN && t->status != KTAP_XPASS)
			continue;
		line = ktap_failure_line(t, &len);
		snprintf(buf, size, "%s %s%s%.*s", t->name,
			 t->status == KTAP_NOT_RUN ? "never ran" : "failed", line ? ": " : "",
			 line ? (int)(len > 400 ? 400 : len) : 0, line ? line : "");
		return;
	}
}

static void agent_phase(struct ktap *k, const struct ni_run *n, enum ni_phase p)
{
	const struct run_result *r = &n->agent[p];
	struct ktap_counts c;
	char why[600];

	begin(k, p == NI_BASELINE ? "phase.baseline" : "phase.verify");
	if (!n->ran[p]) {
		fail_test(k, "%s: did not run: an earlier phase could not", ni_phase_names[p]);
		end(k, p == NI_BASELINE ? "phase.baseline" : "phase.verify");
		return;
	}
	c = ktap_count(r->ktap);
	note(k,
	     "%s: the agent's checks: %zu passed, %zu failed, %zu skipped, %zu not run in "
	     "%.1f s under %s; results in %s/%s",
	     ni_phase_names[p], c.passed, c.failed, c.skipped, c.not_run, r->total_seconds,
	     r->accel, n->out, ni_phase_names[p]);
	if (r->verdict == VERDICT_INFRA)
		fail_test(k, "%s: %s", ni_phase_names[p], r->infra_error);
	else if (r->verdict != VERDICT_PASS) {
		first_failure(r, why, sizeof(why));
		fail_test(k, "%s: %s", ni_phase_names[p], why);
	}
	end(k, p == NI_BASELINE ? "phase.baseline" : "phase.verify");
}

static void installer_phase(struct ktap *k, const struct ni_run *n)
{
	const struct installer_outcome *o = &n->installer;
	double limit = n->plan.timeout_ms / 1000.0;

	begin(k, "phase.installer");
	if (!n->ran[NI_INSTALLER]) {
		fail_test(k, "installer: did not run: %s",
			  n->infra_error[0] ? n->infra_error : "an earlier phase could not");
		end(k, "phase.installer");
		return;
	}
	if (n->plan.image[0])
		note(k,
		     "installer: the disk image %s (%s), booted by the firmware through a "
		     "throwaway qcow2 overlay (the image itself is only read); console in "
		     "%s/installer/console.log",
		     n->plan.image, n->plan.image_format, n->out);
	else
		note(k, "installer: %s with %s%s; console in %s/installer/console.log",
		     n->plan.kernel[0] ? n->plan.kernel : n->g->kernel, n->plan.initrd,
		     n->plan.watch ? " (wrapped with the write monitor)" : "", n->out);
	switch (o->end) {
	case INSTALLER_POWERED_OFF:
		note(k, "installer: powered off (%s) after %.1f s of its %.0f s limit", o->reason,
		     o->seconds, limit);
		if (!strcmp(o->reason, "guest-panic"))
			fail_test(k, "installer: the installer's kernel panicked: see the console");
		break;
	case INSTALLER_TIMED_OUT:
		fail_test(k,
			  "installer: still running after %.0f s: it did not finish unattended: "
			  "raise [installer] timeout or see the console",
			  limit);
		break;
	case INSTALLER_QEMU_EXITED:
	case INSTALLER_INFRA:
	case INSTALLER_INTERRUPTED:
		fail_test(k, "installer: %s", o->error);
		break;
	}
	if (o->monitor.error[0])
		fail_test(k, "installer: the write monitor says: %s", o->monitor.error);
	end(k, "phase.installer");
}

static void fingerprint_line(struct ktap *k, const char *phase, const struct phase_fingerprint *f)
{
	note(k,
	     "%s: %s: /dev/%s, %llu bytes, xxh3-128 %s, layout xxh3-128 %s, %llu writes since "
	     "boot",
	     f->device, phase, f->node, (unsigned long long)f->bytes, f->digest, f->layout_digest,
	     (unsigned long long)f->wr_ios);
}

static void card_fingerprint(struct ktap *k, const struct ni_run *n, const struct ni_card *c)
{
	const struct phase_fingerprint *a = &c->fp[NI_BASELINE], *b = &c->fp[NI_VERIFY];

	if (!c->have_fp[NI_BASELINE] || !c->have_fp[NI_VERIFY]) {
		fail_test(k,
			  "%s: no fingerprint of it from the %s phase's mmc.fingerprint: see %s/%s/"
			  "ktap.log",
			  c->name, c->have_fp[NI_BASELINE] ? "verify" : "baseline", n->out,
			  c->have_fp[NI_BASELINE] ? "verify" : "baseline");
		return;
	}
	fingerprint_line(k, "baseline", a);
	fingerprint_line(k, "verify", b);
	if (a->bytes != b->bytes || strcmp(a->digest, b->digest))
		fail_test(
			k,
			"%s: the card's bytes changed: xxh3-128 %s before the installer, %s after "
			"(%llu and %llu bytes)",
			c->name, a->digest, b->digest, (unsigned long long)a->bytes,
			(unsigned long long)b->bytes);
	else
		note(k, "%s: equal: the installer left every byte as it was", c->name);
	if (strcmp(a->layout_digest, b->layout_digest))
		fail_test(
			k,
			"%s: the partition table or filesystems changed (layout xxh3-128 %s, then "
			"%s): compare mmc.layout in baseline/ and verify/",
			c->name, a->layout_digest, b->layout_digest);
	/* The host hashed the same bytes: the guest read the image, not something else. */
	if (c->digest_before[0] && strcmp(c->digest_before, a->digest))
		fail_test(k,
			  "%s: the baseline read other bytes than the pristine image holds (host "
			  "xxh3-128 %s, guest %s): is the image raw?",
			  c->name, c->digest_before, a->digest);
	else if (c->digest_before[0])
		note(k, "%s: the host's xxh3-128 of %s is the same: the guest read the image",
		     c->name, c->pristine);
}

static void card_guest_writes(struct ktap *k, const struct ni_run *n, const struct ni_card *c)
{
	const struct monitor_state *m = &n->installer.monitor;
	const struct monitor_node *node = monitor_find(m, c->node);

	if (n->plan.image[0]) {
		/* Said in full: the report must not read as if the guest side had looked. */
		note(k,
		     "%s: no guest-side write counters: a disk-image installer's kernel and "
		     "initrd are inside its image and the firmware loads them, so guestcheck "
		     "has no initrd to wrap with the write monitor; the host side (qcow2 "
		     "overlay and QEMU's counters, %s.host-writes) is the evidence",
		     c->name, c->name);
		skip(k, "a disk-image installer: no initrd to wrap, so no guest counters");
		return;
	}
	if (!n->plan.watch) {
		skip(k, "[installer] watch = no: the installer's kernel was not watched");
		return;
	}
	if (!n->ran[NI_INSTALLER]) {
		fail_test(k, "%s: the installer did not run", c->name);
		return;
	}
	if (m->error[0]) {
		fail_test(k, "%s: the write monitor could not run: %s", c->name, m->error);
		return;
	}
	if (!m->lines) {
		fail_test(k,
			  "%s: the write monitor printed nothing on the installer's console: does "
			  "the "
			  "installer's command line send the console elsewhere? (watch = no goes "
			  "without the guest side)",
			  c->name);
		return;
	}
	if (!node) {
		skip(k,
		     "the installer's kernel never showed /dev/%s in %zu monitor reports: it had "
		     "no "
		     "driver for the card (or names it otherwise), so the host side alone counts",
		     c->node, m->lines);
		return;
	}
	note(k,
	     "%s: the installer's kernel, /sys/block/%s/stat: %llu write requests, %llu "
	     "sectors written, %llu discards (%llu sectors); %zu monitor reports from %.1f s to "
	     "%.1f s of its uptime",
	     c->name, c->node, (unsigned long long)node->wr_ios,
	     (unsigned long long)node->wr_sectors, (unsigned long long)node->discard_ios,
	     (unsigned long long)node->discard_sectors, m->lines, node->first_uptime,
	     node->last_uptime);
	if (node->wr_ios || node->discard_ios)
		fail_test(k,
			  "%s: the installer wrote to /dev/%s: its kernel counted %llu write "
			  "requests "
			  "(%llu sectors, %llu bytes) and %llu discards",
			  c->name, c->node, (unsigned long long)node->wr_ios,
			  (unsigned long long)node->wr_sectors,
			  (unsigned long long)node->wr_sectors * 512,
			  (unsigned long long)node->discard_ios);
}

static void card_host_writes(struct ktap *k, const struct ni_run *n, const struct ni_card *c)
{
	/* No overlay read is no evidence (a run stopped before its first boot): never a pass. */
	if (!n->ran[NI_BASELINE] && !n->ran[NI_INSTALLER] && !n->ran[NI_VERIFY])
		fail_test(k, "%s: no phase ran: no overlay to read", c->name);
	for (int p = 0; p < NI_PHASES; p++) {
		const struct blockstats *s = &c->stats[p];
		char where[1024], stats[256];

		if (!n->ran[p])
			continue;
		/*
		 * QEMU's sd-card model does no block accounting: its requests and
		 * bytes stay 0, but the block layer still tracks the highest
		 * offset written, which any write moves above 0.
		 */
		if (s->valid)
			snprintf(stats, sizeof(stats),
				 "QEMU: highest offset written %llu, %llu write requests, %llu "
				 "bytes, %llu discards (requests are not counted for SD cards)",
				 (unsigned long long)s->wr_highest_offset,
				 (unsigned long long)s->wr_operations,
				 (unsigned long long)s->wr_bytes,
				 (unsigned long long)s->unmap_operations);
		else
			snprintf(stats, sizeof(stats), "QEMU's counters unread: %s", s->error);
		if (c->map_error[p][0]) {
			fail_test(k, "%s: %s: cannot read the %s overlay: %s", c->name,
				  ni_phase_names[p], c->overlay[p], c->map_error[p]);
			continue;
		}
		overlay_map_describe(&c->map[p], where, sizeof(where));
		if (c->map[p].bytes ||
		    (s->valid && (s->wr_operations || s->wr_highest_offset || s->unmap_operations)))
			fail_test(k, "%s: the %s phase wrote %s (qcow2 overlay); %s", c->name,
				  ni_phase_names[p], where, stats);
		else
			note(k, "%s: %s: overlay 0 bytes; %s", c->name, ni_phase_names[p], stats);
	}
}

static void card_pristine(struct ktap *k, const struct ni_card *c)
{
	if (!c->digest_before[0] || !c->digest_after[0]) {
		fail_test(k, "%s: %s: could not hash it: %s", c->name, c->pristine,
			  c->digest_error);
		return;
	}
	if (strcmp(c->digest_before, c->digest_after))
		fail_test(k, "%s: %s changed during the run: xxh3-128 %s before, %s after", c->name,
			  c->pristine, c->digest_before, c->digest_after);
	else
		note(k, "%s: %s%s: xxh3-128 %s before and after the run: byte-identical", c->name,
		     c->pristine, c->pristine_made ? " (a scratch image of zeros)" : "",
		     c->digest_after);
}

/* One test per card and verdict, named "NAME.what". */
static void card_test(struct ktap *k, const struct ni_run *n, const struct ni_card *c,
		      void (*fn)(struct ktap *, const struct ni_run *, const struct ni_card *),
		      const char *what)
{
	char name[96];

	snprintf(name, sizeof(name), "%s.%s", c->name, what);
	begin(k, name);
	fn(k, n, c);
	end(k, name);
}

static void card_pristine_test(struct ktap *k, const struct ni_run *n, const struct ni_card *c)
{
	card_pristine(k, c);
}

void ni_report_ktap(const struct ni_run *n, FILE *out)
{
	struct ktap k = { .f = out };

	ktap_put_header(out, "TAP version 13", 3 + 4 * n->ncards);
	if (n->infra_error[0])
		fprintf(out, "# guestcheck: %s\n", n->infra_error);
	agent_phase(&k, n, NI_BASELINE);
	installer_phase(&k, n);
	agent_phase(&k, n, NI_VERIFY);
	for (size_t i = 0; i < n->ncards; i++) {
		card_test(&k, n, &n->cards[i], card_fingerprint, "fingerprint");
		card_test(&k, n, &n->cards[i], card_guest_writes, "guest-writes");
		card_test(&k, n, &n->cards[i], card_host_writes, "host-writes");
		card_test(&k, n, &n->cards[i], card_pristine_test, "pristine");
	}
}

static json_object *jstr(const char *s)
{
	return s && *s ? json_object_new_string(s) : NULL;
}

static json_object *jcard_phase(const struct ni_run *n, const struct ni_card *c, enum ni_phase p)
{
	json_object *o = json_object_new_object(), *ranges = json_object_new_array(), *st;
	const struct monitor_node *m;

	json_object_object_add(o, "ran", json_object_new_boolean(n->ran[p]));
	json_object_object_add(o, "overlay", jstr(c->overlay[p]));
	json_object_object_add(o, "overlay_error", jstr(c->map_error[p]));
	json_object_object_add(o, "written_bytes", json_object_new_uint64(c->map[p].bytes));
	for (size_t i = 0; i < c->map[p].nranges && i < OVERLAY_MAX_RANGES; i++) {
		json_object *r = json_object_new_object();

		json_object_object_add(r, "offset",
				       json_object_new_uint64(c->map[p].ranges[i].offset));
		json_object_object_add(r, "length",
				       json_object_new_uint64(c->map[p].ranges[i].length));
		json_object_array_add(ranges, r);
	}
	json_object_object_add(o, "written_ranges", ranges);
	json_object_object_add(o, "written_ranges_total",
			       json_object_new_uint64(c->map[p].nranges));
	if (c->stats[p].valid) {
		st = json_object_new_object();
		json_object_object_add(st, "wr_operations",
				       json_object_new_uint64(c->stats[p].wr_operations));
		json_object_object_add(st, "wr_bytes",
				       json_object_new_uint64(c->stats[p].wr_bytes));
		json_object_object_add(st, "wr_highest_offset",
				       json_object_new_uint64(c->stats[p].wr_highest_offset));
		json_object_object_add(st, "unmap_operations",
				       json_object_new_uint64(c->stats[p].unmap_operations));
		json_object_object_add(st, "unmap_bytes",
				       json_object_new_uint64(c->stats[p].unmap_bytes));
		json_object_object_add(o, "blockstats", st);
	} else {
		json_object_object_add(o, "blockstats", NULL);
		json_object_object_add(o, "blockstats_error", jstr(c->stats[p].error));
	}
	if (c->have_fp[p]) {
		st = json_object_new_object();
		json_object_object_add(st, "bytes", json_object_new_uint64(c->fp[p].bytes));
		json_object_object_add(st, "xxh3_128", jstr(c->fp[p].digest));
		json_object_object_add(st, "layout_xxh3_128", jstr(c->fp[p].layout_digest));
		json_object_object_add(st, "wr_ios", json_object_new_uint64(c->fp[p].wr_ios));
		json_object_object_add(st, "wr_sectors",
				       json_object_new_uint64(c->fp[p].wr_sectors));
		json_object_object_add(o, "fingerprint", st);
	}
	if (p == NI_INSTALLER && (m = monitor_find(&n->installer.monitor, c->node))) {
		st = json_object_new_object();
		json_object_object_add(st, "wr_ios", json_object_new_uint64(m->wr_ios));
		json_object_object_add(st, "wr_sectors", json_object_new_uint64(m->wr_sectors));
		json_object_object_add(st, "discard_ios", json_object_new_uint64(m->discard_ios));
		json_object_object_add(st, "discard_sectors",
				       json_object_new_uint64(m->discard_sectors));
		json_object_object_add(o, "guest_counters", st);
	}
	return o;
}

int ni_report_json(const struct ni_run *n, const char *path, char *err, size_t errsize)
{
	static const char *const ends[] = {
		[INSTALLER_POWERED_OFF] = "powered-off", [INSTALLER_TIMED_OUT] = "timed-out",
		[INSTALLER_QEMU_EXITED] = "qemu-exited", [INSTALLER_INFRA] = "error",
		[INSTALLER_INTERRUPTED] = "interrupted",
	};
	json_object *root = json_object_new_object(), *cards = json_object_new_array(), *inst;
	const char *s;
	int r;

	json_object_object_add(root, "scenario", jstr(n->sc.name));
	json_object_object_add(root, "accel", jstr(n->accel));
	json_object_object_add(root, "qemu", jstr(n->g->qemu));
	json_object_object_add(root, "qemu_version",
			       jstr(n->g->qemu_info ? n->g->qemu_info->version.text : NULL));
	json_object_object_add(root, "infra_error", jstr(n->infra_error));
	json_object_object_add(root, "interrupted",
			       n->interrupted ? json_object_new_int(n->interrupted) : NULL);
	inst = json_object_new_object();
	json_object_object_add(inst, "ran", json_object_new_boolean(n->ran[NI_INSTALLER]));
	if (n->ran[NI_INSTALLER]) {
		json_object_object_add(inst, "end", json_object_new_string(ends[n->installer.end]));
		json_object_object_add(inst, "reason", jstr(n->installer.reason));
		json_object_object_add(inst, "seconds",
				       json_object_new_double(n->installer.seconds));
		json_object_object_add(inst, "monitor_samples",
				       json_object_new_uint64(n->installer.monitor.lines));
		json_object_object_add(inst, "monitor_error", jstr(n->installer.monitor.error));
		json_object_object_add(inst, "image", jstr(n->plan.image));
		json_object_object_add(
			inst, "guest_counters",
			json_object_new_string(n->plan.image[0] ? "none: a disk-image installer "
								  "has no initrd to wrap"
					       : n->plan.watch	? "monitor"
								: "none: watch = no"));
	}
	json_object_object_add(root, "installer", inst);
	for (size_t i = 0; i < n->ncards; i++) {
		const struct ni_card *c = &n->cards[i];
		json_object *o = json_object_new_object(), *phases = json_object_new_object();

		json_object_object_add(o, "name", jstr(c->name));
		json_object_object_add(o, "node", jstr(c->node));
		json_object_object_add(o, "pristine", jstr(c->pristine));
		json_object_object_add(o, "pristine_xxh3_128_before", jstr(c->digest_before));
		json_object_object_add(o, "pristine_xxh3_128_after", jstr(c->digest_after));
		for (int p = 0; p < NI_PHASES; p++)
			json_object_object_add(phases, ni_phase_names[p], jcard_phase(n, c, p));
		json_object_object_add(o, "phases", phases);
		json_object_array_add(cards, o);
	}
	json_object_object_add(root, "cards", cards);
	s = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY);
	r = s ? write_file(path, s, strlen(s)) : -ENOMEM;
	if (r < 0)
		errmsg(err, errsize, r, "%s: cannot write: %s", path, strerror(-r));
	json_object_put(root);
	return r;
}
