// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errmsg.h"

#include "devices/device_type.h"
#include "export/export.h"
#include "export/peer_steps.h"
#include "session/initrd.h"
#include "session/run_result.h"
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

/*
 * The exports are run elsewhere (on a LAVA worker, by libvirtd, from another
 * folder): a path relative to where `export` ran names another file there.
 * Made absolute, symlinks kept: the file the user named, not where a link
 * points today.
 */
static int make_absolute(char *path, size_t size, char *err, size_t errsize)
{
	char cwd[PATH_MAX];
	const char *rel = path;
	size_t clen, rlen;

	if (!path[0] || path[0] == '/')
		return 0;
	if (!getcwd(cwd, sizeof(cwd)))
		return errmsg(err, errsize, -EIO, "cannot read the current folder: %s",
			      strerror(errno));
	while (!strncmp(rel, "./", 2))
		rel += 2;
	clen = strlen(cwd);
	rlen = strlen(rel);
	if (clen + 1 + rlen >= size)
		return errmsg(err, errsize, -ENAMETOOLONG, "%s/%s: the path is too long", cwd, rel);
	memmove(path + clen + 1, rel, rlen + 1);
	memcpy(path, cwd, clen);
	path[clen] = '/';
	return 0;
}

static int absolute_paths(struct export_bundle *b, char *err, size_t errsize)
{
	struct scenario *s = &b->guest.scenario;
	int r = make_absolute(b->guest.kernel, sizeof(b->guest.kernel), err, errsize);

	if (!r)
		r = make_absolute(s->dtb, sizeof(s->dtb), err, errsize);
	for (size_t i = 0; !r && i < s->ndevices; i++)
		r = make_absolute(s->devices[i].image, sizeof(s->devices[i].image), err, errsize);
	return r;
}

int export_bundle_prepare(struct export_bundle *b, const struct run_options *o, const char *dir,
			  bool ktap_on_console, char *err, size_t errsize)
{
	struct qemu_plan plan = { 0 };
	struct strv argv = { 0 };
	_cleanup_free_ char *config = NULL;
	size_t config_len = 0;
	FILE *mem;
	int r;

	*b = (struct export_bundle){ 0 };
	err[0] = '\0';
	r = guest_resolve(&b->guest, o);
	if (r)
		return r == VERDICT_USAGE ? -EINVAL : -EIO;
	/* Every format boots the agent's initrd: a user's own image has its own VM. */
	if (b->guest.scenario.disk[0]) {
		r = errmsg(err, errsize, -EINVAL,
			   "%s: [machine] disk: an export boots guestcheck's kernel and initrd, "
			   "not your image, which has a VM of its own: run the checks in that VM "
			   "with guestcheck check --libvirt DOMAIN, --incus INSTANCE or --qga "
			   "SOCKET (README, \"Checks in a running VM\")",
			   b->guest.scenario.path);
		goto out;
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		r = errmsg(err, errsize, -EINVAL, "%s: cannot create: %s", dir, strerror(errno));
		goto out;
	}
	if (!realpath(dir, b->dir)) {
		r = errmsg(err, errsize, -EINVAL, "%s: %s", dir, strerror(errno));
		goto out;
	}
	snprintf(b->initrd, sizeof(b->initrd), "%s/initrd.img", b->dir);
	mem = open_memstream(&config, &config_len);
	if (!mem) {
		r = errmsg(err, errsize, -ENOMEM, "out of memory");
		goto out;
	}
	if (ktap_on_console) {
		/*
		 * [agent] port names the console's UART, as a machine without virtio
		 * names its second one; for agent.ini only: the QEMU options stay run's.
		 */
		const char *ktap_tty = b->guest.scenario.ktap_tty;
		char console[32];

		snprintf(console, sizeof(console), "%s", b->guest.scenario.console ?: "ttyS0");
		console[strcspn(console, ",")] = '\0';
		b->guest.scenario.ktap_tty = console;
		agent_config_write(&b->guest.scenario, mem);
		b->guest.scenario.ktap_tty = ktap_tty;
	} else {
		agent_config_write(&b->guest.scenario, mem);
	}
	/* No runner to start the usb-net peers: the ports are fixed here. */
	export_probe_config(&b->guest.scenario, mem);
	fclose(mem);
	r = initrd_write(b->guest.initramfs, config, b->initrd, err, errsize);
	if (!r)
		r = scenario_create_scratch_images(&b->guest.scenario, b->dir, true, err, errsize);
	if (!r)
		r = absolute_paths(b, err, errsize);
	if (r < 0) {
		/* Not the scenario's fault here: it was read already. */
		r = r == -EINVAL ? -EIO : r;
		goto out;
	}
	plan = (struct qemu_plan){ .binary = b->guest.qemu,
				   .kernel = b->guest.kernel,
				   .initrd = b->initrd,
				   .rundir = b->dir,
				   /* The user's host decides: KVM where it works. */
				   .accel = o->accel == ACCEL_TCG ? "tcg" : "kvm:tcg" };
	if (qemu_argv_build(&b->guest.scenario, &plan, &argv) < 0 ||
	    qemu_config_from_argv(argv.v, &b->qemu) < 0 || retarget_chardevs(b) < 0) {
		strv_free(&argv);
		r = errmsg(err, errsize, -ENOMEM, "out of memory");
		goto out;
	}
	strv_free(&argv);
	return 0;
out:
	export_bundle_free(b);
	return r;
}

void export_bundle_free(struct export_bundle *b)
{
	qemu_config_free(&b->qemu);
	guest_free(&b->guest);
}
