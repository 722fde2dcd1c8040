// SPDX-License-Identifier: GPL-2.0-or-later
/* guestcheck preflight DEVICE: is this host ready to pass DEVICE through with VFIO? */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "sdhci/preflight.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: guestcheck preflight DEVICE [--root DIR]\n\n"
		"Checks, step by step, that the host can pass DEVICE to a guest with VFIO: the\n"
		"vfio driver is loaded and bound (not the host's own, e.g. sdhci-arasan), the\n"
		"device has an IOMMU group, its host device-tree node says dma-coherent,\n"
		"vfio-platform's reset requirement and vfio_iommu_type1's interrupt remapping\n"
		"are met; prints the command that fixes each missing step, then the QEMU\n"
		"arguments.\n\n"
		"  DEVICE           as in /sys/bus/platform/devices (ff170000.mmc) or\n"
		"                   /sys/bus/pci/devices (0000:03:00.0), or a /sys path\n"
		"  -r, --root DIR   read a captured host instead: DIR/sys, DIR/proc/cmdline,\n"
		"                   DIR/dev/vfio (tests/sysroots/preflight-*)\n"
		"  -h, --help       this text\n\n"
		"Exit status: 0 ready, 1 a step failed (or no such device), 2 bad usage.\n");
}

int cmd_preflight(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct preflight_env env = { .root = "" };
	char err[512];
	int c, r;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "r:h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			snprintf(env.root, sizeof(env.root), "%s", optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr,
				"guestcheck preflight: bad option '%s': see 'guestcheck "
				"preflight --help'\n",
				argv[optind - 1]);
			return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "guestcheck preflight: name one DEVICE: see 'guestcheck preflight "
				"--help'\n");
		return 2;
	}
	if (env.root[0] && preflight_enter_root(env.root, err, sizeof(err)) < 0) {
		fprintf(stderr, "guestcheck preflight: %s\n", err);
		return 2;
	}
	r = preflight_run(&env, argv[optind], stdout);
	return r == 0 ? 0 : 1;
}
