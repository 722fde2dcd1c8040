// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A scenario file (scenario/scenario.h: inih, then the loader's checks),
 * then, for one that loads, what the runner makes of it: QEMU's argv and
 * the agent's configuration.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"
#include "strv.h"

#include "scenario/scenario.h"
#include "vm/qemu_argv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scenario *s = calloc(1, sizeof(*s));
	char *text = fuzz_text(data, size), err[512];
	struct qemu_plan plan = { .binary = "qemu-system-x86_64",
				  .kernel = "/boot/vmlinuz",
				  .initrd = "/run/gc/initrd.img",
				  .accel = "tcg",
				  .rundir = "/run/gc" };

	if (!s)
		abort();
	if (scenario_load_string(s, text, "/scenarios", err, sizeof(err)) == 0) {
		struct strv argv = { 0 };
		FILE *out = fopen("/dev/null", "we");

		qemu_argv_build(s, &plan, &argv);
		strv_free(&argv);
		if (out) {
			agent_config_write(s, out);
			fclose(out);
		}
	}
	scenario_free(s);
	free(s);
	free(text);
	return 0;
}
