// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/run_options.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "errmsg.h"
#include "units.h"

#include "session/guest_image.h"
#include "session/run_result.h"

static const struct option long_options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "accel", required_argument, NULL, 'a' },
	{ "kvm-watchdog", required_argument, NULL, 'w' },
	{ "kernel", required_argument, NULL, 'k' },
	{ "qemu", required_argument, NULL, 'Q' },
	{ "initramfs", required_argument, NULL, 'i' },
	{ "keep-rundir", no_argument, NULL, 'K' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "shard", required_argument, NULL, 'S' },
	{ "retries", required_argument, NULL, 'R' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

static void usage(const char *cmd, FILE *out, bool many)
{
	if (many)
		fprintf(out,
			"Usage: guestcheck %s SCENARIO|DIR... [options]\n"
			"\n"
			"Several scenarios (a DIR means its *.ini), or several --kernel, make a "
			"run\n"
			"set: each job in its own folder of the results directory, in parallel,\n"
			"with one summary, a merged junit.xml and report.html.\n"
			"\n"
			"  -j, --jobs N            guests at once (default: the number of cores)\n"
			"  -S, --shard I/N         run only the I-th of N deterministic parts\n"
			"  -R, --retries N         re-run a failed job up to N times: a pass after "
			"a\n"
			"                          failure is reported as flaky, never hidden\n"
			"  -k, --kernel FILE       repeatable: the same scenarios on every kernel\n"
			"  -Q, --qemu FILE         repeatable: the same scenarios under every "
			"QEMU\n",
			cmd);
	else
		fprintf(out, "Usage: guestcheck %s SCENARIO [options]\n", cmd);
	fputs("\n"
	      "  -o, --output DIR        results directory (default guestcheck-results/NAME)\n"
	      "  -a, --accel MODE        auto (default), kvm or tcg; auto uses KVM only when a\n"
	      "                          guest's vCPUs run under it within about 2 s and it\n"
	      "                          says hello within the watchdog\n"
	      "  -w, --kvm-watchdog SEC  how long auto waits for a KVM guest's hello (15s)\n"
	      "  -k, --kernel FILE       guest kernel (or $GUESTCHECK_KERNEL; default: newest\n"
	      "                          /boot/vmlinuz-* with its /lib/modules)\n"
	      "  -i, --initramfs FILE    base image (or $GUESTCHECK_INITRAMFS)\n"
	      "  -Q, --qemu FILE         the QEMU (or $GUESTCHECK_QEMU); a FILE named\n"
	      "                          qemu-system-* names its folder's QEMU: an aarch64\n"
	      "                          scenario runs qemu-system-aarch64 from there\n"
	      "  -K, --keep-rundir       keep the private run directory (sockets, initrd)\n"
	      "  -q, --quiet             no progress lines\n"
	      "  -h, --help              this help\n"
	      "\n"
	      "QEMU is --qemu, $GUESTCHECK_QEMU, or the scenario's arch's on PATH:\n"
	      "qemu-system-x86_64, qemu-system-aarch64.\n"
	      "Exit status: 0 passed, 1 a test failed, 2 bad usage or scenario, 3 "
	      "infrastructure.\n",
	      out);
}

/* One more value of a repeatable option (--kernel, --qemu); -1 with the message. */
static int add_repeatable(const char **list, size_t *n, size_t max, const char *value,
			  const char *option, bool many, const char *command)
{
	if (*n && !many) {
		fprintf(stderr, "guestcheck %s: one %s only\n", command, option);
		return -1;
	}
	if (*n == max) {
		fprintf(stderr, "guestcheck: more than %zu %s\n", max, option);
		return -1;
	}
	list[(*n)++] = value;
	return 0;
}

/* -a, -w: the accelerator. 0, or -VERDICT_USAGE with the message. */
static int parse_accel_option(struct run_options *o, int c)
{
	uint64_t ms;

	switch (c) {
	case 'a':
		if (accel_parse(optarg, &o->accel) < 0) {
			fprintf(stderr, "guestcheck: --accel %s: use auto, kvm or tcg\n", optarg);
			return -VERDICT_USAGE;
		}
		break;
	case 'w':
		if (parse_duration_ms(optarg, &ms) < 0 || !ms) {
			fprintf(stderr,
				"guestcheck: --kvm-watchdog %s: not a duration: "
				"write e.g. 15 or 15s\n",
				optarg);
			return -VERDICT_USAGE;
		}
		o->kvm_watchdog_ms = ms;
		break;
	}
	return 0;
}

/* -j, -S, -R: a run set's options (many). 0, or -VERDICT_USAGE with the message. */
static int parse_set_option(struct run_options *o, int c, const char *cmd, bool many)
{
	uint64_t u;
	char tail;

	switch (c) {
	case 'j':
		if (!many || parse_u64(optarg, &u) < 0 || u < 1 || u > 64) {
			fprintf(stderr, "guestcheck %s: --jobs %s: use 1 to 64\n", cmd, optarg);
			return -VERDICT_USAGE;
		}
		o->jobs = u;
		break;
	case 'S':
		if (!many || sscanf(optarg, "%u/%u%c", &o->shard, &o->nshards, &tail) != 2 ||
		    o->shard < 1 || o->shard > o->nshards) {
			fprintf(stderr,
				"guestcheck %s: --shard %s: write I/N with 1 <= I <= N, "
				"e.g. 2/4\n",
				cmd, optarg);
			return -VERDICT_USAGE;
		}
		break;
	case 'R':
		if (!many || parse_u64(optarg, &u) < 0 || u > 10) {
			fprintf(stderr, "guestcheck %s: --retries %s: use 0 to 10\n", cmd, optarg);
			return -VERDICT_USAGE;
		}
		o->retries = u;
		break;
	}
	return 0;
}

/* The SCENARIO|DIR operands after the options: 1, or -VERDICT_USAGE with the message. */
static int take_scenarios(struct run_options *o, int argc, char **argv, bool many)
{
	if (optind >= argc || (!many && optind != argc - 1)) {
		fprintf(stderr, "guestcheck %s: %s: see 'guestcheck %s --help'\n", argv[0],
			optind >= argc ? "name a scenario file" : "one scenario only", argv[0]);
		return -VERDICT_USAGE;
	}
	if (argc - optind > RUN_MAX_ARGS) {
		fprintf(stderr, "guestcheck: more than %d scenarios\n", RUN_MAX_ARGS);
		return -VERDICT_USAGE;
	}
	o->scenario_path = argv[optind];
	for (int i = optind; i < argc; i++)
		o->scenarios[o->nscenarios++] = argv[i];
	return 1;
}

int run_options_parse(struct run_options *o, int argc, char **argv, bool many)
{
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:a:w:k:Q:i:Kqhj:S:R:", long_options, NULL)) != -1) {
		switch (c) {
		case 'o':
			snprintf(o->results_dir, sizeof(o->results_dir), "%s", optarg);
			break;
		case 'a':
		case 'w':
			if (parse_accel_option(o, c) < 0)
				return -VERDICT_USAGE;
			break;
		case 'k':
			if (add_repeatable(o->kernels, &o->nkernels, ARRAY_SIZE(o->kernels), optarg,
					   "--kernel", many, argv[0]) < 0)
				return -VERDICT_USAGE;
			o->kernel = o->kernels[0];
			break;
		case 'Q':
			if (add_repeatable(o->qemus, &o->nqemus, ARRAY_SIZE(o->qemus), optarg,
					   "--qemu", many, argv[0]) < 0)
				return -VERDICT_USAGE;
			o->qemu = o->qemus[0];
			break;
		case 'j':
		case 'S':
		case 'R':
			if (parse_set_option(o, c, argv[0], many) < 0)
				return -VERDICT_USAGE;
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
			usage(argv[0], stdout, many);
			return 0;
		default:
			fprintf(stderr,
				"guestcheck %s: unknown option: see 'guestcheck %s --help'\n",
				argv[0], argv[0]);
			return -VERDICT_USAGE;
		}
	}
	return take_scenarios(o, argc, argv, many);
}

/*
 * "initramfs-RELEASE.img" and the cache's "initramfs-RELEASE.agent-KEY.img"
 * name the kernel they were built for; other names are trusted.
 */
static bool image_fits_release(const char *image, const char *release)
{
	const char *base = strrchr(image, '/');
	size_t n = strlen(release);

	base = base ? base + 1 : image;
	if (strncmp(base, "initramfs-", 10) || !strstr(base, ".img"))
		return true;
	return !strncmp(base + 10, release, n) &&
	       (!strcmp(base + 10 + n, ".img") ||
		!strncmp(base + 10 + n, IMAGE_KEY_SEP, strlen(IMAGE_KEY_SEP)));
}

void guest_qemu_path(const char *named, const struct scenario *s, char *buf, size_t size)
{
	qemu_for_arch(named ?: s->qemu ?: "qemu-system-x86_64", s->qemu, buf, size);
}

int guest_kernel_fits(const char *kernel, const char *named_by, const struct scenario *s)
{
	const char *arch = kernel_arch(kernel);
	char fix[PATH_MAX + 128];

	if (!arch || !strcmp(arch, s->arch))
		return 0;
	if (!strcmp(named_by, "--kernel") && s->kernel[0])
		snprintf(fix, sizeof(fix),
			 "give an %s kernel, or leave --kernel out to boot the "
			 "scenario's own (%s)",
			 s->arch, s->kernel);
	else if (!strcmp(named_by, "[machine] kernel"))
		snprintf(fix, sizeof(fix), "point [machine] kernel at an %s kernel", s->arch);
	else
		snprintf(fix, sizeof(fix), "give an %s kernel with --kernel or [machine] kernel%s",
			 s->arch, strcmp(named_by, "GUESTCHECK_KERNEL") ? "" : " (or unset it)");
	fprintf(stderr, "guestcheck: %s: %s %s is an %s kernel, the scenario boots %s: %s\n",
		s->path, named_by, kernel, arch, s->arch, fix);
	return VERDICT_USAGE;
}

/* g->kernel and g->release: 0, VERDICT_USAGE or VERDICT_INFRA with the message. */
static int resolve_kernel(struct guest *g, const struct run_options *o)
{
	const char *kernel = o->kernel ?: getenv("GUESTCHECK_KERNEL"), *arch;
	const char *kernel_by = o->kernel ? "--kernel" : kernel ? "GUESTCHECK_KERNEL" : NULL;
	char err[1024];

	/*
	 * The environment's kernel is a default for a whole set: a scenario for
	 * another architecture boots its own kernel instead (--kernel never yields).
	 */
	if (!o->kernel && kernel && g->scenario.kernel[0] && (arch = kernel_arch(kernel)) &&
	    strcmp(arch, g->scenario.arch)) {
		fprintf(stderr,
			"guestcheck: %s: GUESTCHECK_KERNEL %s is an %s kernel: booting the "
			"scenario's own %s kernel %s\n",
			g->scenario.path, kernel, arch, g->scenario.arch, g->scenario.kernel);
		kernel = NULL;
	}
	if (!kernel && g->scenario.kernel[0]) {
		kernel = g->scenario.kernel;
		kernel_by = "[machine] kernel";
	}
	if (kernel) {
		if (access(kernel, R_OK) < 0) {
			fprintf(stderr,
				"guestcheck: kernel %s: %s: fix --kernel, "
				"GUESTCHECK_KERNEL or [machine] kernel\n",
				kernel, strerror(errno));
			return VERDICT_USAGE;
		}
		snprintf(g->kernel, sizeof(g->kernel), "%s", kernel);
	} else if (kernel_default(g->kernel, sizeof(g->kernel), err, sizeof(err)) < 0) {
		fprintf(stderr, "guestcheck: %s\n", err);
		return VERDICT_INFRA;
	}
	if (guest_kernel_fits(g->kernel, kernel_by ?: "the default kernel", &g->scenario))
		return VERDICT_USAGE;
	if (kernel_release(g->kernel, g->release, sizeof(g->release)) < 0) {
		fprintf(stderr,
			"guestcheck: %s: not an x86 bzImage (no version in its header): "
			"name a vmlinuz file\n",
			g->kernel);
		return VERDICT_USAGE;
	}
	return 0;
}

/* g->initramfs for g->release: 0, VERDICT_USAGE or VERDICT_INFRA with the message. */
static int resolve_initramfs(struct guest *g, const struct run_options *o, bool need_image)
{
	const char *initramfs = o->initramfs ?: getenv("GUESTCHECK_INITRAMFS");
	char err[1024];
	int r;

	if (initramfs && !image_fits_release(initramfs, g->release)) {
		/* A kernel matrix shares one environment: each kernel needs its own image. */
		fprintf(stderr,
			"guestcheck: %s is for another kernel than %s: using the image for "
			"%s instead\n",
			initramfs, g->release, g->release);
		initramfs = NULL;
	}
	if (initramfs) {
		if (access(initramfs, R_OK) < 0) {
			fprintf(stderr,
				"guestcheck: initramfs %s: %s: fix --initramfs or "
				"GUESTCHECK_INITRAMFS, or unset it to build one\n",
				initramfs, strerror(errno));
			return VERDICT_USAGE;
		}
		snprintf(g->initramfs, sizeof(g->initramfs), "%s", initramfs);
	} else if (!need_image) {
		snprintf(g->initramfs, sizeof(g->initramfs), "initramfs-%s.img", g->release);
	} else if ((r = initramfs_for(g->release, g->kernel, g->initramfs, sizeof(g->initramfs),
				      err, sizeof(err))) < 0) {
		fprintf(stderr, "guestcheck: %s\n", err);
		/* A kernel named without its modules is bad input; a failed build is not. */
		return r == -ENOTDIR ? VERDICT_USAGE : VERDICT_INFRA;
	}
	return 0;
}

static int resolve(struct guest *g, const struct run_options *o, bool need_image)
{
	const char *qemu = o->qemu ?: getenv("GUESTCHECK_QEMU");
	char err[1024];
	int r;

	*g = (struct guest){ 0 };
	if (scenario_load(&g->scenario, o->scenario_path, err, sizeof(err)) < 0) {
		fprintf(stderr, "guestcheck: %s\n", err);
		return VERDICT_USAGE;
	}
	/* A QEMU named for x86_64 brings its aarch64 sibling: see qemu_for_arch(). */
	g->qemu_named_by = o->qemu ? "--qemu" : qemu ? "GUESTCHECK_QEMU" : NULL;
	g->qemu_named = qemu;
	guest_qemu_path(qemu, &g->scenario, g->qemu, sizeof(g->qemu));
	/* [machine] disk: the user's image boots its own kernel; no agent image either. */
	if (g->scenario.disk[0])
		return 0;
	r = resolve_kernel(g, o);
	if (!r)
		r = resolve_initramfs(g, o, need_image);
	if (r)
		scenario_free(&g->scenario);
	return r;
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

int guest_probe_qemu(struct guest *g, struct qemu_cache *cache, char *err, size_t errsize)
{
	char why[PATH_MAX + 256];
	int error = 0;

	g->qemu_info = qemu_cache_get(cache, g->qemu, &error, why, sizeof(why));
	if (g->qemu_info)
		return qemu_check_scenario(g->qemu_info, &g->scenario, err, errsize) < 0
			       ? VERDICT_INFRA
			       : 0;
	/* The default QEMU is not installed: the message names the package. */
	if (!g->qemu_named_by)
		return errmsg(err, errsize, VERDICT_INFRA, "%s", why);
	if (error != -EIO && strcmp(g->qemu, g->qemu_named))
		return errmsg(err, errsize, VERDICT_INFRA,
			      "%s is an %s scenario: it runs %s, the sibling of %s %s, and "
			      "that is missing (%s): install %s there too, or name an %s "
			      "QEMU with --qemu",
			      g->scenario.name, g->scenario.arch, g->qemu, g->qemu_named_by,
			      g->qemu_named, strerror(-error), qemu_package(g->qemu),
			      g->scenario.arch);
	if (error == -EIO)
		return errmsg(err, errsize, VERDICT_USAGE, "%s", why);
	if (!strcmp(g->qemu_named_by, "--qemu"))
		return errmsg(err, errsize, VERDICT_USAGE,
			      "--qemu %s: %s: name a QEMU binary, e.g. --qemu "
			      "/usr/bin/qemu-system-x86_64",
			      g->qemu_named, strerror(-error));
	return errmsg(err, errsize, VERDICT_USAGE,
		      "GUESTCHECK_QEMU=%s: %s: fix it, or unset it for %s from PATH", g->qemu_named,
		      strerror(-error), g->scenario.qemu ?: "qemu-system-x86_64");
}
