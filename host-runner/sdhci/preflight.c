// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The preflight steps, in the order a host meets them when it binds the
 * device to VFIO: the host driver, an IOMMU group, DMA coherence (probe
 * error -22), a reset function ("No reset function found"), interrupt
 * remapping ("No interrupt remapping support"). One function per step,
 * listed in steps[].
 */
#include "sdhci/preflight.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"

/* Compatibles vfio-platform has a reset function for (drivers/vfio/platform/reset/). */
static const char *const reset_handlers[] = {
	"calxeda,hb-xgmac",
	"amd,xgbe-seattle-v1a",
	"brcm,iproc-flexrm-mbox",
};

typedef void (*step_fn)(const struct preflight_env *env, const struct preflight_device *d,
			struct preflight_result *r);

static void say(struct preflight_result *r, enum preflight_status st, const char *fmt, ...)
	__printf(3, 4);
static void say(struct preflight_result *r, enum preflight_status st, const char *fmt, ...)
{
	va_list ap;

	r->status = st;
	va_start(ap, fmt);
	vsnprintf(r->what, sizeof(r->what), fmt, ap);
	va_end(ap);
}

static void fix(struct preflight_result *r, const char *fmt, ...) __printf(2, 3);
static void fix(struct preflight_result *r, const char *fmt, ...)
{
	size_t len = strlen(r->fix);
	va_list ap;

	if (len && len + 1 < sizeof(r->fix))
		r->fix[len++] = '\n';
	va_start(ap, fmt);
	vsnprintf(r->fix + len, sizeof(r->fix) - len, fmt, ap);
	va_end(ap);
}

static bool sys_exists(const char *fmt, ...) __printf(1, 2);
static bool sys_exists(const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	return access(path, F_OK) == 0;
}

/* A module parameter: 1 yes, 0 no, -1 when the module is not loaded. */
static int module_param(const char *module, const char *param)
{
	char path[PATH_MAX], v[16] = "";
	_cleanup_fclose_ FILE *f = NULL;

	snprintf(path, sizeof(path), "/sys/module/%s/parameters/%s", module, param);
	f = fopen(path, "re");
	if (!f || !fgets(v, sizeof(v), f))
		return -1;
	return v[0] == 'Y' || v[0] == '1';
}

/* "module.param=value" on the host's kernel command line (either spelling of the module). */
static bool cmdline_has(const struct preflight_env *env, const char *setting)
{
	char cmdline[4096], alt[128];

	if (preflight_read_line(env, "/proc/cmdline", cmdline, sizeof(cmdline)) < 0)
		return false;
	snprintf(alt, sizeof(alt), "%s", setting);
	for (char *p = alt; *p && *p != '.'; p++)
		if (*p == '_')
			*p = '-';
	return strstr(cmdline, setting) || strstr(cmdline, alt);
}

static bool is_platform(const struct preflight_device *d)
{
	return strcmp(d->subsystem, "pci") != 0;
}

static void step_bus(const struct preflight_env *env, const struct preflight_device *d,
		     struct preflight_result *r)
{
	const char *vfio = preflight_vfio_driver(d->subsystem);

	if (!vfio)
		say(r, PREFLIGHT_FAIL,
		    "%s sits on the %s bus: VFIO passes platform, amba and PCI "
		    "devices only",
		    d->name, d->subsystem[0] ? d->subsystem : "unknown");
	else
		say(r, PREFLIGHT_OK, "%s bus: VFIO passes it with %s", d->subsystem, vfio);
}

static void step_vfio_loaded(const struct preflight_env *env, const struct preflight_device *d,
			     struct preflight_result *r)
{
	const char *vfio = preflight_vfio_driver(d->subsystem) ?: "vfio";

	if (sys_exists("/sys/bus/%s/drivers/%s", d->subsystem, vfio)) {
		say(r, PREFLIGHT_OK, "%s is loaded", vfio);
		return;
	}
	say(r, PREFLIGHT_FAIL, "%s is not loaded (no /sys/bus/%s/drivers/%s)", vfio, d->subsystem,
	    vfio);
	/* Load it the way the reset step needs, or it must be loaded twice. */
	if (is_platform(d))
		fix(r, "modprobe %s reset_required=0   # see the reset step", vfio);
	else
		fix(r, "modprobe %s", vfio);
}

static void step_driver(const struct preflight_env *env, const struct preflight_device *d,
			struct preflight_result *r)
{
	const char *vfio = preflight_vfio_driver(d->subsystem) ?: "vfio";

	if (!strcmp(d->driver, vfio)) {
		say(r, PREFLIGHT_OK, "bound to %s", vfio);
		return;
	}
	if (d->driver[0]) {
		say(r, PREFLIGHT_FAIL,
		    "bound to %s, not %s: the host's own driver holds the device", d->driver, vfio);
		fix(r, "echo %s > /sys/bus/%s/drivers/%s/unbind", d->name, d->subsystem, d->driver);
	} else if (!strcmp(d->override, vfio)) {
		say(r, PREFLIGHT_FAIL,
		    "driver_override says %s but nothing is bound: its probe failed (dmesg: 'No "
		    "reset function found', 'probe failed with error -22'): fix the steps below, "
		    "then probe again",
		    vfio);
	} else {
		say(r, PREFLIGHT_FAIL, "bound to no driver: %s must claim it", vfio);
	}
	if (strcmp(d->override, vfio))
		fix(r, "echo %s > /sys/bus/%s/devices/%s/driver_override", vfio, d->subsystem,
		    d->name);
	fix(r, "echo %s > /sys/bus/%s/drivers_probe", d->name, d->subsystem);
}

/* Every other device in the group must be VFIO's too (or a PCI bridge, or nobody's). */
static void group_members(const struct preflight_device *d, struct preflight_result *r,
			  const char *vfio, size_t *others)
{
	_cleanup_closedir_ DIR *dir = NULL;
	char path[PATH_MAX];
	struct dirent *de;

	snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%d/devices", d->group);
	dir = opendir(path);
	while (dir && (de = readdir(dir))) {
		char link[PATH_MAX], target[PATH_MAX];
		const char *drv;
		ssize_t n;

		if (de->d_name[0] == '.' || !strcmp(de->d_name, d->name))
			continue;
		(*others)++;
		snprintf(link, sizeof(link), "%s/%s/driver", path, de->d_name);
		n = readlink(link, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
		drv = strrchr(target, '/') ? strrchr(target, '/') + 1 : "";
		if (!drv[0] || !strcmp(drv, vfio) || !strcmp(drv, "pcieport"))
			continue;
		r->status = PREFLIGHT_FAIL;
		fix(r, "echo %s > /sys/bus/%s/drivers/%s/unbind   # shares group %d", de->d_name,
		    d->subsystem, drv, d->group);
	}
}

static void step_iommu_group(const struct preflight_env *env, const struct preflight_device *d,
			     struct preflight_result *r)
{
	const char *vfio = preflight_vfio_driver(d->subsystem) ?: "vfio";
	char node[PATH_MAX];
	size_t others = 0;

	if (d->group < 0) {
		say(r, PREFLIGHT_FAIL,
		    "no IOMMU group: the device's DMA does not go through an "
		    "IOMMU, and VFIO refuses a device it cannot isolate");
		if (is_platform(d)) {
			fix(r,
			    "add iommus = <&smmu STREAM-ID> to %s's node in the host device tree",
			    d->name);
			fix(r,
			    "build the host kernel with CONFIG_ARM_SMMU (or CONFIG_ARM_SMMU_V3)");
		} else {
			fix(r, "add intel_iommu=on (or amd_iommu=on) to the host's kernel command "
			       "line "
			       "and enable VT-d/AMD-Vi in the firmware");
		}
		return;
	}
	say(r, PREFLIGHT_OK, "IOMMU group %d", d->group);
	group_members(d, r, vfio, &others);
	if (r->status == PREFLIGHT_FAIL) {
		snprintf(r->what, sizeof(r->what),
			 "IOMMU group %d has %zu other device(s) held by host drivers: VFIO "
			 "passes a group whole",
			 d->group, others);
		return;
	}
	snprintf(node, sizeof(node), "%s/dev/vfio/%d", env->root, d->group);
	if (!strcmp(d->driver, vfio) && access(node, F_OK) < 0) {
		say(r, PREFLIGHT_FAIL,
		    "IOMMU group %d, but no /dev/vfio/%d: the group never "
		    "attached to VFIO",
		    d->group, d->group);
		fix(r, "dmesg | grep -i vfio   # then the interrupts step");
	}
}

static void step_reset(const struct preflight_env *env, const struct preflight_device *d,
		       struct preflight_result *r)
{
	int required = module_param("vfio_platform", "reset_required");
	bool handler = false;

	if (!is_platform(d)) {
		if (sys_exists("%s/reset", d->syspath))
			say(r, PREFLIGHT_OK, "the PCI function can be reset (FLR or bus reset)");
		else
			say(r, PREFLIGHT_NOTE,
			    "no reset method: state may leak from host to guest");
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(reset_handlers); i++)
		handler |= !strcmp(d->compatible, reset_handlers[i]);
	if (handler) {
		say(r, PREFLIGHT_OK, "vfio-platform has a reset function for %s", d->compatible);
		return;
	}
	if (required < 0)
		required = !cmdline_has(env, "vfio_platform.reset_required=0");
	if (!required) {
		say(r, PREFLIGHT_OK,
		    "reset_required=0: vfio-platform passes %s without a reset "
		    "(fine only if the host never used the device)",
		    d->compatible[0] ? d->compatible : d->name);
		return;
	}
	say(r, PREFLIGHT_FAIL,
	    "vfio-platform requires a reset function (reset_required=Y) and has none for '%s': "
	    "its probe fails with 'No reset function found for device %s'",
	    d->compatible[0] ? d->compatible : "(no compatible)", d->name);
	fix(r, "modprobe -r vfio-platform && modprobe vfio-platform reset_required=0");
	fix(r, "# or vfio_platform.reset_required=0 on the host's kernel command line");
}

/* Interrupt remapping an x86 IOMMU advertises: VT-d's ECAP.IR (bit 3), or AMD-Vi. */
static bool irq_remapping(void)
{
	_cleanup_closedir_ DIR *dir = opendir("/sys/class/iommu");
	struct dirent *de;

	while (dir && (de = readdir(dir))) {
		char path[PATH_MAX], v[32] = "";
		_cleanup_fclose_ FILE *f = NULL;

		if (!strncmp(de->d_name, "ivhd", 4))
			return true;
		snprintf(path, sizeof(path), "/sys/class/iommu/%s/intel-iommu/ecap", de->d_name);
		f = fopen(path, "re");
		if (f && fgets(v, sizeof(v), f) && (strtoull(v, NULL, 16) & (1ull << 3)))
			return true;
	}
	return false;
}

static void step_interrupts(const struct preflight_env *env, const struct preflight_device *d,
			    struct preflight_result *r)
{
	int unsafe = module_param("vfio_iommu_type1", "allow_unsafe_interrupts");

	if (d->irq_ppi) {
		say(r, PREFLIGHT_FAIL,
		    "its interrupt is a PPI (per-CPU): it cannot follow a vCPU "
		    "to other cores, so it cannot be passed through");
		fix(r, "pass a device with an SPI instead");
		return;
	}
	if (unsafe < 0)
		unsafe = cmdline_has(env, "vfio_iommu_type1.allow_unsafe_interrupts=1");
	if (unsafe == 1) {
		say(r, PREFLIGHT_OK, "vfio_iommu_type1.allow_unsafe_interrupts=1");
		return;
	}
	if (!is_platform(d) && irq_remapping()) {
		say(r, PREFLIGHT_OK, "the IOMMU remaps interrupts");
		return;
	}
	say(r, PREFLIGHT_FAIL,
	    "%s: VFIO refuses the group ('vfio_iommu_type1_attach_group: No interrupt remapping "
	    "support') unless allow_unsafe_interrupts is set",
	    is_platform(d) ? "a platform device's wired interrupt has no MSI isolation (GICv2 "
			     "has no remapping)"
			   : "the IOMMU does not remap interrupts");
	fix(r, "echo 1 > /sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts");
	fix(r, "# or vfio_iommu_type1.allow_unsafe_interrupts=1 on the host's kernel command line");
}

static void step_dma_coherent(const struct preflight_env *env, const struct preflight_device *d,
			      struct preflight_result *r)
{
	if (!is_platform(d)) {
		say(r, PREFLIGHT_OK, "PCI: coherence comes from the bus");
		return;
	}
	if (!d->has_of_node) {
		say(r, PREFLIGHT_NOTE, "no device-tree node (ACPI?): DMA coherence not checked");
		return;
	}
	if (d->dma_coherent) {
		say(r, PREFLIGHT_OK, "the host device tree says dma-coherent");
		return;
	}
	say(r, PREFLIGHT_FAIL,
	    "the host device-tree node has no dma-coherent: VFIO needs cache-coherent DMA "
	    "(IOMMU_CAP_CACHE_COHERENCY) and vfio-platform's probe fails with error -22; nobody "
	    "would do cache maintenance for the guest's DMA");
	fix(r, "add 'dma-coherent;' to %s's node in the host device tree (and the guest's)",
	    d->name);
}

static const struct {
	const char *name;
	step_fn fn;
} steps[] = {
	{ "bus", step_bus },
	{ "vfio-driver", step_vfio_loaded },
	{ "binding", step_driver },
	{ "iommu-group", step_iommu_group },
	{ "dma-coherent", step_dma_coherent },
	{ "reset", step_reset },
	{ "interrupts", step_interrupts },
};

static const char *const status_words[] = {
	[PREFLIGHT_OK] = "ok  ",
	[PREFLIGHT_FAIL] = "FAIL",
	[PREFLIGHT_NOTE] = "note",
};

static void print_fix(FILE *out, const char *fix)
{
	const char *line = fix;

	while (*line) {
		size_t n = strcspn(line, "\n");

		fprintf(out, "      fix: %.*s\n", (int)n, line);
		line += n + (line[n] == '\n');
	}
}

static void print_qemu(FILE *out, const struct preflight_device *d)
{
	const char *vfio = strcmp(d->subsystem, "pci") ? "vfio-platform" : "vfio-pci";

	fprintf(out, "QEMU arguments:\n  -device %s,host=%s\n", vfio, d->name);
	if (is_platform(d))
		fprintf(out,
			"  -dtb GUEST.dtb   # the guest's device tree must describe %s where QEMU "
			"maps it (compare with `info mtree`), with fixed clocks and regulators\n",
			d->name);
}

int preflight_run(const struct preflight_env *env, const char *device, FILE *out)
{
	struct preflight_device d;
	int failed = 0, r;

	r = preflight_device_read(env, device, &d);
	if (r < 0) {
		fprintf(out,
			"FAIL  %s: no such device on the platform, amba or pci bus: name it "
			"as in /sys/bus/platform/devices (ff170000.mmc) or /sys/bus/pci/devices "
			"(0000:03:00.0)\n",
			device);
		return r;
	}
	fprintf(out, "preflight %s (%s%s%s, %s)\n", d.name, d.subsystem,
		d.compatible[0] ? ", " : "", d.compatible, d.syspath);
	for (size_t i = 0; i < ARRAY_SIZE(steps); i++) {
		struct preflight_result res = { .status = PREFLIGHT_OK };

		steps[i].fn(env, &d, &res);
		fprintf(out, "%s  %s: %s\n", status_words[res.status], steps[i].name, res.what);
		if (res.status == PREFLIGHT_FAIL) {
			print_fix(out, res.fix);
			failed++;
		}
	}
	print_qemu(out, &d);
	if (failed)
		fprintf(out,
			"%d of %zu steps failed: fix them in this order, then run guestcheck "
			"preflight %s again\n",
			failed, ARRAY_SIZE(steps), d.name);
	else
		fprintf(out, "%s is ready to pass through\n", d.name);
	return failed;
}
