// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The scenario as Incus VM configuration: raw.qemu for what has no config
 * section (kernel, initrd, command line), raw.qemu.conf for the devices as
 * QEMU config-file sections, which Incus merges into its own.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "export.h"

/* Groups Incus provides itself: its machine, memory, CPUs, monitor. */
static bool incus_owns(const struct qemu_group *g)
{
	return !strcmp(g->group, "machine") || !strcmp(g->group, "memory") ||
	       !strcmp(g->group, "smp-opts") || !strcmp(g->group, "mon") ||
	       !strcmp(g->group, "cpu") || (!strcmp(g->group, "chardev") && !strcmp(g->id, "qmp"));
}

/* A YAML double-quoted scalar. */
static void yaml_quoted(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

int export_write_incus(const struct export_bundle *b, FILE *out, char *err, size_t errsize)
{
	const struct qemu_config *q = &b->qemu;
	struct qemu_group *machine = qemu_config_find((struct qemu_config *)q, "machine", "");
	char raw[8192];

	if (!machine) {
		snprintf(err, errsize, "no machine options: this is a bug");
		return -EINVAL;
	}
	snprintf(raw, sizeof(raw), "-kernel %s -initrd %s -append '%s'",
		 qemu_group_get(machine, "kernel"), qemu_group_get(machine, "initrd"),
		 qemu_group_get(machine, "append"));
	fprintf(out,
		"# guestcheck scenario %s for an Incus VM (security.secureboot=false):\n"
		"#   incus init --empty --vm NAME && incus config edit NAME < THIS_FILE\n"
		"# The files named here must be readable by Incus's QEMU: copy %s there.\n"
		"# The agent's KTAP goes to %s/ktap.log.\n"
		"# This scenario has no hot-plug steps, so no raw.qemu.scriptlet.\n"
		"config:\n  limits.memory: %lluMiB\n  limits.cpu: \"%u\"\n  raw.qemu: ",
		b->guest.scenario.name, b->dir, b->dir,
		(unsigned long long)(b->guest.scenario.memory >> 20), b->guest.scenario.cpus);
	yaml_quoted(out, raw);
	fputs("\n  raw.qemu.conf: |\n", out);
	for (size_t i = 0; i < q->ngroups; i++) {
		const struct qemu_group *g = &q->groups[i];

		if (incus_owns(g))
			continue;
		fprintf(out, "    [%s \"%s\"]\n", g->group, g->id);
		for (size_t j = 0; j < g->nprops; j++)
			fprintf(out, "    %s = \"%s\"\n", g->props[j].key, g->props[j].value);
	}
	return ferror(out) ? -EIO : 0;
}
