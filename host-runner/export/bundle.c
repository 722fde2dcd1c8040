// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "devices/device_type.h"
#include "export/export.h"
#include "session/initrd.h"
#include "vm/qemu_argv.h"

/* The chardevs `run` points at its own sockets, and where an export sends them. */
static const struct {
	const char *id, *backend, *file;
} chardev_targets[] = {
	{ "ktap", "file", "ktap.log" },
	{ "console", "file", "console.log" },
	{ "qmp", "socket", "qmp.sock" },
};

static int retarget_chardevs(struct export_bundle *b)
{
	for (size_t i = 0; i < ARRAY_SIZE(chardev_targets); i++) {
		struct qemu_group *g = qemu_config_find(&b->qemu, "chardev", chardev_targets[i].id);
		char path[PATH_MAX + 16];

		if (!g)
			continue;
		snprintf(path, sizeof(path), "%s/%s", b->dir, chardev_targets[i].file);
		if (qemu_group_set(g, "backend", chardev_targets[i].backend) < 0 ||
		    qemu_group_set(g, "path", path) < 0)
			return -ENOMEM;
		if (!strcmp(chardev_targets[i].backend, "socket") &&
		    (qemu_group_set(g, "server", "on") < 0 || qemu_group_set(g, "wait", "off") < 0))
			return -ENOMEM;
	}
	return 0;
}

bool export_group_is_plumbing(const struct qemu_group *g)
{
	const char *driver = qemu_group_get(g, "driver");

	if (!strcmp(g->group, "chardev") || !strcmp(g->group, "mon"))
		return true;
	return driver && (!strcmp(driver, "virtio-serial-pci") ||
			  !strcmp(driver, "virtserialport") || !strcmp(driver, "isa-serial"));
}

int export_bundle_prepare(struct export_bundle *b, const struct run_options *o, const char *dir)
{
	struct qemu_plan plan = { 0 };
	struct strv argv = { 0 };
	_cleanup_free_ char *config = NULL;
	size_t config_len = 0;
	char err[1024];
	FILE *mem;
	int r;

	*b = (struct export_bundle){ 0 };
	r = guest_resolve(&b->guest, o);
	if (r)
		return r;
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "guestcheck: %s: cannot create: %s\n", dir, strerror(errno));
		goto usage;
	}
	if (!realpath(dir, b->dir)) {
		fprintf(stderr, "guestcheck: %s: %s\n", dir, strerror(errno));
		goto usage;
	}
	snprintf(b->initrd, sizeof(b->initrd), "%s/initrd.img", b->dir);
	mem = open_memstream(&config, &config_len);
	if (!mem)
		goto infra;
	agent_config_write(&b->guest.scenario, mem);
	fclose(mem);
	if (initrd_write(b->guest.initramfs, config, b->initrd, err, sizeof(err)) < 0 ||
	    scenario_create_scratch_images(&b->guest.scenario, b->dir, true, err, sizeof(err)) < 0) {
		fprintf(stderr, "guestcheck: %s\n", err);
		goto infra;
	}
	plan = (struct qemu_plan){ .binary = b->guest.qemu, .kernel = b->guest.kernel,
				   .initrd = b->initrd, .rundir = b->dir,
				   /* The user's host decides: KVM where it works. */
				   .accel = o->accel == ACCEL_TCG ? "tcg" : "kvm:tcg" };
	if (qemu_argv_build(&b->guest.scenario, &plan, &argv) < 0 ||
	    qemu_config_from_argv(argv.v, &b->qemu) < 0 || retarget_chardevs(b) < 0) {
		strv_free(&argv);
		fprintf(stderr, "guestcheck: out of memory\n");
		goto infra;
	}
	strv_free(&argv);
	return 0;
usage:
	export_bundle_free(b);
	return 2;
infra:
	export_bundle_free(b);
	return 3;
}

void export_bundle_free(struct export_bundle *b)
{
	qemu_config_free(&b->qemu);
	guest_free(&b->guest);
}
