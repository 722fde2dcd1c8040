// SPDX-License-Identifier: GPL-2.0-or-later
#include "vm/qemu_argv.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "protocol.h"

#include "devices/device_type.h"
#include "session/area.h"
#include "vm/qemu_opts.h"

/*
 * Not quiet: the kernel's whole boot log goes to the console (console.log),
 * so a guest that never says hello shows where it stopped. It costs nothing
 * measurable under TCG (the default scenario's hello at 5.7-6.9 s with it and
 * 6.1-6.9 s without, 1 Dec, QEMU 7.2.22); `append = quiet` brings it back.
 * panic=-1 with -no-reboot turns a crashed init into QEMU exiting.
 */
#define KERNEL_CMDLINE "console=%s panic=-1%s%s"

void qemu_device_image(const struct scenario_device *dev, const char *rundir, char *buf,
		       size_t size)
{
	if (dev->image[0])
		snprintf(buf, size, "%s", dev->image);
	else
		snprintf(buf, size, "%s/%s.img", rundir, dev->name);
}

/*
 * Machines with sound built in. QEMU 7.2 opens the host's default sound
 * driver for it (or the first -audiodev, with a deprecation warning); QEMU
 * 9.0 and later refuse to start without one named ("no default audio driver
 * available") and take it as the machine's audiodev= property, which 7.2
 * does not know. So: always a silent -audiodev, named on -machine where the
 * machine takes it.
 */
static const char *const machines_with_audio[] = { "xlnx-zcu102" };
#define AUDIODEV_ID "guestcheck-audio"

bool qemu_machine_has_audio(const char *machine)
{
	for (size_t i = 0; i < ARRAY_SIZE(machines_with_audio); i++)
		if (!strcmp(machine, machines_with_audio[i]))
			return true;
	return false;
}

static bool needs_xhci(const struct scenario *s)
{
	for (size_t i = 0; i < s->ndevices; i++)
		if (s->devices[i].type->needs_xhci)
			return true;
	return false;
}

int qemu_argv_build(const struct scenario *s, const struct qemu_plan *plan, struct strv *argv)
{
	/* QEMU ends an option value at ',': paths go in with ",," for a comma. */
	_cleanup_free_ char *rundir = qemu_opts_escape(plan->rundir);
	bool audio = qemu_machine_has_audio(s->machine);

	if (!rundir)
		return -ENOMEM;
	strv_add(argv, plan->binary);
	strv_add(argv, "-machine");
	strv_addf(argv, "%s,accel=%s%s", s->machine, plan->accel,
		  audio && plan->machine_audiodev ? ",audiodev=" AUDIODEV_ID : "");
	strv_add(argv, "-m");
	strv_addf(argv, "%lluM", (unsigned long long)(s->memory >> 20));
	strv_add(argv, "-smp");
	strv_addf(argv, "%u", s->cpus);
	if (!strcmp(plan->accel, "kvm")) {
		strv_add(argv, "-cpu");
		strv_add(argv, "host");
	}
	if (s->pci_hotplug_native) {
		strv_add(argv, "-global");
		strv_add(argv, "ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off");
	}
	strv_add(argv, "-nodefaults");
	strv_add(argv, "-no-reboot");
	strv_add(argv, "-display");
	strv_add(argv, "none");
	if (audio) {
		strv_add(argv, "-audiodev");
		strv_add(argv, "none,id=" AUDIODEV_ID);
	}
	if (s->disk[0] && s->firmware_uefi) {
		/*
		 * OVMF on q35's two flash chips: code read-only, the variables this
		 * boot's. No uefi_code: a command line only looked at (qemu_probe.c).
		 */
		_cleanup_free_ char *code = qemu_opts_escape(plan->uefi_code ?: "OVMF_CODE_4M.fd");

		if (!code)
			return -ENOMEM;
		strv_add(argv, "-drive");
		strv_addf(argv, "if=pflash,unit=0,format=raw,readonly=on,file=%s", code);
		strv_add(argv, "-drive");
		strv_addf(argv, "if=pflash,unit=1,format=raw,file=%s/" RUNDIR_UEFI_VARS, rundir);
	}
	if (s->disk[0]) {
		/* The user's disk, through its overlay: the firmware boots it. */
		strv_add(argv, "-drive");
		strv_addf(argv,
			  "if=none,id=" DISK_DRIVE_ID ",file=%s/" RUNDIR_DISK_OVERLAY
			  ",format=qcow2",
			  rundir);
		strv_add(argv, "-device");
		strv_add(argv, "virtio-blk-pci,drive=" DISK_DRIVE_ID ",bootindex=0");
	} else {
		strv_add(argv, "-kernel");
		strv_add(argv, plan->kernel);
		strv_add(argv, "-initrd");
		strv_add(argv, plan->initrd);
		strv_add(argv, "-append");
		strv_addf(argv, KERNEL_CMDLINE "%s%s", s->console ?: "ttyS0",
			  s->kernel_args && s->kernel_args[0] ? " " : "", s->kernel_args ?: "",
			  s->append[0] ? " " : "", s->append);
	}
	if (s->dtb[0]) {
		strv_add(argv, "-dtb");
		strv_add(argv, s->dtb);
	}

	/* The runner listens; QEMU connects as a client at start-up. */
	strv_add(argv, "-chardev");
	strv_addf(argv, "socket,id=console,path=%s/" RUNDIR_CONSOLE_SOCKET, rundir);
	strv_add(argv, "-serial");
	strv_add(argv, "chardev:console");
	strv_add(argv, "-chardev");
	strv_addf(argv, "socket,id=qmp,path=%s/" RUNDIR_QMP_SOCKET, rundir);
	strv_add(argv, "-mon");
	strv_add(argv, "chardev=qmp,mode=control");
	if (s->disk[0]) {
		/* No agent at boot: the guest's own QEMU guest agent, on its usual port. */
		strv_add(argv, "-chardev");
		strv_addf(argv, "socket,id=qga,path=%s/" RUNDIR_QGA_SOCKET ",server=on,wait=off",
			  rundir);
		strv_add(argv, "-device");
		strv_add(argv, "virtio-serial-pci,id=guestcheck-serial");
		strv_add(argv, "-device");
		strv_add(argv, "virtserialport,bus=guestcheck-serial.0,chardev=qga,"
			       "name=" QGA_PORT_NAME);
	} else if (s->ktap_tty) {
		/* No virtio on this machine: the second -serial is the agent's UART. */
		strv_add(argv, "-chardev");
		strv_addf(argv, "socket,id=ktap,path=%s/" RUNDIR_KTAP_SOCKET, rundir);
		strv_add(argv, "-serial");
		strv_add(argv, "chardev:ktap");
	} else {
		strv_add(argv, "-chardev");
		strv_addf(argv, "socket,id=ktap,path=%s/" RUNDIR_KTAP_SOCKET, rundir);
		strv_add(argv, "-device");
		strv_add(argv, "virtio-serial-pci,id=guestcheck-serial");
		strv_add(argv, "-device");
		strv_add(argv, "virtserialport,bus=guestcheck-serial.0,chardev=ktap,"
			       "name=" AGENT_PORT_NAME);
	}

	if (needs_xhci(s)) {
		strv_add(argv, "-device");
		strv_add(argv, "qemu-xhci,id=xhci");
	}
	for (size_t i = 0; i < s->ndevices; i++) {
		char image[PATH_MAX];
		_cleanup_free_ char *escaped = NULL;

		qemu_device_image(&s->devices[i], plan->rundir, image, sizeof(image));
		escaped = qemu_opts_escape(image);
		if (!escaped)
			return -ENOMEM;
		s->devices[i].type->qemu_args(&s->devices[i], s, escaped, argv);
	}
	/* What the areas add: monitors of their own, say (session/area.h). */
	host_areas_qemu_args(s, rundir, argv);
	return argv->error;
}

#define MODULES_MAX 32

/* Each of a device's modules (dev NULL: the machine's own) not yet in names. */
static void add_modules(const struct scenario *s, const struct scenario_device *dev,
			char names[MODULES_MAX][64], size_t *n)
{
	const char *extra =
		dev && dev->type->extra_modules ? dev->type->extra_modules(dev, s) : NULL;
	char mods[256], *tok, *save;

	snprintf(mods, sizeof(mods), "%s%s%s", dev ? dev->type->kind->modules : s->machine_modules ?: "",
		 extra ? " " : "", extra ?: "");
	for (tok = strtok_r(mods, " ", &save); tok && *n < MODULES_MAX;
	     tok = strtok_r(NULL, " ", &save)) {
		size_t j = 0;

		while (j < *n && strcmp(names[j], tok))
			j++;
		if (j == *n)
			snprintf(names[(*n)++], sizeof(names[0]), "%s", tok);
	}
}

/*
 * Modules the agent loads, each once, in this order: its own channel
 * (virtio-serial, unless it reports on a UART); the drivers of USB devices,
 * whose enumeration (the kernel's own port timers, about 0.3 s after
 * xhci_pci loads under TCG, Linux 6.1) then overlaps with loading the rest;
 * the machine's own devices' drivers; each other type's.
 */
static void write_modules(const struct scenario *s, FILE *out)
{
	char names[MODULES_MAX][64] = { "virtio_pci", "virtio_console" };
	size_t n = s->ktap_tty ? 0 : 2;

	for (size_t i = 0; i < s->ndevices; i++)
		if (s->devices[i].type->needs_xhci)
			add_modules(s, &s->devices[i], names, &n);
	add_modules(s, NULL, names, &n);
	for (size_t i = 0; i < s->ndevices; i++)
		if (!s->devices[i].type->needs_xhci)
			add_modules(s, &s->devices[i], names, &n);
	fputs("modules =", out);
	for (size_t i = 0; i < n; i++)
		fprintf(out, " %s", names[i]);
	fputc('\n', out);
}

int agent_config_write(const struct scenario *s, FILE *out)
{
	fprintf(out, "# Written by guestcheck run from %s: the guest's copy of the scenario.\n",
		s->path);
	fprintf(out, "[scenario]\nname = %s\n\n[agent]\n", s->name);
	write_modules(s, out);
	if (s->ktap_tty)
		fprintf(out, "port = %s\n", s->ktap_tty);
	fprintf(out, "device_timeout = %llums\n", (unsigned long long)s->device_timeout_ms);
	for (size_t i = 0; i < s->ndevices; i++) {
		const struct scenario_device *d = &s->devices[i];

		fprintf(out, "\n[device %s]\n", d->name);
		for (size_t j = 0; j < d->section->nentries; j++) {
			const struct config_entry *e = &d->section->entries[j];

			/* Host paths mean nothing in the guest; resolved values follow. */
			if (!strcmp(e->key, "image") || !strcmp(e->key, "node") ||
			    !strcmp(e->key, "size"))
				continue;
			fprintf(out, "%s = %s\n", e->key, e->value);
		}
		/* A pinned controller finds the node in the guest; the scenario's own still wins.
		 */
		if (d->guest_pci[0])
			fprintf(out, "pci_address = %s\n", d->guest_pci);
		if (d->guest_node[0] && (!d->guest_pci[0] || device_key(d, "node")))
			fprintf(out, "node = %s\n", d->guest_node);
		if (d->size)
			fprintf(out, "size = %llu\n", (unsigned long long)d->size);
	}
	return ferror(out) ? -EIO : 0;
}
