// SPDX-License-Identifier: GPL-2.0-or-later
#include "sdhci/qemu_mtree.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cleanup.h"
#include "errmsg.h"

#include "devices/device_type.h"
#include "vm/qmp.h"

#define MTREE_TIMEOUT_MS 5000

bool mtree_wanted(const struct scenario *s)
{
	for (size_t i = 0; i < s->ndevices; i++)
		if (s->devices[i].type == &sd_card_device)
			return true;
	return false;
}

int mtree_write(struct qmp *qmp, const struct mtree_target *t, char *err, size_t errsize)
{
	_cleanup_free_ char *map = NULL;
	char path[PATH_MAX];
	FILE *f;
	int r;

	snprintf(path, sizeof(path), "%s/%smtree.txt", t->results_dir, t->prefix);
	f = fopen(path, "we");
	if (!f)
		return errmsg(err, errsize, -errno, "%s: cannot write: %s", path, strerror(errno));
	if (!qmp) {
		fprintf(f, "# QEMU's QMP did not answer: no memory map\n");
	} else {
		if (qmp_hmp(qmp, "info mtree -f", MTREE_TIMEOUT_MS, &map) < 0)
			fprintf(f, "# info mtree -f failed: %s\n", qmp_error(qmp));
		else
			/* QEMU's own text: its device and region names are not the guest's to set.
			 */
			fputs(map, f);
	}
	/* A full disk shows at the flush: the map would be silently short. */
	r = ferror(f) ? -EIO : 0;
	if (fclose(f) < 0 && !r)
		r = -errno;
	if (r < 0)
		return errmsg(err, errsize, r, "%s: cannot write: %s", path, strerror(-r));
	return 0;
}
