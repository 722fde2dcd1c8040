// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The scenario as LAVA job definitions (lava-dispatcher, Debian 12's
 * 2023.01): one for LAVA's `qemu` device type, and one that deploys the same
 * kernel and initrd over TFTP to a board booted by U-Boot. Both read the
 * agent's KTAP from the serial console with a `monitors` test action, so
 * LAVA records one test case per check. The bundle's initrd tells the agent
 * to write KTAP to the console (export_bundle_prepare()).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "errmsg.h"
#include "protocol.h"

#include "devices/device_type.h"
#include "export/export.h"
#include "export/export_text.h"
#include "export/peer_steps.h"
#include "noninterference/installer_plan.h"

/*
 * One KTAP result line, whole, as LAVA's result: "ok N NAME", "not ok N
 * NAME", "ok N NAME # SKIP why". LAVA takes the named group `result`, which
 * must read ok, not ok or SKIP (fixupdict maps them): the lookahead puts it
 * on SKIP for a skipped check. The line's end must have arrived, or a name
 * still being received would match cut short; at the start of a line only,
 * so a check's diagnostic ("# ...") never matches.
 */
#define LAVA_RESULT_PATTERN                                                                        \
	"(?:^|(?<=\\n))(?=(?:ok \\d+ \\S+ # )?(?P<result>SKIP|not ok|ok))(?:not )?ok \\d+ "        \
	"(?P<test_case_id>\\S+)[^\\r\\n]*\\r?\\n"

/* What lava-dispatcher's QEMU command line (one shell-split string) can carry. */
static bool lava_word_clean(const char *s)
{
	return export_text_clean(s) && !strpbrk(s, " \"'\\{}$`");
}

/* Scenario features only `guestcheck run` drives: 0, or -EINVAL naming the first. */
static int lava_expressible(const struct scenario *s, char *err, size_t errsize)
{
	if (!strcmp(s->kind, SCENARIO_KIND_NON_INTERFERENCE))
		return errmsg(err, errsize, -EINVAL,
			      "a non-interference scenario is several boots that guestcheck run "
			      "drives and compares; a LAVA job boots once: use guestcheck run");
	for (size_t i = 0; i < s->ndevices; i++) {
		const struct scenario_device *d = &s->devices[i];
		const char *plug = device_key(d, "plug"), *netdev = device_key(d, "netdev");

		if (d->type != &usb_net_device)
			continue;
		if (plug && strcmp(plug, "cold"))
			return errmsg(err, errsize, -EINVAL,
				      "[device %s] plug = %s needs QMP steps during the boot; "
				      "LAVA's QEMU has no QMP: use plug = cold, or guestcheck run",
				      d->name, plug);
		if (device_key(d, "link_down"))
			return errmsg(err, errsize, -EINVAL,
				      "[device %s] link_down needs QMP set_link during the probe; "
				      "LAVA's QEMU has no QMP: remove it, or use guestcheck run",
				      d->name);
		if (netdev && !strcmp(netdev, "tap"))
			return errmsg(err, errsize, -EINVAL,
				      "[device %s] netdev = tap needs root on the LAVA worker to "
				      "create the tap: use netdev = user",
				      d->name);
	}
	return 0;
}

/* A YAML single-quoted scalar: the text is clean (no control bytes), '' is a quote. */
static void yaml_str(FILE *out, const char *s)
{
	fputc('\'', out);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', out);
		fputc(*s, out);
	}
	fputc('\'', out);
}

/* A deploy image's path, absolute, as a file:// URL can carry it to LAVA; or -EINVAL. */
static int absolute(const char *path, char *buf, char *err, size_t errsize)
{
	if (!realpath(path, buf))
		return errmsg(err, errsize, -EINVAL, "%s: %s: name an existing file", path,
			      strerror(errno));
	/*
	 * lava-dispatcher opens urlparse(url).path, undecoded: a '#' or '?'
	 * starts the fragment or the query, and the worker would read the file
	 * named by the part before it (measured with Debian 12's 2023.01).
	 */
	if (strpbrk(buf, "#?"))
		return errmsg(err, errsize, -EINVAL,
			      "%s: a path with a '#' or a '?' cannot be a file:// URL: LAVA would "
			      "read %.*s instead: give another -o, or move the file",
			      buf, (int)strcspn(buf, "#?"), buf);
	if (!lava_word_clean(buf))
		return errmsg(err, errsize, -EINVAL,
			      "%s: a path with a space, a quote, a backslash, braces or a control "
			      "character cannot be written: LAVA splits its QEMU command line "
			      "like a shell: give another -o, or move the file",
			      buf);
	return 0;
}

static int write_header(const struct export_bundle *b, const char *what, FILE *out)
{
	const struct scenario *s = &b->guest.scenario;
	_cleanup_free_ char *peers = NULL;
	size_t len = 0, npeers;
	FILE *mem = open_memstream(&peers, &len);

	if (!mem)
		return -ENOMEM;
	npeers = export_peer_commands(s, b->dir, "#   ", mem);
	if (fclose(mem) != 0)
		return -ENOMEM;
	fprintf(out,
		"# guestcheck scenario %s as a LAVA job (%s).\n"
		"# Submit it with `lavacli jobs submit THIS_FILE`, or run it on a worker\n"
		"# with `lava-run --device DEVICE.yaml --output-dir DIR THIS_FILE`.\n"
		"# The kernel, the initrd and the scratch images are named by their paths\n"
		"# on this host (%s): the worker must read them there (or serve\n"
		"# them and change the URLs and paths).\n"
		"# The agent writes KTAP to the console; LAVA records one test case per\n"
		"# check in the suite `guestcheck`.\n",
		s->name, what, b->dir);
	/* LAVA starts nothing beside QEMU: the usb-net peers are the worker's. */
	if (npeers)
		fprintf(out,
			"# Each usb-net adapter that probes needs its peer on the worker, started\n"
			"# before the job:\n%s",
			peers);
	return 0;
}

static void write_timeouts(const struct scenario *s, FILE *out)
{
	unsigned long long boot = s->boot_timeout_ms / 1000 + 60,
			   run = s->run_timeout_ms / 1000 + 60;

	fprintf(out, "job_name: ");
	yaml_str(out, s->name);
	fprintf(out,
		"\ntimeouts:\n  job:\n    seconds: %llu\n  action:\n    seconds: %llu\n"
		"  connection:\n    seconds: %llu\n"
		"priority: medium\nvisibility: public\n",
		boot + run + 120, boot + run, run);
}

static void write_monitor(const struct scenario *s, FILE *out)
{
	fprintf(out,
		"- test:\n"
		"    timeout:\n      seconds: %llu\n"
		"    monitors:\n"
		"    - name: guestcheck\n"
		"      start: '" AGENT_LINE_PREFIX AGENT_HELLO "'\n"
		"      end: '" AGENT_LINE_PREFIX AGENT_END "'\n"
		"      pattern: ",
		(unsigned long long)(s->run_timeout_ms / 1000 + 60));
	yaml_str(out, LAVA_RESULT_PATTERN);
	fputs("\n      fixupdict:\n        ok: pass\n        not ok: fail\n        SKIP: skip\n",
	      out);
}

/* `-GROUP [implied,]id=ID,key=value...` as LAVA's extra_options, or -EINVAL. */
static int write_group_option(const struct qemu_group *g, FILE *out, char *err, size_t errsize)
{
	const char *implied = !strcmp(g->group, "device")   ? "driver"
			      : !strcmp(g->group, "netdev") ? "type"
							    : NULL;
	const char *opt = !strcmp(g->group, "smp-opts") ? "smp" : g->group;
	bool machine = !strcmp(g->group, "machine");
	const char *sep = "";

	fprintf(out, "  - -%s ", opt);
	if (implied && qemu_group_get(g, implied)) {
		fputs(qemu_group_get(g, implied), out);
		sep = ",";
	}
	if (g->id[0]) {
		fprintf(out, "%sid=%s", sep, g->id);
		sep = ",";
	}
	for (size_t i = 0; i < g->nprops; i++) {
		const char *k = g->props[i].key;
		_cleanup_free_ char *v = qemu_opts_escape(g->props[i].value);

		/* The kernel, initrd and command line are LAVA's deploy images. */
		if ((implied && !strcmp(k, implied)) ||
		    (machine &&
		     (!strcmp(k, "kernel") || !strcmp(k, "initrd") || !strcmp(k, "append"))))
			continue;
		if (!v)
			return -ENOMEM;
		if (!lava_word_clean(v))
			return errmsg(err, errsize, -EINVAL,
				      "[%s \"%s\"] %s: a value with a space, a quote, a backslash, "
				      "braces or a control character cannot be written: LAVA "
				      "splits its QEMU command line like a shell: fix the value or "
				      "the path",
				      g->group, g->id, k);
		fprintf(out, "%s%s=%s", sep, k, v);
		sep = ",";
	}
	fputc('\n', out);
	return 0;
}

static int write_image(FILE *out, const char *label, const char *arg, const char *path, char *err,
		       size_t errsize)
{
	char abs[PATH_MAX];
	int r = absolute(path, abs, err, errsize);

	if (r < 0)
		return r;
	fprintf(out, "      %s:\n        image_arg: ", label);
	yaml_str(out, arg);
	fprintf(out, "\n        url: ");
	fprintf(out, "'file://%s'\n", abs);
	return 0;
}

int export_write_lava(const struct export_bundle *b, FILE *out, char *err, size_t errsize)
{
	const struct scenario *s = &b->guest.scenario;
	const struct qemu_config *q = &b->qemu;
	const struct qemu_group *machine = qemu_config_find((struct qemu_config *)q, "machine", "");
	const char *append = machine ? qemu_group_get(machine, "append") : NULL;
	bool arm = !strcmp(s->arch, "aarch64");
	char kernel_arg[1024];
	const char *dtb = NULL;
	int r;

	if ((r = lava_expressible(s, err, errsize)) < 0)
		return r;
	if (!append)
		return errmsg(err, errsize, -EINVAL, "no kernel command line: this is a bug");
	if (!export_text_clean(append) || strpbrk(append, "\"\\{}$`"))
		return errmsg(err, errsize, -EINVAL,
			      "[machine] append has a quote, a backslash, braces or a control "
			      "character: LAVA's QEMU command line cannot carry it: fix append");
	if ((r = write_header(b, "LAVA's qemu device type", out)) < 0)
		return r;
	fputs("device_type: qemu\n", out);
	write_timeouts(s, out);
	/*
	 * The device type's own options (jinja2 in lava-server): no_kvm drops its
	 * -cpu host -enable-kvm (the accelerator is the scenario's -machine
	 * accel=). Its virtio NIC stays (no_network is not a job's context
	 * variable in LAVA's schema): the agent loads no virtio_net for it.
	 */
	fprintf(out, "context:\n  arch: %s\n  no_kvm: true\n  memory: %llu\n",
		arm ? "arm64" : "amd64", (unsigned long long)(s->memory >> 20));
	if (arm)
		fprintf(out, "  machine: %s\n  cpu: cortex-a53\n", s->machine);
	/* -nographic (the device type's) puts the console on LAVA's serial line. */
	fputs("  extra_options:\n  - -serial stdio\n", out);
	for (size_t i = 0; i < q->flags.n; i++) {
		const char *f = q->flags.v[i], *v = i + 1 < q->flags.n ? q->flags.v[i + 1] : NULL;

		if (v && v[0] == '-')
			v = NULL; /* a flag of its own: -nodefaults */
		i += v != NULL;
		/* -nographic is the device type's; the dtb is a deploy image. */
		if (!strcmp(f, "-display") || !strcmp(f, "-dtb")) {
			dtb = !strcmp(f, "-dtb") ? v : dtb;
			continue;
		}
		if (!lava_word_clean(f) || (v && !lava_word_clean(v)))
			return errmsg(err, errsize, -EINVAL,
				      "%s %s: a space, a quote, a backslash, braces or a control "
				      "character cannot be written: LAVA splits its QEMU command "
				      "line like a shell",
				      f, v ?: "");
		fprintf(out, "  - %s%s%s\n", f, v ? " " : "", v ?: "");
	}
	for (size_t i = 0; i < q->ngroups; i++) {
		const struct qemu_group *g = &q->groups[i];

		if (export_group_is_plumbing(g) || !strcmp(g->group, "memory"))
			continue;
		if ((r = write_group_option(g, out, err, errsize)) < 0)
			return r;
	}
	snprintf(kernel_arg, sizeof(kernel_arg), "-kernel {kernel} -append \"%s\"", append);
	fputs("actions:\n- deploy:\n    to: tmpfs\n    timeout:\n      minutes: 2\n    images:\n",
	      out);
	if ((r = write_image(out, "kernel", kernel_arg, b->guest.kernel, err, errsize)) < 0 ||
	    (r = write_image(out, "initrd", "-initrd {initrd}", b->initrd, err, errsize)) < 0 ||
	    (dtb && (r = write_image(out, "dtb", "-dtb {dtb}", dtb, err, errsize)) < 0))
		return r;
	fprintf(out,
		"- boot:\n    method: qemu\n    media: tmpfs\n    timeout:\n      seconds: %llu\n",
		(unsigned long long)(s->boot_timeout_ms / 1000 + 60));
	write_monitor(s, out);
	return ferror(out) ? -EIO : 0;
}

/*
 * A ZynqMP board of LAVA's `zcu102` device type: U-Boot loads the kernel,
 * the initrd and the device tree over TFTP. The initrd goes as it is (LAVA
 * would unpack it to add its overlay, and its last member, agent.ini, is
 * not in the compressed part): the board's boot commands take it raw.
 * The board has its own SD controller and card: the scenario's expectations
 * (sizes, nodes) are the emulated machine's, check them against the board.
 */
int export_write_lava_uboot(const struct export_bundle *b, FILE *out, char *err, size_t errsize)
{
	const struct scenario *s = &b->guest.scenario;
	const char *dtb = NULL;
	char kernel[PATH_MAX], initrd[PATH_MAX], dtb_abs[PATH_MAX];
	int r;

	if (strcmp(s->arch, "aarch64"))
		return EXPORT_NOT_APPLICABLE;
	if ((r = lava_expressible(s, err, errsize)) < 0)
		return r;
	for (size_t i = 0; i + 1 < b->qemu.flags.n; i++)
		if (!strcmp(b->qemu.flags.v[i], "-dtb"))
			dtb = b->qemu.flags.v[i + 1];
	if ((r = absolute(b->guest.kernel, kernel, err, errsize)) < 0 ||
	    (r = absolute(b->initrd, initrd, err, errsize)) < 0 ||
	    (dtb && (r = absolute(dtb, dtb_abs, err, errsize)) < 0))
		return r;
	r = write_header(
		b, "a ZynqMP board booted by U-Boot over TFTP; not run by guestcheck's tests", out);
	if (r < 0)
		return r;
	fputs("# The initrd is sent unchanged, without a U-Boot header: the device's\n"
	      "# ramdisk commands must boot it raw (booti with ADDR:SIZE), or add one\n"
	      "# first (mkimage -A arm64 -T ramdisk -C none).\n"
	      "device_type: zcu102\n",
	      out);
	write_timeouts(s, out);
	fprintf(out,
		"actions:\n- deploy:\n    to: tftp\n    timeout:\n      minutes: 5\n"
		"    kernel:\n      url: 'file://%s'\n      type: image\n"
		"    ramdisk:\n      url: 'file://%s'\n"
		"      install_modules: false\n      install_overlay: false\n",
		kernel, initrd);
	if (dtb)
		fprintf(out, "    dtb:\n      url: 'file://%s'\n", dtb_abs);
	fprintf(out,
		"- boot:\n    method: u-boot\n    commands: ramdisk\n"
		"    timeout:\n      seconds: %llu\n",
		(unsigned long long)(s->boot_timeout_ms / 1000 + 120));
	write_monitor(s, out);
	return ferror(out) ? -EIO : 0;
}
