// SPDX-License-Identifier: GPL-2.0-or-later
/* The scenario as a QEMU -readconfig file. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "errmsg.h"

#include "export/export.h"
#include "export/export_text.h"

static int write_group(const struct qemu_group *g, FILE *out, char *err, size_t errsize)
{
	if (g->id[0])
		fprintf(out, "\n[%s \"%s\"]\n", g->group, g->id);
	else
		fprintf(out, "\n[%s]\n", g->group);
	for (size_t i = 0; i < g->nprops; i++) {
		int r = export_qemu_config_value_check(g, i, err, errsize);

		if (r < 0)
			return r;
		fprintf(out, "  %s = \"%s\"\n", g->props[i].key, g->props[i].value);
	}
	return 0;
}

int export_write_qemu_config(const struct export_bundle *b, FILE *out, char *err, size_t errsize)
{
	const struct qemu_config *q = &b->qemu;
	int r = 0;

	fprintf(out, "# guestcheck scenario %s as a QEMU config file. Boot it with:\n#   %s",
		b->guest.scenario.name, b->guest.qemu);
	for (size_t i = 0; i < q->flags.n; i++)
		fprintf(out, " %s", q->flags.v[i]);
	fprintf(out,
		" -readconfig THIS_FILE\n"
		"# The agent's KTAP goes to %s/ktap.log, the console to %s/console.log.\n",
		b->dir, b->dir);
	for (size_t i = 0; i < q->ngroups && r == 0; i++)
		r = write_group(&q->groups[i], out, err, errsize);
	return r ?: (ferror(out) ? -EIO : 0);
}
