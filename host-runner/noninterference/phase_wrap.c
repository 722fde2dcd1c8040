// SPDX-License-Identifier: GPL-2.0-or-later
#include "noninterference/phase_wrap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "cleanup.h"
#include "errmsg.h"

#include "session/initrd.h"

#define BUSYBOX_MAX (16u << 20)

/*
 * %s: the installer's init. Samples every 0.2 s (read -t on a FIFO that
 * never has data: a builtin, no fork), prints when the counters change and
 * every 2 s, and once more on SIGTERM (an init's shutdown kill).
 */
static const char wrapper_script[] =
	"#!/guestcheck/busybox sh\n"
	"# guestcheck: the installer's init, wrapped with a write monitor.\n"
	"B=/guestcheck/busybox R=/guestcheck/root INIT='%s'\n"
	"$B mkdir -p $R/proc $R/sys $R/dev\n"
	"$B mount -t proc proc $R/proc\n"
	"$B mount -t sysfs sysfs $R/sys\n"
	"$B mount -t devtmpfs devtmpfs $R/dev\n"
	"$B mkfifo /guestcheck/tick\n"
	"# A shell opens /dev/null for a background job: an initrd may not have one yet.\n"
	"[ -e /dev/null ] || { $B mkdir -p /dev; $B mknod -m 666 /dev/null c 1 3; }\n"
	"(\n"
	"\texec 8<>/guestcheck/tick 9>$R/dev/console\n"
	"\tlast= n=0\n"
	"\tsample() {\n"
	"\t\tread -r up idle <$R/proc/uptime\n"
	"\t\tall=\n"
	"\t\tfor s in $R/sys/block/mmcblk*/stat; do\n"
	"\t\t\t[ -r \"$s\" ] || continue\n"
	"\t\t\td=${s%%/stat}; d=${d##*/}\n"
	"\t\t\tread -r v <\"$s\"\n"
	"\t\t\tall=\"$all$d $v;\"\n"
	"\t\tdone\n"
	"\t\tif [ \"$all\" != \"$last\" ] || [ $((n %% 10)) -eq 0 ]; then\n"
	"\t\t\techo \"" PHASE_MONITOR_PREFIX "$up ${all:-none}\" >&9\n"
	"\t\t\tlast=$all\n"
	"\t\tfi\n"
	"\t\tn=$((n + 1))\n"
	"\t}\n"
	"\ttrap 'n=0; sample; exit 0' TERM INT\n"
	"\twhile :; do sample; read -t 0.2 x <&8; done\n"
	") &\n"
	"if [ ! -x \"$INIT\" ]; then\n"
	"\techo \"" PHASE_MONITOR_PREFIX "error $INIT is not in the installer's initrd\" "
	">$R/dev/console\n"
	"\t$B sleep 1\n"
	"\t$B poweroff -f\n"
	"fi\n"
	"exec \"$INIT\" \"$@\"\n";

void phase_wrap_real_init(const char *append, char *buf, size_t size)
{
	const char *p = append, *found = NULL;

	/* The kernel takes the last rdinit=. */
	while ((p = strstr(p, "rdinit="))) {
		if (p == append || p[-1] == ' ')
			found = p + 7;
		p += 7;
	}
	if (!found) {
		snprintf(buf, size, "/init");
		return;
	}
	snprintf(buf, size, "%.*s", (int)strcspn(found, " "), found);
}

/* bin/busybox out of the base initramfs (an xz-compressed newc archive). */
static int read_busybox(const char *base, char **data, size_t *len, char *err, size_t errsize)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	int r = -ENOENT;

	*data = NULL;
	if (!a)
		return -ENOMEM;
	archive_read_support_filter_all(a);
	archive_read_support_format_cpio(a);
	if (archive_read_open_filename(a, base, 65536) != ARCHIVE_OK) {
		errmsg(err, errsize, -EIO, "%s: cannot read the base initramfs: %s", base,
		       archive_error_string(a));
		archive_read_free(a);
		return -EIO;
	}
	while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);
		la_int64_t size = archive_entry_size(e);

		if (strcmp(name, "bin/busybox") && strcmp(name, "./bin/busybox"))
			continue;
		if (size <= 0 || size > BUSYBOX_MAX || !(*data = malloc(size))) {
			r = -EFBIG;
			break;
		}
		*len = size;
		r = archive_read_data(a, *data, size) == size ? 0 : -EIO;
		break;
	}
	archive_read_free(a);
	if (r < 0) {
		free(*data);
		*data = NULL;
		errmsg(err, errsize, r,
		       "%s: no usable bin/busybox in the base initramfs: rebuild it "
		       "with 'make'",
		       base);
	}
	return r;
}

int phase_wrap_initrd(const char *initrd, const char *base, const char *init, const char *out,
		      char *err, size_t errsize)
{
	_cleanup_close_ int in = open(initrd, O_RDONLY | O_CLOEXEC);
	_cleanup_free_ char *busybox = NULL, *script = NULL;
	size_t busybox_len = 0;
	int r;

	if (in < 0) {
		r = -errno;
		return errmsg(err, errsize, r, "%s: cannot open the installer's initrd: %s", initrd,
			      strerror(errno));
	}
	if (strchr(init, '\'') || asprintf(&script, wrapper_script, init) < 0)
		return errmsg(err, errsize, -EINVAL, "the installer's init '%s' cannot be quoted",
			      init);
	r = read_busybox(base, &busybox, &busybox_len, err, errsize);
	if (r < 0)
		return r;
	const struct initrd_member monitor[] = {
		{ .path = "guestcheck", .mode = S_IFDIR | 0755 },
		{ .path = "guestcheck/busybox",
		  .mode = S_IFREG | 0755,
		  .data = busybox,
		  .len = busybox_len },
		{ .path = "guestcheck/init",
		  .mode = S_IFREG | 0755,
		  .data = script,
		  .len = strlen(script) },
	};
	return initrd_append(in, out, monitor, ARRAY_SIZE(monitor), err, errsize);
}
