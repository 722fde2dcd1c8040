// SPDX-License-Identifier: GPL-2.0-or-later
/* The device as the host's sysfs shows it, through libudev, live or from a captured tree. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include <libudev.h>

#include "cleanup.h"
#include "errmsg.h"

#include "sdhci/preflight.h"

static inline void udev_unrefp(struct udev **u)
{
	if (*u)
		udev_unref(*u);
}

static inline void udev_device_unrefp(struct udev_device **d)
{
	if (*d)
		udev_device_unref(*d);
}

/* The buses a passthrough device sits on, and the VFIO driver each needs. */
static const struct {
	const char *subsystem, *vfio;
} buses[] = {
	{ "platform", "vfio-platform" },
	{ "amba", "vfio-amba" },
	{ "pci", "vfio-pci" },
};

const char *preflight_vfio_driver(const char *subsystem)
{
	for (size_t i = 0; i < ARRAY_SIZE(buses); i++)
		if (!strcmp(buses[i].subsystem, subsystem))
			return buses[i].vfio;
	return NULL;
}

int preflight_enter_root(const char *root, char *err, size_t errsize)
{
	char sys[PATH_MAX], real[PATH_MAX];

	snprintf(sys, sizeof(sys), "%s/sys", root);
	if (!realpath(sys, real))
		return errmsg(err, errsize, -errno,
			      "%s: %s: --root names a captured tree holding sys/", sys,
			      strerror(errno));
	/* Root may make a mount namespace; anyone else makes a user namespace first. */
	if (unshare(CLONE_NEWNS) < 0 &&
	    (errno != EPERM || unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0))
		return errmsg(err, errsize, -errno,
			      "cannot make a mount namespace to replay %s: %s", root,
			      strerror(errno));
	/* Private first: the bind must never reach the host's own /sys. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount(real, "/sys", NULL, MS_BIND | MS_REC, NULL) < 0)
		return errmsg(err, errsize, -errno, "cannot bind %s onto /sys: %s", real,
			      strerror(errno));
	/* libudev checks that /sys is sysfs; systemd's documented switch for test trees. */
	setenv("SYSTEMD_DEVICE_VERIFY_SYSFS", "0", 1);
	return 0;
}

int preflight_read_line(const struct preflight_env *env, const char *path, char *buf, size_t size)
{
	char full[PATH_MAX];
	_cleanup_fclose_ FILE *f = NULL;

	snprintf(full, sizeof(full), "%s%s", env->root, path);
	buf[0] = '\0';
	f = fopen(full, "re");
	if (!f)
		return -errno;
	if (!fgets(buf, size, f))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* The last component of a link under the device's directory: "3" for iommu_group. */
static int link_leaf(const char *syspath, const char *name, char *buf, size_t size)
{
	char path[PATH_MAX], target[PATH_MAX];
	ssize_t n;
	const char *leaf;

	snprintf(path, sizeof(path), "%s/%s", syspath, name);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	leaf = strrchr(target, '/');
	snprintf(buf, size, "%s", leaf ? leaf + 1 : target);
	return 0;
}

/* The host DT node: /sys/.../of_node/ holds its properties as files. */
static void read_of_node(struct preflight_device *d)
{
	char path[PATH_MAX];
	unsigned char cells[12];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/of_node", d->syspath);
	d->has_of_node = access(path, F_OK) == 0;
	if (!d->has_of_node)
		return;
	snprintf(path, sizeof(path), "%s/of_node/compatible", d->syspath);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, d->compatible, sizeof(d->compatible) - 1);
		d->compatible[n > 0 ? n : 0] = '\0';
		close(fd);
	}
	snprintf(path, sizeof(path), "%s/of_node/dma-coherent", d->syspath);
	d->dma_coherent = access(path, F_OK) == 0;
	/* GIC specifier: <type number flags>, type 1 = PPI. */
	snprintf(path, sizeof(path), "%s/of_node/interrupts", d->syspath);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, cells, sizeof(cells));
		d->irq_ppi =
			n == 12 && cells[0] == 0 && cells[1] == 0 && cells[2] == 0 && cells[3] == 1;
		close(fd);
	}
}

int preflight_device_read(const struct preflight_env *env, const char *device,
			  struct preflight_device *out)
{
	_cleanup_(udev_unrefp) struct udev *u = udev_new();
	_cleanup_(udev_device_unrefp) struct udev_device *d = NULL;
	const char *v;
	char group[32];

	*out = (struct preflight_device){ .group = -1 };
	if (!u)
		return -ENOMEM;
	if (device[0] == '/')
		d = udev_device_new_from_syspath(u, device);
	for (size_t i = 0; !d && device[0] != '/' && i < ARRAY_SIZE(buses); i++)
		d = udev_device_new_from_subsystem_sysname(u, buses[i].subsystem, device);
	if (!d)
		return -ENODEV;
	snprintf(out->name, sizeof(out->name), "%s", udev_device_get_sysname(d));
	snprintf(out->subsystem, sizeof(out->subsystem), "%s", udev_device_get_subsystem(d) ?: "");
	snprintf(out->syspath, sizeof(out->syspath), "%s", udev_device_get_syspath(d));
	snprintf(out->driver, sizeof(out->driver), "%s", udev_device_get_driver(d) ?: "");
	v = udev_device_get_sysattr_value(d, "driver_override");
	if (v && strcmp(v, "(null)"))
		snprintf(out->override, sizeof(out->override), "%s", v);
	if (link_leaf(out->syspath, "iommu_group", group, sizeof(group)) == 0)
		out->group = atoi(group);
	read_of_node(out);
	return 0;
}
