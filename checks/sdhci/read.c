// SPDX-License-Identifier: GPL-2.0-or-later
/* Register values: a live read, or the snapshot the agent took before drivers loaded. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "sdhci.h"

int sdhci_read_live(const struct sdhci_controller *c, struct sdhci_readout *out)
{
	uint16_t offs[SDHCI_DWORDS];
	uint32_t vals[SDHCI_DWORDS];
	size_t n = sdhci_dword_offsets(offs, SDHCI_DWORDS), got = 0;
	int r;

	*out = (struct sdhci_readout){ .source = SDHCI_SRC_LIVE };
	r = mmio_read_dwords(&c->window, offs, n, vals, &got, &out->fault);
	for (size_t i = 0; i < got; i++) {
		out->regs.dw[offs[i] / 4] = vals[i];
		out->regs.valid |= 1ull << (offs[i] / 4);
	}
	out->error = r;
	if (r < 0 && !got)
		out->source = SDHCI_SRC_NONE;
	return r;
}

static bool refused(int error)
{
	/* mmap's answers when a driver holds the region and the kernel is strict. */
	return error == -EPERM || error == -EINVAL || error == -EBUSY || error == -EACCES;
}

static void snapshot_path(const struct check_env *env, const struct sdhci_controller *c, char *buf,
			  size_t size)
{
	sysroot_path(env->root, buf, size, SDHCI_SNAPSHOT_DIR "/%llx", (unsigned long long)c->base);
}

void sdhci_read(const struct check_env *env, const struct sdhci_controller *c,
		struct sdhci_readout *out)
{
	struct sdhci_readout snap;
	char path[PATH_MAX];
	bool have_snap;
	int r;

	snapshot_path(env, c, path, sizeof(path));
	have_snap = sdhci_snapshot_read(path, &snap) == 0;
	r = sdhci_read_live(c, out);
	/* Open or mmap refused (strict devmem, or no such file): the snapshot stands in. */
	if (r < 0 && r != -EFAULT && r != -ETIMEDOUT && have_snap) {
		*out = snap;
		out->live_error = r;
	} else if (have_snap) {
		out->have_clock_test = snap.have_clock_test;
		out->clock_error = snap.clock_error;
		out->clock = snap.clock;
	}
}

static bool iomem_relaxed(const struct check_env *env)
{
	char cmdline[1024];

	return sysroot_read_line(env->root, cmdline, sizeof(cmdline), "/proc/cmdline") == 0 &&
	       strstr(cmdline, "iomem=relaxed");
}

const char *sdhci_source_words(const struct check_env *env, const struct sdhci_controller *c,
			       const struct sdhci_readout *r, char *buf, size_t size)
{
	switch (r->source) {
	case SDHCI_SRC_LIVE:
		if (c->driver[0])
			snprintf(buf, size, "read live while %s holds it (%s)", c->driver,
				 iomem_relaxed(env) ? "the guest booted with iomem=relaxed"
						    : "the kernel allowed the mapping");
		else
			snprintf(buf, size, "read live (no driver holds it)");
		break;
	case SDHCI_SRC_SNAPSHOT:
		if (refused(r->live_error))
			snprintf(buf, size,
				 "read by the agent before any SDHCI driver loaded (a live read is "
				 "refused while %s holds it: CONFIG_IO_STRICT_DEVMEM; boot with "
				 "iomem=relaxed for live values)",
				 c->driver[0] ? c->driver : "a driver");
		else
			snprintf(buf, size,
				 "read by the agent before any SDHCI driver loaded (a live read "
				 "failed: %s)",
				 strerror(-r->live_error));
		break;
	case SDHCI_SRC_NONE:
		snprintf(buf, size, "not read");
		break;
	}
	return buf;
}

const char *sdhci_read_error_words(const struct sdhci_controller *c, const struct sdhci_readout *r,
				   char *buf, size_t size)
{
	unsigned long long at = (unsigned long long)c->base + r->fault.offset;

	if (r->error == -EFAULT)
		snprintf(buf, size,
			 "%s reading register 0x%02x (physical 0x%llx): nothing answers at 0x%llx, "
			 "the MMIO is not mapped there: compare the address with QEMU's info mtree "
			 "(mtree.txt in the results) and the -device/-dtb that place it",
			 strsignal(r->fault.signal), r->fault.offset, at,
			 (unsigned long long)c->base);
	else if (r->error == -ETIMEDOUT)
		snprintf(buf, size,
			 "reading register 0x%02x (physical 0x%llx) hung for %d ms: the bus never "
			 "answered: compare the address with QEMU's info mtree",
			 r->fault.offset, at, MMIO_TIMEOUT_MS);
	else if (refused(r->error))
		snprintf(buf, size,
			 "%s: %s refused (%s) while %s holds the controller, and the agent has no "
			 "snapshot from before drivers loaded: boot with iomem=relaxed ([machine] "
			 "append), or run the agent as init",
			 c->window.path, r->fault.step, strerror(-r->error),
			 c->driver[0] ? c->driver : "a driver");
	else
		snprintf(buf, size, "%s: %s failed: %s", c->window.path, r->fault.step,
			 strerror(-r->error));
	return buf;
}

bool sdhci_unreadable_as_command(const struct check_env *env, const struct sdhci_controller *c,
				 const struct sdhci_readout *r, char *buf, size_t size)
{
	if (env->pid1 || r->source != SDHCI_SRC_NONE || !refused(r->error))
		return false;
	snprintf(buf, size,
		 "%s: %s holds it and the kernel refuses a live read (strict devmem); not the "
		 "guest's init, the agent read nothing before it: boot with iomem=relaxed",
		 c->name, c->driver[0] ? c->driver : "a driver");
	return true;
}

int sdhci_snapshot_write(const char *path, const struct sdhci_controller *c,
			 const struct sdhci_readout *r)
{
	_cleanup_fclose_ FILE *f = fopen(path, "we");

	if (!f)
		return -errno;
	fprintf(f, "# guestcheck-agent: %s read before any SDHCI driver loaded\n", c->name);
	fprintf(f, "error %d\nsignal %d\noffset %u\nstep %s\n", r->error, r->fault.signal,
		r->fault.offset, r->fault.step ? r->fault.step : "read");
	for (size_t i = 0; i < SDHCI_DWORDS; i++)
		if (r->regs.valid & (1ull << i))
			fprintf(f, "dw 0x%02zx 0x%08" PRIx32 "\n", i * 4, r->regs.dw[i]);
	if (r->have_clock_test)
		fprintf(f, "clock %d %d %u 0x%04x 0x%04x\n", r->clock_error, r->clock.stable,
			r->clock.waited_us, r->clock.before, r->clock.after);
	return ferror(f) ? -EIO : 0;
}

/* Steps named in a snapshot, back to the static strings a mmio_fault holds. */
static const char *const steps[] = { "open", "mmap", "read", "write" };

int sdhci_snapshot_read(const char *path, struct sdhci_readout *r)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	char line[160];

	if (!f)
		return -errno;
	*r = (struct sdhci_readout){ .source = SDHCI_SRC_SNAPSHOT, .fault.step = "read" };
	while (fgets(line, sizeof(line), f)) {
		unsigned int off, stable, waited, before, after, u;
		uint32_t v;
		int e;
		char word[16];

		if (sscanf(line, "dw 0x%x 0x%" SCNx32, &off, &v) == 2 && off < SDHCI_WINDOW &&
		    !(off & 3)) {
			r->regs.dw[off / 4] = v;
			r->regs.valid |= 1ull << (off / 4);
		} else if (sscanf(line, "error %d", &e) == 1) {
			r->error = e;
		} else if (sscanf(line, "signal %d", &e) == 1) {
			r->fault.signal = e;
		} else if (sscanf(line, "offset %u", &u) == 1) {
			r->fault.offset = u;
		} else if (sscanf(line, "step %15s", word) == 1) {
			for (size_t i = 0; i < ARRAY_SIZE(steps); i++)
				if (!strcmp(word, steps[i]))
					r->fault.step = steps[i];
		} else if (sscanf(line, "clock %d %u %u 0x%x 0x%x", &e, &stable, &waited, &before,
				  &after) == 5) {
			r->have_clock_test = true;
			r->clock_error = e;
			r->clock = (struct mmio_clock_test){ .before = before,
							     .after = after,
							     .stable = stable,
							     .waited_us = waited };
		}
	}
	if (!r->regs.valid && !r->error)
		r->source = SDHCI_SRC_NONE;
	return 0;
}
