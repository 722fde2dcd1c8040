// SPDX-License-Identifier: GPL-2.0-or-later
#include "scenario/scenario.h"

#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errmsg.h"
#include "units.h"

#include "devices/device_type.h"
#include "noninterference/installer_plan.h"
#include "userdisk/disk_format.h"

static const struct key_spec scenario_keys[] = {
	{ "name", KEY_STRING, "a short name for reports (letters, digits, '-', '_')" },
	{ "description", KEY_STRING, "one line saying what the scenario proves" },
	{ "boot_timeout", KEY_STRING, "QEMU start to the agent's hello, e.g. 60s" },
	{ "run_timeout", KEY_STRING, "the agent's hello to its last result, e.g. 120s" },
	{ "device_timeout", KEY_STRING, "how long the agent waits for the devices, e.g. 20s" },
	{ "kind", KEY_STRING, "checks (the default) or non-interference (see README)" },
	{ 0 },
};

static const struct key_spec machine_keys[] = {
	{ "arch", KEY_STRING, "guest architecture: x86_64 or aarch64" },
	{ "memory", KEY_SIZE, "guest RAM, e.g. 512M" },
	{ "cpus", KEY_UINT, "guest CPUs" },
	{ "kernel", KEY_PATH, "guest kernel (default: newest /boot/vmlinuz-* with its modules)" },
	{ "append", KEY_STRING, "extra kernel command line, e.g. loglevel=7" },
	{ "disk", KEY_PATH,
	  "your own disk image (raw or qcow2) to boot by the firmware instead of guestcheck's "
	  "kernel; it is never written (README, \"Your own disk image\")" },
	{ "dtb", KEY_PATH, "the guest's device tree (.dtb), relative to the scenario's folder" },
	{ "firmware", KEY_STRING,
	  "what boots the disk: bios (SeaBIOS, QEMU's default) or uefi (OVMF, as Incus and "
	  "libvirt's UEFI VMs boot)" },
	{ "pci_hotplug", KEY_STRING,
	  "q35's PCIe root ports: acpi (QEMU's default) or native (device_del of a slot the "
	  "guest never powered completes at once)" },
	{ 0 },
};

/* [expect AREA.CHECK]: a failure the scenario demonstrates (README, "Expected failures"). */
#define DIAGNOSIS_HELP                                                                             \
	"a line the failure must show: its words as ktap.log or the terminal shows them, with * "  \
	"and ? as wildcards"
static const struct key_spec expect_keys[] = {
	{ "result", KEY_STRING, "the result the check must have: fail" },
	{ "diagnosis", KEY_STRING, DIAGNOSIS_HELP },
	{ "diagnosis2", KEY_STRING, DIAGNOSIS_HELP },
	{ "diagnosis3", KEY_STRING, DIAGNOSIS_HELP },
	{ "diagnosis4", KEY_STRING, DIAGNOSIS_HELP },
	{ "diagnosis5", KEY_STRING, DIAGNOSIS_HELP },
	{ "diagnosis6", KEY_STRING, DIAGNOSIS_HELP },
	{ "diagnosis7", KEY_STRING, DIAGNOSIS_HELP },
	{ "diagnosis8", KEY_STRING, DIAGNOSIS_HELP },
	{ "reason", KEY_STRING, "why the scenario fails on purpose, for the reports" },
	{ 0 },
};

/* The machine each architecture boots and its root PCI bus. */
static const struct {
	const char *arch, *machine, *pci_root;
	const char *qemu, *console;
	const char *ktap_tty; /* a machine without virtio: the agent reports on this UART */
	const char *modules;  /* drivers of the machine's own devices: fixed regulators, SD hosts */
	const char *kernel_args; /* what every boot of this machine needs on the kernel's command
				    line */
} arch_machines[] = {
	/*
	 * no_timer_check: Linux's IO-APIC timer test counts ticks over a busy
	 * loop; a TCG guest on a loaded host misses them and panics ("IO-APIC +
	 * timer doesn't work!"), seen in the suite at a load average of 6.
	 * Virtual machines' kernels are commonly booted with it.
	 */
	{ "x86_64", "q35", "pcie.0", "qemu-system-x86_64", "ttyS0", NULL, "", "no_timer_check" },
	/* ZynqMP: no PCI, no virtio; the second Cadence UART (ttyPS1) carries the KTAP. */
	{ "aarch64", "xlnx-zcu102", NULL, "qemu-system-aarch64", "ttyPS0", "ttyPS1",
	  "fixed sdhci_of_arasan", "" },
};

static int check_value(const struct scenario *s, const char *section, const struct config_entry *e,
		       const struct key_spec *spec, char *err, size_t errsize)
{
	uint64_t u;
	int b;

	switch (spec->kind) {
	case KEY_SIZE:
		if (parse_size(e->value, &u) < 0)
			return errmsg(err, errsize, -EINVAL,
				      "%s:%d: [%s] %s = '%s' is not a size: %s", s->path, e->line,
				      section, e->key, e->value, spec->help);
		break;
	case KEY_UINT:
		if (parse_u64(e->value, &u) < 0)
			return errmsg(err, errsize, -EINVAL,
				      "%s:%d: [%s] %s = '%s' is not a whole number: %s", s->path,
				      e->line, section, e->key, e->value, spec->help);
		break;
	case KEY_BOOL:
		if (parse_bool(e->value, &b) < 0)
			return errmsg(err, errsize, -EINVAL,
				      "%s:%d: [%s] %s = '%s': write yes or no", s->path, e->line,
				      section, e->key, e->value);
		break;
	case KEY_MAC:
		/* By character: sscanf's %x would take " 4", "-1" or "+f" as an octet. */
		for (int i = 0; i < 18; i++) {
			char c = e->value[i];
			bool ok = i == 17      ? c == '\0'
				  : i % 3 == 2 ? c == ':'
					       : isxdigit((unsigned char)c);

			if (!ok)
				return errmsg(err, errsize, -EINVAL,
					      "%s:%d: [%s] %s = '%s' is not a MAC address: write "
					      "e.g. 52:54:00:12:34:56",
					      s->path, e->line, section, e->key, e->value);
		}
		if (strtoul(e->value, NULL, 16) & 1)
			return errmsg(err, errsize, -EINVAL,
				      "%s:%d: [%s] %s = '%s' is a multicast address: clear the "
				      "lowest bit of the first byte",
				      s->path, e->line, section, e->key, e->value);
		break;
	case KEY_STRING:
	case KEY_PATH:
		if (!e->value[0])
			return errmsg(err, errsize, -EINVAL,
				      "%s:%d: [%s] %s is empty: %s, or remove the line", s->path,
				      e->line, section, e->key, spec->help);
		break;
	}
	return 0;
}

static int check_keys(const struct scenario *s, const struct config_section *sec,
		      const struct key_spec *keys, const char *what, char *err, size_t errsize)
{
	for (size_t i = 0; i < sec->nentries; i++) {
		const struct config_entry *e = &sec->entries[i];
		const struct key_spec *spec = NULL;
		char known[512] = "";
		size_t len = 0;
		int r;

		if (!strcmp(e->key, "type") && !strncmp(sec->name, "device ", 7))
			continue;
		for (const struct key_spec *k = keys; k->name; k++) {
			if (!strcmp(k->name, e->key))
				spec = k;
			/* snprintf returns what it would have written: stop at the end. */
			if (len < sizeof(known))
				len += snprintf(known + len, sizeof(known) - len, "%s%s",
						len ? ", " : "", k->name);
		}
		if (!spec)
			return errmsg(err, errsize, -EINVAL,
				      "%s:%d: [%s]: unknown key '%s' for %s: known keys "
				      "are %s",
				      s->path, e->line, sec->name, e->key, what, known);
		r = check_value(s, sec->name, e, spec, err, errsize);
		if (r < 0)
			return r;
	}
	return 0;
}

static int parse_timeout(const struct scenario *s, const char *key, uint64_t *out, char *err,
			 size_t errsize)
{
	const struct config_entry *e = config_entry(config_section(&s->cfg, "scenario"), key);

	if (e && (parse_duration_ms(e->value, out) < 0 || *out == 0))
		return errmsg(err, errsize, -EINVAL,
			      "%s:%d: [scenario] %s = '%s' is not a duration: write "
			      "e.g. 60s or 2m",
			      s->path, e->line, key, e->value);
	return 0;
}

static int load_scenario_section(struct scenario *s, char *err, size_t errsize)
{
	const struct config_section *sec = config_section(&s->cfg, "scenario");
	const char *name = config_get(&s->cfg, "scenario", "name");
	int r;

	if (!sec)
		return errmsg(err, errsize, -EINVAL,
			      "%s: no [scenario] section: add one with at least 'name = ...'",
			      s->path);
	r = check_keys(s, sec, scenario_keys, "[scenario]", err, errsize);
	if (r < 0)
		return r;
	if (!name)
		return errmsg(err, errsize, -EINVAL,
			      "%s:%d: [scenario] has no name: add 'name = ...'", s->path,
			      sec->line);
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			return errmsg(err, errsize, -EINVAL,
				      "%s:%d: [scenario] name '%s': use letters, digits, '-' and "
				      "'_' only (it names files)",
				      s->path, config_entry(sec, "name")->line, name);
	if (strlen(name) >= sizeof(s->name))
		return errmsg(err, errsize, -EINVAL,
			      "%s:%d: [scenario] name is longer than %zu characters: shorten it",
			      s->path, config_entry(sec, "name")->line, sizeof(s->name) - 1);
	strcpy(s->name, name);
	snprintf(s->description, sizeof(s->description), "%s",
		 config_get(&s->cfg, "scenario", "description") ?: "");
	snprintf(s->kind, sizeof(s->kind), "%s",
		 config_get(&s->cfg, "scenario", "kind") ?: SCENARIO_KIND_CHECKS);
	if (strcmp(s->kind, SCENARIO_KIND_CHECKS) &&
	    strcmp(s->kind, SCENARIO_KIND_NON_INTERFERENCE))
		return errmsg(err, errsize, -EINVAL,
			      "%s:%d: [scenario] kind = '%s': use checks or "
			      "non-interference",
			      s->path, config_entry(sec, "kind")->line, s->kind);
	s->boot_timeout_ms = 60000;
	s->run_timeout_ms = 120000;
	s->device_timeout_ms = 20000;
	r = parse_timeout(s, "boot_timeout", &s->boot_timeout_ms, err, errsize);
	if (r == 0)
		r = parse_timeout(s, "device_timeout", &s->device_timeout_ms, err, errsize);
	return r < 0 ? r : parse_timeout(s, "run_timeout", &s->run_timeout_ms, err, errsize);
}

/*
 * A kernel named by a pattern (vmlinuz-*-arm64: the release moves with each
 * Debian update) becomes its newest match in version order. No match leaves
 * the pattern, which `run` then reports as missing, naming it; --kernel
 * overrides the scenario's kernel, so it is no error here.
 */
static void newest_match(char *path, size_t size)
{
	const char *best = NULL;
	glob_t g;

	if (!strpbrk(path, "*?[") || glob(path, 0, NULL, &g))
		return;
	for (size_t i = 0; i < g.gl_pathc; i++)
		if (!best || strverscmp(g.gl_pathv[i], best) > 0)
			best = g.gl_pathv[i];
	snprintf(path, size, "%s", best);
	globfree(&g);
}

/* [machine] disk = FILE: the file exists, is readable and is a disk image. */
static int load_disk(struct scenario *s, const struct config_section *sec, char *err,
		     size_t errsize)
{
	const char *v = config_get(&s->cfg, "machine", "disk");
	const char *format;
	char why[PATH_MAX + 256], abs[PATH_MAX];
	int line;

	if (!v) {
		if (config_get(&s->cfg, "machine", "firmware"))
			return errmsg(
				err, errsize, -EINVAL,
				"%s:%d: [machine] firmware chooses what boots a disk: it needs "
				"disk = FILE (guestcheck's own kernel boots without firmware)",
				s->path, config_entry(sec, "firmware")->line);
		return 0;
	}
	line = config_entry(sec, "disk")->line;
	if (config_get(&s->cfg, "machine", "kernel"))
		return errmsg(err, errsize, -EINVAL,
			      "%s:%d: [machine] disk and kernel: your disk boots its own kernel: "
			      "remove one of them",
			      s->path, line);
	if (strcmp(s->arch, "x86_64"))
		return errmsg(err, errsize, -EINVAL,
			      "%s:%d: [machine] disk is for x86_64 guests (SeaBIOS or OVMF boots "
			      "it), not "
			      "%s: remove arch or disk",
			      s->path, line, s->arch);
	if (strcmp(s->kind, SCENARIO_KIND_CHECKS))
		return errmsg(err, errsize, -EINVAL,
			      "%s:%d: [machine] disk: a %s scenario boots guestcheck's own kernel: "
			      "use disk in a checks scenario",
			      s->path, line, s->kind);
	if (snprintf(s->disk, sizeof(s->disk), "%s%s%s", v[0] == '/' ? "" : s->dir,
		     v[0] == '/' ? "" : "/", v) >= (int)sizeof(s->disk))
		return errmsg(err, errsize, -EINVAL,
			      "%s:%d: [machine] disk: the path is too long: give a shorter one",
			      s->path, line);
	format = disk_format_probe(s->disk, why, sizeof(why));
	if (!format)
		return errmsg(err, errsize, -EINVAL, "%s:%d: [machine] disk = %s", s->path, line,
			      why);
	snprintf(s->disk_format, sizeof(s->disk_format), "%s", format);
	if ((v = config_get(&s->cfg, "machine", "firmware"))) {
		if (strcmp(v, "bios") && strcmp(v, "uefi"))
			return errmsg(err, errsize, -EINVAL,
				      "%s:%d: [machine] firmware = '%s': use bios or uefi", s->path,
				      config_entry(sec, "firmware")->line, v);
		s->firmware_uefi = !strcmp(v, "uefi");
	}
	/* The overlay in the run directory names its backing file: from anywhere. */
	if (!realpath(s->disk, abs))
		return errmsg(err, errsize, -EINVAL, "%s:%d: [machine] disk = %s: %s: fix the path",
			      s->path, line, s->disk, strerror(errno));
	snprintf(s->disk, sizeof(s->disk), "%s", abs);
	return 0;
}

static int load_machine_section(struct scenario *s, char *err, size_t errsize)
{
	const struct config_section *sec = config_section(&s->cfg, "machine");
	const char *arch = config_get(&s->cfg, "machine", "arch") ?: "x86_64";
	const char *v;
	uint64_t u;
	int r;

	if (sec && (r = check_keys(s, sec, machine_keys, "[machine]", err, errsize)) < 0)
		return r;
	for (size_t i = 0; i < ARRAY_SIZE(arch_machines); i++) {
		if (strcmp(arch_machines[i].arch, arch))
			continue;
		snprintf(s->arch, sizeof(s->arch), "%s", arch);
		snprintf(s->machine, sizeof(s->machine), "%s", arch_machines[i].machine);
		s->pci_root = arch_machines[i].pci_root;
		s->qemu = arch_machines[i].qemu;
		s->console = arch_machines[i].console;
		s->kernel_args = arch_machines[i].kernel_args;
		s->ktap_tty = arch_machines[i].ktap_tty;
		s->machine_modules = arch_machines[i].modules;
	}
	if (!s->arch[0])
		return errmsg(err, errsize, -EINVAL,
			      "%s:%d: [machine] arch = '%s' is not supported: use x86_64 or "
			      "aarch64",
			      s->path, config_entry(sec, "arch")->line, arch);
	s->memory = 512 << 20;
	if ((v = config_get(&s->cfg, "machine", "memory")))
		parse_size(v, &s->memory);
	if (s->memory < (64 << 20))
		return errmsg(err, errsize, -EINVAL,
			      "%s:%d: [machine] memory %s is too small to boot: use at "
			      "least 64M",
			      s->path, config_entry(sec, "memory")->line, v);
	/* QEMU gets -m in MiB: anything else would be silently rounded down. */
	if (s->memory % (1 << 20))
		return errmsg(err, errsize, -EINVAL,
			      "%s:%d: [machine] memory %s is not a whole number of MiB: "
			      "write e.g. 512M",
			      s->path, config_entry(sec, "memory")->line, v);
	s->cpus = 1;
	/* Range-check the u64: 4294967297 must not wrap to 1 CPU. */
	if ((v = config_get(&s->cfg, "machine", "cpus")) && parse_u64(v, &u) == 0)
		s->cpus = u <= 64 ? u : 0;
	if (s->cpus < 1 || s->cpus > 64)
		return errmsg(err, errsize, -EINVAL, "%s:%d: [machine] cpus = %s: use 1 to 64",
			      s->path, config_entry(sec, "cpus")->line, v);
	if ((v = config_get(&s->cfg, "machine", "pci_hotplug"))) {
		if (strcmp(v, "acpi") && strcmp(v, "native"))
			return errmsg(err, errsize, -EINVAL,
				      "%s:%d: [machine] pci_hotplug = '%s': use acpi or native",
				      s->path, config_entry(sec, "pci_hotplug")->line, v);
		if (strcmp(s->machine, "q35"))
			return errmsg(
				err, errsize, -EINVAL,
				"%s:%d: [machine] pci_hotplug is for x86's q35 machine, not %s",
				s->path, config_entry(sec, "pci_hotplug")->line, s->machine);
		s->pci_hotplug_native = !strcmp(v, "native");
	}
	if ((v = config_get(&s->cfg, "machine", "kernel"))) {
		if (v[0] == '/')
			snprintf(s->kernel, sizeof(s->kernel), "%s", v);
		else
			snprintf(s->kernel, sizeof(s->kernel), "%s/%s", s->dir, v);
		newest_match(s->kernel, sizeof(s->kernel));
	}
	snprintf(s->append, sizeof(s->append), "%s",
		 config_get(&s->cfg, "machine", "append") ?: "");
	if ((v = config_get(&s->cfg, "machine", "dtb"))) {
		snprintf(s->dtb, sizeof(s->dtb), "%s%s%s", v[0] == '/' ? "" : s->dir,
			 v[0] == '/' ? "" : "/", v);
		if (access(s->dtb, R_OK) < 0)
			return errmsg(err, errsize, -EINVAL,
				      "%s:%d: [machine] dtb = %s: %s: `make` compiles "
				      "dt/*.dts into build/dt/; or name your own .dtb",
				      s->path, config_entry(sec, "dtb")->line, v, strerror(errno));
	}
	return load_disk(s, sec, err, errsize);
}

static int load_device(struct scenario *s, const struct config_section *sec, const char *name,
		       char *err, size_t errsize)
{
	const struct config_entry *type = config_entry(sec, "type");
	struct scenario_device *d;
	char names[256];
	int r;

	if (s->ndevices == SCENARIO_MAX_DEVICES)
		return errmsg(err, errsize, -EINVAL,
			      "%s:%d: more than %d devices: split the scenario", s->path, sec->line,
			      SCENARIO_MAX_DEVICES);
	if (strlen(name) >= sizeof(d->name))
		return errmsg(err, errsize, -EINVAL,
			      "%s:%d: [%s]: device name too long (max %zu): shorten it", s->path,
			      sec->line, sec->name, sizeof(d->name) - 1);
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_')
			return errmsg(err, errsize, -EINVAL,
				      "%s:%d: [%s]: device names take letters, digits "
				      "and '_' (they become QEMU ids)",
				      s->path, sec->line, sec->name);
	if (!type)
		return errmsg(err, errsize, -EINVAL,
			      "%s:%d: [%s] has no type: add 'type = ' one of %s", s->path,
			      sec->line, sec->name, device_type_names(names, sizeof(names)));
	d = &s->devices[s->ndevices];
	*d = (struct scenario_device){ .section = sec, .line = sec->line };
	strcpy(d->name, name);
	d->type = device_type_find(type->value);
	if (!d->type)
		return errmsg(err, errsize, -EINVAL,
			      "%s:%d: [%s] type = '%s' is not a device type: use one "
			      "of %s",
			      s->path, type->line, sec->name, type->value,
			      device_type_names(names, sizeof(names)));
	for (size_t i = 0; i < s->ndevices; i++)
		d->index += s->devices[i].type == d->type;
	r = check_keys(s, sec, d->type->keys, d->type->kind->name, err, errsize);
	if (r < 0)
		return r;
	r = d->type->validate(d, s, err, errsize);
	if (r < 0)
		return r;
	s->ndevices++;
	return 0;
}

/* Test names as the harness writes them: fixture.test, area.check. */
static bool is_check_name(const char *name)
{
	const char *dot = strchr(name, '.');

	if (!dot || dot == name || !dot[1] || name[strlen(name) - 1] == '.')
		return false;
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("._-", *p))
			return false;
	return true;
}

/* A pattern of wildcards and blanks only would match any line: no diagnosis at all. */
static bool matches_anything(const char *pattern)
{
	return !pattern[strspn(pattern, "*? \t")];
}

/* [expect CHECK]: a test's name, in a scenario that can take one more. */
static int check_expect_section(const struct scenario *s, const struct config_section *sec,
				const char *check, char *err, size_t errsize)
{
	if (!*check)
		return errmsg(err, errsize, -EINVAL,
			      "%s:%d: [expect] names no test: write [expect AREA.CHECK], e.g. "
			      "[expect sdhci.supplies]",
			      s->path, sec->line);
	if (!is_check_name(check))
		return errmsg(
			err, errsize, -EINVAL,
			"%s:%d: [%s]: '%s' is not a test name: write the name ktap.log and the "
			"reports give the test, AREA.CHECK, e.g. [expect sdhci.supplies]",
			s->path, sec->line, sec->name, check);
	if (strlen(check) >= sizeof(s->expects[0].check))
		return errmsg(err, errsize, -EINVAL,
			      "%s:%d: [%s]: a test name of at most %zu characters", s->path,
			      sec->line, sec->name, sizeof(s->expects[0].check) - 1);
	if (strcmp(s->kind, SCENARIO_KIND_CHECKS))
		return errmsg(
			err, errsize, -EINVAL,
			"%s:%d: [%s]: a %s scenario's verdict comes from its phases, not from "
			"single tests: declare expected failures in a checks scenario",
			s->path, sec->line, sec->name, s->kind);
	if (s->nexpects == SCENARIO_MAX_EXPECTS)
		return errmsg(err, errsize, -EINVAL,
			      "%s:%d: more than %d [expect] sections: split the scenario", s->path,
			      sec->line, SCENARIO_MAX_EXPECTS);
	return 0;
}

/* The section's keys, and its result = fail. */
static int check_expect_keys(const struct scenario *s, const struct config_section *sec, char *err,
			     size_t errsize)
{
	const struct config_entry *result = config_entry(sec, "result");
	int r;

	for (size_t i = 0; i < sec->nentries; i++) {
		const struct config_entry *e = &sec->entries[i];

		/* Said here, not by check_keys(): "or remove the line" is no fix for these. */
		if (!e->value[0] && (!strcmp(e->key, "result") || !strncmp(e->key, "diagnosis", 9)))
			return errmsg(err, errsize, -EINVAL, "%s:%d: [%s] %s is empty: write %s",
				      s->path, e->line, sec->name, e->key,
				      !strcmp(e->key, "result")
					      ? "result = fail"
					      : "the words of the failure line the "
						"check must show (from ktap.log or "
						"the terminal), with * and ? as "
						"wildcards");
	}
	r = check_keys(s, sec, expect_keys, "[expect CHECK]", err, errsize);
	if (r < 0)
		return r;
	if (!result)
		return errmsg(err, errsize, -EINVAL,
			      "%s:%d: [%s] has no result: add 'result = fail'", s->path, sec->line,
			      sec->name);
	if (strcmp(result->value, "fail"))
		return errmsg(err, errsize, -EINVAL,
			      "%s:%d: [%s] result = '%s': write result = fail (only failures are "
			      "declared: a check that passes or skips needs no section)",
			      s->path, result->line, sec->name, result->value);
	return 0;
}

/* diagnosis, diagnosis2 ... diagnosis8: at least one, none that would match any line. */
static int load_diagnoses(const struct scenario *s, const struct config_section *sec,
			  struct scenario_expect *x, char *err, size_t errsize)
{
	for (const struct key_spec *k = expect_keys; k->name; k++) {
		const struct config_entry *e = config_entry(sec, k->name);

		if (!e || strncmp(k->name, "diagnosis", 9))
			continue;
		if (matches_anything(e->value))
			return errmsg(err, errsize, -EINVAL,
				      "%s:%d: [%s] %s = '%s' matches any line, so it would prove "
				      "nothing: write the words of the failure line the check must "
				      "show",
				      s->path, e->line, sec->name, e->key, e->value);
		x->diagnosis_line[x->ndiagnoses] = e->line;
		x->diagnosis[x->ndiagnoses++] = e->value;
	}
	if (!x->ndiagnoses)
		return errmsg(
			err, errsize, -EINVAL,
			"%s:%d: [%s] has no diagnosis: add 'diagnosis = ' and the words of the "
			"failure line the check must show (from ktap.log or the terminal, e.g. "
			"diagnosis = report no voltage), so a different failure is not taken "
			"for this one",
			s->path, sec->line, sec->name);
	return 0;
}

static int load_expect(struct scenario *s, const struct config_section *sec, const char *check,
		       char *err, size_t errsize)
{
	struct scenario_expect *x;
	int r;

	r = check_expect_section(s, sec, check, err, errsize);
	if (r < 0)
		return r;
	r = check_expect_keys(s, sec, err, errsize);
	if (r < 0)
		return r;
	x = &s->expects[s->nexpects];
	*x = (struct scenario_expect){ .line = sec->line };
	strcpy(x->check, check);
	r = load_diagnoses(s, sec, x, err, errsize);
	if (r < 0)
		return r;
	x->reason = config_get(&s->cfg, sec->name, "reason");
	s->nexpects++;
	return 0;
}

static int validate(struct scenario *s, char *err, size_t errsize)
{
	int r = load_scenario_section(s, err, errsize);

	if (r < 0 || (r = load_machine_section(s, err, errsize)) < 0)
		return r;
	for (size_t i = 0; i < s->cfg.nsections; i++) {
		const struct config_section *sec = &s->cfg.sections[i];
		const char *dev = config_section_suffix(sec, "device");
		const char *check = config_section_suffix(sec, "expect");

		if (!strcmp(sec->name, "scenario") || !strcmp(sec->name, "machine"))
			continue;
		if (check || !strcmp(sec->name, "expect")) {
			r = load_expect(s, sec, check ?: "", err, errsize);
			if (r < 0)
				return r;
			continue;
		}
		/* Checked as a whole by installer_plan_load() once the devices are known. */
		if (!strcmp(sec->name, "installer") &&
		    !strcmp(s->kind, SCENARIO_KIND_NON_INTERFERENCE)) {
			r = check_keys(s, sec, installer_keys, "[installer]", err, errsize);
			if (r < 0)
				return r;
			continue;
		}
		if (!dev)
			return errmsg(err, errsize, -EINVAL,
				      "%s:%d: unknown section [%s]: sections are "
				      "[scenario], [machine], [device NAME], [expect "
				      "CHECK] and, in a non-interference scenario, "
				      "[installer]",
				      s->path, sec->line, sec->name);
		r = load_device(s, sec, dev, err, errsize);
		if (r < 0)
			return r;
	}
	if (!strcmp(s->kind, SCENARIO_KIND_NON_INTERFERENCE)) {
		struct installer_plan plan;

		return installer_plan_load(s, &plan, err, errsize);
	}
	return 0;
}

int scenario_load(struct scenario *s, const char *path, char *err, size_t errsize)
{
	char copy[PATH_MAX];
	int r;

	*s = (struct scenario){ 0 };
	snprintf(s->path, sizeof(s->path), "%s", path);
	snprintf(copy, sizeof(copy), "%s", path);
	snprintf(s->dir, sizeof(s->dir), "%s", dirname(copy));
	r = config_load_file(&s->cfg, path, err, errsize);
	if (r == -ENOENT)
		return errmsg(err, errsize, r, "%s: no such scenario file: check the path", path);
	if (r < 0)
		return r;
	r = validate(s, err, errsize);
	if (r < 0)
		scenario_free(s);
	return r;
}

int scenario_load_string(struct scenario *s, const char *text, const char *dir, char *err,
			 size_t errsize)
{
	int r;

	*s = (struct scenario){ 0 };
	snprintf(s->dir, sizeof(s->dir), "%s", dir);
	r = config_load_string(&s->cfg, text, err, errsize);
	if (r < 0)
		return r;
	snprintf(s->path, sizeof(s->path), "%s", s->cfg.path);
	r = validate(s, err, errsize);
	if (r < 0)
		scenario_free(s);
	return r;
}

void scenario_free(struct scenario *s)
{
	config_free(&s->cfg);
	s->ndevices = 0;
	s->nexpects = 0;
}
