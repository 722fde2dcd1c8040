// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * virtio_release (checks/usbnet/virtio_release.c): the driver's cycle over
 * a sysroot whose virtio_net directory is plain files, so every bind and
 * unbind the child writes is kept; and the split of the probes by the state
 * the driver was in when each was sent.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "kselftest_harness.h"

#include "usbnet/virtio_release.h"

#define DRIVER "/sys/bus/virtio/drivers/virtio_net"

static void touch(const char *root, const char *name)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s" DRIVER "/%s", root, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0)
		close(fd);
}

static size_t slurp(const char *root, const char *name, char *buf, size_t size)
{
	char path[512];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s" DRIVER "/%s", root, name);
	f = fopen(path, "r");
	if (!f)
		return 0;
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
	return n;
}

FIXTURE(tree)
{
	struct sysroot root;
};

FIXTURE_SETUP(tree)
{
	char cmd[600];

	snprintf(self->root.prefix, sizeof(self->root.prefix), "/tmp/guestcheck-vr-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->root.prefix));
	snprintf(cmd, sizeof(cmd), "mkdir -p %s" DRIVER, self->root.prefix);
	ASSERT_EQ(0, system(cmd));
}

FIXTURE_TEARDOWN(tree)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->root.prefix);
	system(cmd);
}

TEST_F(tree, no_device_is_enodev)
{
	struct virtio_release vr;

	touch(self->root.prefix, "bind");
	touch(self->root.prefix, "unbind");
	EXPECT_EQ(-ENODEV, virtio_release_start(&vr, &self->root, 50, 50, now_ns(), now_ns()));
	EXPECT_EQ(0, vr.pid);
	virtio_release_free(&vr);
}

/*
 * Released 50 ms, bound 50 ms, for 230 ms: releases at 0, 100 and 200 ms,
 * binds at 50 and 150 ms, and the last bind at the end. Late wake-ups do not
 * change the sequence (each step has an absolute deadline): the count is
 * exact however loaded the host is.
 */
TEST_F(tree, cycle_until_the_end_then_bound)
{
	struct virtio_release vr;
	uint64_t t0 = now_ns();
	char unbind[64], bind[64];
	int status;

	touch(self->root.prefix, "bind");
	touch(self->root.prefix, "unbind");
	touch(self->root.prefix, "virtio1");
	ASSERT_EQ(0, virtio_release_start(&vr, &self->root, 50, 50, t0, t0 + 230000000ull));
	ASSERT_GT(vr.pid, 0);
	/* The child ends on its own at the end: wait for it rather than stop it early. */
	ASSERT_EQ(vr.pid, waitpid(vr.pid, &status, 0));
	vr.pid = 0;
	virtio_release_stop(&vr);
	EXPECT_STREQ("virtio1", vr.log->devs[0]);
	ASSERT_EQ(6U, vr.log->nevents);
	for (uint32_t i = 0; i < 6; i++) {
		EXPECT_EQ(i % 2, vr.log->ev[i].bound);
		EXPECT_EQ(0, vr.log->ev[i].error);
		if (i)
			EXPECT_LE(vr.log->ev[i - 1].t_ns, vr.log->ev[i].t_ns);
	}
	EXPECT_GE(vr.log->ev[1].t_ns, t0 + 50000000ull);
	EXPECT_GE(vr.log->ev[5].t_ns, t0 + 230000000ull);
	/* Each write names the device, as sysfs expects. */
	EXPECT_EQ(7U, slurp(self->root.prefix, "unbind", unbind, sizeof(unbind)));
	EXPECT_STREQ("virtio1", unbind);
	EXPECT_EQ(7U, slurp(self->root.prefix, "bind", bind, sizeof(bind)));
	virtio_release_free(&vr);
}

/* A driver directory without bind: each failed step is recorded with its errno. */
TEST_F(tree, failed_steps_keep_their_errno)
{
	struct virtio_release vr;
	uint64_t t0 = now_ns();
	int status;

	touch(self->root.prefix, "unbind");
	touch(self->root.prefix, "virtio2");
	ASSERT_EQ(0, virtio_release_start(&vr, &self->root, 10, 10, t0, t0 + 15000000ull));
	ASSERT_EQ(vr.pid, waitpid(vr.pid, &status, 0));
	vr.pid = 0;
	ASSERT_EQ(2U, vr.log->nevents);
	EXPECT_EQ(0, vr.log->ev[0].error);
	EXPECT_EQ(ENOENT, vr.log->ev[1].error);
	virtio_release_free(&vr);
}

/*
 * Ten probes 100 ms apart; released from 250 ms to 550 ms. A failed step
 * changes nothing: the driver stays as it was.
 */
TEST(split_by_the_state_at_each_send)
{
	struct probe_slot slots[10];
	struct probe_result res = { .slots = slots, .n = 10 };
	struct virtio_release_log log = { .ndevs = 1, .nevents = 4 };
	struct virtio_release_split sp;
	const uint64_t t0 = 1000000000ull;

	for (int i = 0; i < 10; i++)
		slots[i] = (struct probe_slot){ .sent_us = i * 100000,
						.state = i == 4 || i == 8 ? PROBE_ECHOED
									  : PROBE_SENT };
	slots[9].state = PROBE_UNSENT;
	log.ev[0] = (struct virtio_release_event){ .t_ns = t0 + 250000000ull, .bound = 0 };
	log.ev[1] = (struct virtio_release_event){ .t_ns = t0 + 450000000ull,
						   .bound = 1,
						   .error = EBUSY };
	log.ev[2] = (struct virtio_release_event){ .t_ns = t0 + 550000000ull, .bound = 1 };
	log.ev[3] = (struct virtio_release_event){ .t_ns = t0 + 2000000000ull, .bound = 0 };
	virtio_release_split(&log, t0, &res, &sp);
	EXPECT_EQ(3U, sp.released_sent); /* probes 3, 4, 5 */
	EXPECT_EQ(1U, sp.released_answered);
	EXPECT_EQ(6U, sp.bound_sent); /* 0-2 and 6-8; 9 was never sent */
	EXPECT_EQ(1U, sp.bound_answered);
}

TEST_HARNESS_MAIN
