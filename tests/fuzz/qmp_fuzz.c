// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * QEMU's QMP side of the socket (vm/qmp.h) as the runner reads it: the
 * input is all QEMU says, in order, then it hangs up. The runner's own
 * requests get ids guestcheck-1 (qmp_capabilities), guestcheck-2, ... so
 * the seeds answer them. Through qmp_attach(), qmp_read_events(),
 * qmp_execute() and mtree_write() (`info mtree -f`'s text, which the runner
 * copies into mtree.txt without parsing it).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include <json-c/json.h>

#include "fuzz.h"

#include "sdhci/qemu_mtree.h"
#include "vm/qmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mtree_target t = { .results_dir = fuzz_scratch(), .prefix = "" };
	json_object *ret = NULL;
	struct qmp *q;
	char err[512];
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		abort();
	/* All of it queued before the runner reads: the socket buffer holds 64 KiB and more. */
	fcntl(sv[1], F_SETFL, O_NONBLOCK);
	for (size_t off = 0; off < size;) {
		ssize_t n = write(sv[1], data + off, size - off);

		if (n <= 0)
			break;
		off += n;
	}
	shutdown(sv[1], SHUT_WR);
	if (qmp_attach(sv[0], 50, &q, err, sizeof(err)) == 0) {
		qmp_read_events(q, 0);
		if (qmp_execute(q, "query-status", NULL, 50, &ret) == 0)
			json_object_put(ret);
		mtree_write(q, &t, err, sizeof(err));
		for (size_t i = 0; i < qmp_event_count(q); i++)
			qmp_event_at(q, i);
		qmp_event_find(q, "SHUTDOWN");
		qmp_close(q);
	}
	close(sv[1]);
	return 0;
}
