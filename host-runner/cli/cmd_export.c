// SPDX-License-Identifier: GPL-2.0-or-later
/* guestcheck export --libvirt|--incus|--qemu-config|--lava SCENARIO [-o DIR] */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/commands.h"
#include "export/export.h"
#include "export/export_text.h"
#include "session/run_result.h"

static const struct {
	const char *flag, *suffix, *how;
	bool ktap_on_console; /* LAVA reads the serial line */
	int (*write)(const struct export_bundle *b, FILE *out, char *err, size_t errsize);
} formats[] = {
	{ "--libvirt", "xml", "run the steps in <description> of %s (they start guestcheck-%s)",
	  false, export_write_libvirt },
	{ "--incus", "incus.yaml", "an Incus profile: see the first lines of %s   (scenario %s)",
	  false, export_write_incus },
	{ "--qemu-config", "cfg", "see the first lines of %s   (scenario %s)", false,
	  export_write_qemu_config },
	/* One flag, two jobs: the board's only for an aarch64 scenario. */
	{ "--lava", "lava.yaml",
	  "a LAVA job for the qemu device type: see the first lines of %s   "
	  "(scenario %s)",
	  true, export_write_lava },
	{ "--lava", "lava-uboot.yaml",
	  "a LAVA job for a zcu102 board (U-Boot, TFTP): see the "
	  "first lines of %s   (scenario %s)",
	  true, export_write_lava_uboot },
};

/* -o DIR, or guestcheck-export/NAME: 0, or the exit status. */
static int export_dir(const struct run_options *o, char *dir, size_t size)
{
	struct guest g;
	int r;

	snprintf(dir, size, "%s", o->results_dir);
	if (dir[0])
		return 0;
	if ((r = guest_resolve_no_image(&g, o)))
		return r;
	snprintf(dir, size, "guestcheck-export/%s", g.scenario.name);
	guest_free(&g);
	mkdir("guestcheck-export", 0755);
	return 0;
}

/*
 * The format's file in the bundle, its name and how to use it on stdout: the
 * exit status. Written beside and renamed into place: a value the format
 * cannot carry, or a full disk, leaves no partial file behind.
 */
static int write_config(const struct export_bundle *b, size_t format)
{
	char path[PATH_MAX + 64], tmp[PATH_MAX + 80], err[512];
	FILE *out;
	int r;

	snprintf(path, sizeof(path), "%s/%s.%s", b->dir, b->guest.scenario.name,
		 formats[format].suffix);
	snprintf(tmp, sizeof(tmp), "%s.partial", path);
	out = fopen(tmp, "we");
	if (!out) {
		fprintf(stderr,
			"guestcheck: %s: cannot write: %s: give -o a folder you can write\n", path,
			strerror(errno));
		return 3;
	}
	r = formats[format].write(b, out, err, sizeof(err));
	if (fclose(out) != 0 && r == 0)
		r = -errno;
	if (r == EXPORT_NOT_APPLICABLE) {
		unlink(tmp);
		return 0;
	}
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0) {
		unlink(tmp);
		/* One line, whatever the folder or the value holds. */
		fputs("guestcheck: ", stderr);
		export_text_put_visible(stderr, path);
		fputs(": ", stderr);
		export_text_put_visible(stderr, r == -EINVAL ? err : strerror(-r));
		fputc('\n', stderr);
		return r == -EINVAL ? 2 : 3;
	}
	printf("%s\n", path);
	printf(formats[format].how, path, b->guest.scenario.name);
	printf("\n");
	return 0;
}

int cmd_export(int argc, char **argv)
{
	struct run_options o = { .accel = ACCEL_AUTO };
	struct export_bundle b;
	char dir[PATH_MAX], err[PATH_MAX + 256];
	int format = -1, r;

	/* The format flag first; the rest are run's options. Its first entry. */
	for (size_t i = ARRAY_SIZE(formats); argc > 1 && i-- > 0;)
		if (!strcmp(argv[1], formats[i].flag))
			format = i;
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("Usage: guestcheck export --libvirt|--incus|--qemu-config|--lava SCENARIO "
		       "[-o DIR] [--accel tcg]\n\nWrites DIR (default guestcheck-export/NAME): "
		       "the configuration, the guest's initrd\nand scratch images. The options "
		       "of 'guestcheck run' that pick the kernel and image apply.\n");
		return 0;
	}
	if (format < 0) {
		fprintf(stderr, "guestcheck export: name a format first: --libvirt, --incus, "
				"--qemu-config or --lava\n");
		return 2;
	}
	argv[1] = argv[0];
	r = run_options_parse(&o, argc - 1, argv + 1, false);
	if (r <= 0)
		return -r;
	r = export_dir(&o, dir, sizeof(dir));
	if (r)
		return r;
	r = export_bundle_prepare(&b, &o, dir, formats[format].ktap_on_console, err, sizeof(err));
	if (r < 0) {
		if (err[0])
			fprintf(stderr, "guestcheck: %s\n", err);
		return r == -EINVAL ? VERDICT_USAGE : VERDICT_INFRA;
	}
	/* Every entry with the flag (--lava: two jobs); the first failure ends it. */
	r = 0;
	for (size_t i = format; r == 0 && i < ARRAY_SIZE(formats); i++)
		if (!strcmp(formats[i].flag, formats[format].flag))
			r = write_config(&b, i);
	export_bundle_free(&b);
	return r;
}
