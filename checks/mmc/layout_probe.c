// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The partition table and filesystems on a card, through libblkid. Every
 * probe reads through the guarded descriptor (mmc_open_guarded) at an
 * offset: partition nodes are never opened, so nothing reads the card
 * before its read-only flag is set.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <blkid.h>

#include "errmsg.h"
#include "mmc.h"

static void probe_freep(blkid_probe *pr)
{
	if (*pr)
		blkid_free_probe(*pr);
}

#define _cleanup_probe_ _cleanup_(probe_freep)

static void lookup(blkid_probe pr, const char *name, char *buf, size_t size)
{
	const char *v = NULL;

	buf[0] = '\0';
	if (blkid_probe_lookup_value(pr, name, &v, NULL) == 0 && v)
		snprintf(buf, size, "%s", v);
}

/* The filesystem in [offset, offset + size) of the card, if libblkid knows it. */
static void probe_fs(int fd, uint64_t offset, uint64_t size, char *type, size_t tsize, char *label,
		     size_t lsize, char *uuid, size_t usize)
{
	_cleanup_probe_ blkid_probe pr = blkid_new_probe();

	type[0] = label[0] = uuid[0] = '\0';
	if (!pr || blkid_probe_set_device(pr, fd, offset, size) < 0)
		return;
	blkid_probe_enable_partitions(pr, 0);
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE | BLKID_SUBLKS_LABEL |
						      BLKID_SUBLKS_UUID);
	if (blkid_do_safeprobe(pr) != 0)
		return;
	lookup(pr, "TYPE", type, tsize);
	lookup(pr, "LABEL", label, lsize);
	lookup(pr, "UUID", uuid, usize);
}

static void read_part(blkid_partition par, int fd, struct mmc_part *p)
{
	const char *s;

	*p = (struct mmc_part){ 0 };
	p->number = blkid_partition_get_partno(par);
	/* libblkid counts in 512-byte sectors whatever the device's block size. */
	p->start = (uint64_t)blkid_partition_get_start(par) * 512;
	p->size = (uint64_t)blkid_partition_get_size(par) * 512;
	if ((s = blkid_partition_get_type_string(par)))
		snprintf(p->type, sizeof(p->type), "%s", s);
	else
		snprintf(p->type, sizeof(p->type), "0x%x", blkid_partition_get_type(par));
	if ((s = blkid_partition_get_uuid(par)))
		snprintf(p->uuid, sizeof(p->uuid), "%s", s);
	if ((s = blkid_partition_get_name(par)))
		snprintf(p->name, sizeof(p->name), "%s", s);
	probe_fs(fd, p->start, p->size, p->fstype, sizeof(p->fstype), p->label, sizeof(p->label),
		 p->fsuuid, sizeof(p->fsuuid));
}

int mmc_layout_probe(int fd, uint64_t bytes, struct mmc_layout *l, char *err, size_t errsize)
{
	_cleanup_probe_ blkid_probe pr = blkid_new_probe();
	blkid_partlist parts;
	int r, n;

	*l = (struct mmc_layout){ 0 };
	if (!pr || blkid_probe_set_device(pr, fd, 0, bytes) < 0)
		return errmsg(err, errsize, -ENOMEM,
			      "libblkid: cannot set up a probe: out of memory?");
	blkid_probe_enable_partitions(pr, 1);
	blkid_probe_set_partitions_flags(pr, BLKID_PARTS_ENTRY_DETAILS);
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE | BLKID_SUBLKS_LABEL |
						      BLKID_SUBLKS_UUID);
	r = blkid_do_safeprobe(pr);
	if (r == -2)
		return errmsg(err, errsize, -EUCLEAN,
			      "libblkid: ambivalent result: more than one partition table "
			      "or filesystem signature on the whole device (wipefs -n shows "
			      "them)");
	if (r < 0)
		return errmsg(err, errsize, -EIO,
			      "libblkid: probing failed: the card could not be read");
	if (r == 1)
		return 0; /* nothing known on it: all zeros, or data without a signature */
	lookup(pr, "PTTYPE", l->pttype, sizeof(l->pttype));
	lookup(pr, "PTUUID", l->ptuuid, sizeof(l->ptuuid));
	lookup(pr, "TYPE", l->fstype, sizeof(l->fstype));
	lookup(pr, "LABEL", l->label, sizeof(l->label));
	lookup(pr, "UUID", l->fsuuid, sizeof(l->fsuuid));
	if (!l->pttype[0])
		return 0;
	parts = blkid_probe_get_partitions(pr);
	n = parts ? blkid_partlist_numof_partitions(parts) : 0;
	l->nparts = n > 0 ? n : 0;
	for (int i = 0; i < n && i < MMC_MAX_PARTS; i++)
		read_part(blkid_partlist_get_partition(parts, i), fd, &l->parts[i]);
	return 0;
}

void mmc_layout_format(const struct mmc_layout *l, char *buf, size_t size)
{
	size_t len;

	len = snprintf(buf, size, "pttype=%s ptuuid=%s fs=%s label=%s uuid=%s parts=%zu",
		       l->pttype[0] ? l->pttype : "none", l->ptuuid, l->fstype, l->label, l->fsuuid,
		       l->nparts);
	for (size_t i = 0; i < l->nparts && i < MMC_MAX_PARTS && len < size; i++) {
		const struct mmc_part *p = &l->parts[i];

		len += snprintf(buf + len, size - len,
				"; %u start=%llu size=%llu type=%s partuuid=%s name=%s fs=%s "
				"label=%s uuid=%s",
				p->number, (unsigned long long)p->start,
				(unsigned long long)p->size, p->type, p->uuid, p->name, p->fstype,
				p->label, p->fsuuid);
	}
}
