// SPDX-License-Identifier: GPL-2.0-or-later
#include "kmsg.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"

/*
 * Messages of drivers/mmc/host/sdhci.c, sdhci-of-arasan.c and the MMC core
 * (Linux 6.1) that mean a controller's registers, supplies, clocks or
 * interrupt did not reach the guest.
 */
static const struct kmsg_cause known[] = {
	{ "Hardware doesn't report any support voltages",
	  "the capabilities register reports no 3.3V/3.0V/1.8V and the device tree gives the "
	  "controller no vmmc/vqmmc regulator",
	  "add a regulator-fixed node (3.3 V, regulator-always-on) and vmmc-supply = <&it> (and "
	  "vqmmc-supply) to the controller's DT node; for QEMU's sdhci, a capareg with voltage "
	  "bits 24-26" },
	{ "Internal clock never stabilised",
	  "the clock control register never reported 'internal clock stable': every register "
	  "reads 0 when the MMIO is not mapped where the DT says, or the controller has no input "
	  "clock",
	  "compare the DT reg with QEMU's info mtree (mtree.txt in the results); give the node "
	  "fixed clocks (clocks/clock-names)" },
	{ "PLL clock never stabilised", "the controller's PLL never locked",
	  "check the clocks the DT gives the controller" },
	{ "Timeout waiting for hardware cmd interrupt",
	  "a command was sent and its interrupt never arrived",
	  "check the node's interrupts against the host's (SPI number, level-high); with VFIO, "
	  "that the IRQ is forwarded (vfio_iommu_type1.allow_unsafe_interrupts=1 on a GICv2 "
	  "host)" },
	{ "Timeout waiting for hardware interrupt",
	  "a request was sent and its interrupt never arrived",
	  "check the node's interrupts against the host's (SPI number, level-high); with VFIO, "
	  "that the IRQ is forwarded (vfio_iommu_type1.allow_unsafe_interrupts=1 on a GICv2 "
	  "host)" },
	{ "Hardware doesn't specify base clock frequency",
	  "the capabilities' base clock is 0 and the driver has no clock to ask",
	  "give the node a fixed clock (clocks = <&clk_xin>, clock-frequency of the real one)" },
	{ "Hardware doesn't specify timeout clock frequency",
	  "the capabilities' timeout clock is 0 and the driver has no clock to ask",
	  "give the node a fixed clock, or a capareg with a timeout clock" },
	{ "never completed",
	  "a software reset never completed: the registers do not answer (MMIO not mapped) or the "
	  "controller is held in reset",
	  "compare the DT reg with QEMU's info mtree; release the controller's reset on the host" },
	{ "Unknown controller version",
	  "the version register's spec field is beyond what the kernel knows (all ones when "
	  "nothing answers)",
	  "check the address: a real controller reports spec 1.00 to 4.20" },
	{ "Controller never released inhibit bit",
	  "the command/data inhibit bits stay set: the controller is not clocked or not answering",
	  "check the clocks and the address" },
	{ "clk_ahb clock not found",
	  "sdhci-of-arasan needs a clock named clk_ahb and the node has none",
	  "add fixed clocks: clocks = <&clk_ahb>, <&clk_xin>; clock-names = \"clk_ahb\", "
	  "\"clk_xin\"" },
	{ "clk_xin clock not found",
	  "sdhci-of-arasan needs a clock named clk_xin and the node has none",
	  "add fixed clocks: clocks = <&clk_ahb>, <&clk_xin>; clock-names = \"clk_ahb\", "
	  "\"clk_xin\"" },
	{ "Failed to enable vqmmc regulator", "the vqmmc regulator could not be enabled",
	  "use a regulator-fixed with regulator-always-on for vqmmc-supply" },
	{ "error -110 whilst initialising",
	  "the card never answered a command (-ETIMEDOUT): its clock or the interrupt does not "
	  "reach the controller",
	  "see sdhci.interrupts and sdhci.clock" },
	{ "Failed to request IRQ", "the controller's interrupt could not be requested",
	  "check the node's interrupts and interrupt-parent" },
	{ "ADMA error", "a DMA transfer failed: the controller cannot reach guest memory",
	  "with VFIO: dma-coherent and an IOMMU mapping for the device on the host" },
	{ "SDHCI REGISTER DUMP",
	  "the driver dumped the registers after an error (the lines above say which)",
	  "compare the dump with sdhci.registers" },
};

const struct kmsg_cause *kmsg_known(const char *line)
{
	for (size_t i = 0; i < ARRAY_SIZE(known); i++)
		if (strstr(line, known[i].match))
			return &known[i];
	return NULL;
}

const char *kmsg_text(const char *record)
{
	const char *semi = strchr(record, ';');

	/* A /dev/kmsg record starts "prio,seq,usec,flags;"; a plain dmesg line has none. */
	if (semi && strspn(record, "0123456789,-c+") == (size_t)(semi - record))
		return semi + 1;
	return record;
}

int kmsg_read(const struct sysroot *root, char *buf, size_t size)
{
	_cleanup_close_ int fd = -1;
	char path[PATH_MAX], rec[8192];
	size_t len = 0;

	if (size < 2)
		return -EINVAL;
	if (sysroot_path(root, path, sizeof(path), "/dev/kmsg") < 0)
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/*
	 * /dev/kmsg gives one record per read, -EAGAIN at the end, -EPIPE when
	 * one was overwritten; a captured log is a plain file read in chunks.
	 */
	for (;;) {
		ssize_t n = read(fd, rec, sizeof(rec));
		const char *src = rec;

		if (n < 0 && errno == EPIPE)
			continue;
		if (n <= 0)
			break;
		if ((size_t)n > size - 1) {
			src += n - (size - 1);
			n = size - 1;
		}
		if (len + n > size - 1) {
			/* Keep the newest messages: drop whole lines from the front. */
			size_t need = len + n - (size - 1);
			char *nl = need < len ? memchr(buf + need, '\n', len - need) : NULL;
			size_t drop = nl ? (size_t)(nl - buf) + 1 : len;

			memmove(buf, buf + drop, len - drop);
			len -= drop;
		}
		memcpy(buf + len, src, n);
		len += n;
	}
	buf[len] = '\0';
	return (int)len;
}

int irq_read(const struct sysroot *root, char *buf, size_t size)
{
	char path[PATH_MAX];
	_cleanup_close_ int fd = -1;
	size_t len = 0;
	ssize_t n;

	if (sysroot_path(root, path, sizeof(path), "/proc/interrupts") < 0)
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (len + 1 < size && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	buf[len] = '\0';
	return (int)len;
}

int irq_find(const char *text, const char *name, int irq, struct irq_line *out)
{
	const char *line = text, *nl;
	int ncpu = 0;

	/* The header names one column per CPU. */
	nl = strchr(line, '\n');
	for (const char *p = line; p && p < (nl ? nl : p + strlen(p)); p++)
		if (!strncmp(p, "CPU", 3))
			ncpu++, p += 2;
	for (line = nl ? nl + 1 : NULL; line && *line; line = nl ? nl + 1 : NULL) {
		char copy[512], *save, *tok;
		struct irq_line l = { 0 };
		bool hit = false;
		int col = 0;

		nl = strchr(line, '\n');
		snprintf(copy, sizeof(copy), "%.*s", nl ? (int)(nl - line) : (int)strlen(line),
			 line);
		tok = strtok_r(copy, " \t", &save);
		if (!tok || !strchr(tok, ':'))
			continue;
		snprintf(l.irq, sizeof(l.irq), "%.*s", (int)strcspn(tok, ":"), tok);
		if (irq >= 0 && atoi(l.irq) == irq && l.irq[0] >= '0' && l.irq[0] <= '9')
			hit = true;
		while ((tok = strtok_r(NULL, " \t", &save))) {
			size_t tl = strlen(tok);

			if (col < ncpu) {
				l.count += strtoull(tok, NULL, 10);
				col++;
				continue;
			}
			if (!l.chip[0]) {
				snprintf(l.chip, sizeof(l.chip), "%s", tok);
				continue;
			}
			if (!l.hwirq[0]) {
				snprintf(l.hwirq, sizeof(l.hwirq), "%s", tok);
				continue;
			}
			if (tok[tl - 1] == ',')
				tok[--tl] = '\0';
			if (name && name[0] && !strcmp(tok, name)) {
				hit = true;
				snprintf(l.names, sizeof(l.names), "%s", tok);
			}
		}
		if (hit) {
			if (!l.names[0] && name)
				snprintf(l.names, sizeof(l.names), "%s", name);
			*out = l;
			return 0;
		}
	}
	return -ENOENT;
}
