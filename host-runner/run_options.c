// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "guest_image.h"
#include "run_options.h"
#include "run_result.h"
#include "units.h"

static const struct option long_options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "accel", required_argument, NULL, 'a' },
	{ "kvm-watchdog", required_argument, NULL, 'w' },
	{ "kernel", required_argument, NULL, 'k' },
	{ "initramfs", required_argument, NULL, 'i' },
	{ "keep-rundir", no_argument, NULL, 'K' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

static void usage(const char *cmd, FILE *out)
{
	fprintf(out,
		"Usage: guestcheck %s SCENARIO [options]\n"
		"\n"
		"  -o, --output DIR        results directory (default guestcheck-results/NAME)\n"
		"  -a, --accel MODE        auto (default), kvm or tcg; auto uses KVM only when a\n"
		"                          guest says hello under it within the watchdog\n"
		"  -w, --kvm-watchdog SEC  how long auto waits for a KVM guest's hello (15s)\n"
		"  -k, --kernel FILE       guest kernel (or $GUESTCHECK_KERNEL; default: newest\n"
		"                          /boot/vmlinuz-* with its /lib/modules)\n"
		"  -i, --initramfs FILE    base image (or $GUESTCHECK_INITRAMFS)\n"
		"  -K, --keep-rundir       keep the private run directory (sockets, initrd)\n"
		"  -q, --quiet             no progress lines\n"
		"  -h, --help              this help\n"
		"\n"
		"QEMU is $GUESTCHECK_QEMU, or qemu-system-x86_64.\n"
		"Exit status: 0 passed, 1 a test failed, 2 bad usage or scenario, 3 infrastructure.\n",
		cmd);
}

int run_options_parse(struct run_options *o, int argc, char **argv)
{
	uint64_t ms;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:a:w:k:i:Kqh", long_options, NULL)) != -1) {
		switch (c) {
		case 'o':
			snprintf(o->results_dir, sizeof(o->results_dir), "%s", optarg);
			break;
		case 'a':
			if (accel_parse(optarg, &o->accel) < 0) {
				fprintf(stderr, "guestcheck: --accel %s: use auto, kvm or tcg\n",
					optarg);
				return -VERDICT_USAGE;
			}
			break;
		case 'w':
			if (parse_duration_ms(optarg, &ms) < 0 || !ms) {
				fprintf(stderr, "guestcheck: --kvm-watchdog %s: not a duration: "
						"write e.g. 15 or 15s\n",
					optarg);
				return -VERDICT_USAGE;
			}
			o->kvm_watchdog_ms = ms;
			break;
		case 'k':
			o->kernel = optarg;
			break;
		case 'i':
			o->initramfs = optarg;
			break;
		case 'K':
			o->keep_rundir = true;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			usage(argv[0], stdout);
			return 0;
		default:
			fprintf(stderr, "guestcheck %s: unknown option: see 'guestcheck %s --help'\n",
				argv[0], argv[0]);
			return -VERDICT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "guestcheck %s: %s: see 'guestcheck %s --help'\n", argv[0],
			optind >= argc ? "name one scenario file" : "more than one scenario",
			argv[0]);
		return -VERDICT_USAGE;
	}
	o->scenario_path = argv[optind];
	return 1;
}

static int resolve(struct guest *g, const struct run_options *o, bool need_image)
{
	const char *kernel = o->kernel ?: getenv("GUESTCHECK_KERNEL");
	const char *initramfs = o->initramfs ?: getenv("GUESTCHECK_INITRAMFS");
	char err[1024];

	*g = (struct guest){ 0 };
	g->qemu = getenv("GUESTCHECK_QEMU") ?: "qemu-system-x86_64";
	if (scenario_load(&g->scenario, o->scenario_path, err, sizeof(err)) < 0) {
		fprintf(stderr, "guestcheck: %s\n", err);
		return VERDICT_USAGE;
	}
	if (!kernel && g->scenario.kernel[0])
		kernel = g->scenario.kernel;
	if (kernel) {
		if (access(kernel, R_OK) < 0) {
			fprintf(stderr, "guestcheck: kernel %s: %s: fix --kernel, "
					"GUESTCHECK_KERNEL or [machine] kernel\n",
				kernel, strerror(errno));
			goto usage;
		}
		snprintf(g->kernel, sizeof(g->kernel), "%s", kernel);
	} else if (kernel_default(g->kernel, sizeof(g->kernel), err, sizeof(err)) < 0) {
		fprintf(stderr, "guestcheck: %s\n", err);
		goto infra;
	}
	if (kernel_release(g->kernel, g->release, sizeof(g->release)) < 0) {
		fprintf(stderr, "guestcheck: %s: not an x86 bzImage (no version in its header): "
				"name a vmlinuz file\n",
			g->kernel);
		goto usage;
	}
	if (initramfs) {
		if (access(initramfs, R_OK) < 0) {
			fprintf(stderr, "guestcheck: initramfs %s: %s: fix --initramfs or "
					"GUESTCHECK_INITRAMFS, or unset it to build one\n",
				initramfs, strerror(errno));
			goto usage;
		}
		snprintf(g->initramfs, sizeof(g->initramfs), "%s", initramfs);
	} else if (!need_image) {
		snprintf(g->initramfs, sizeof(g->initramfs), "initramfs-%s.img", g->release);
	} else if (initramfs_for(g->release, g->kernel, g->initramfs, sizeof(g->initramfs), err,
				 sizeof(err)) < 0) {
		fprintf(stderr, "guestcheck: %s\n", err);
		goto infra;
	}
	return 0;
usage:
	scenario_free(&g->scenario);
	return VERDICT_USAGE;
infra:
	scenario_free(&g->scenario);
	return VERDICT_INFRA;
}

int guest_resolve(struct guest *g, const struct run_options *o)
{
	return resolve(g, o, true);
}

int guest_resolve_no_image(struct guest *g, const struct run_options *o)
{
	return resolve(g, o, false);
}

void guest_free(struct guest *g)
{
	scenario_free(&g->scenario);
}
