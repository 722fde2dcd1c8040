// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One of a running QEMU's tap descriptors, read without touching it: a copy
 * taken with pidfd_getfd(2) (the same open file, so the same queue), which
 * is only asked questions (fdinfo, TUNGETIFF, TUNGETDEVNETNS) and closed.
 * The tap's counters are read with libnl inside the tap's own network
 * namespace, from a forked child, so guestcheck's own namespace never moves.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "clock.h"
#include "errmsg.h"

#include "usbnet/diagnose.h"
#include "usbnet/tap_findings.h"
#include "usbnet/tuntap.h"

/* Linux 5.6 added pidfd_getfd; Debian 12's headers have both numbers, older ones may not. */
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif
/* Linux 5.2: the tap's own namespace, which need be neither QEMU's nor ours. */
#ifndef TUNGETDEVNETNS
#define TUNGETDEVNETNS _IO('T', 227)
#endif

#define COUNTERS_MS 5000

static int copy_fd(struct diagnosis *d, int pidfd, struct diag_fd *f)
{
	int fd = syscall(SYS_pidfd_getfd, pidfd, f->fd, 0);

	if (fd >= 0)
		return fd;
	if (errno == EPERM)
		return errmsg(f->error, sizeof(f->error), -EPERM,
			      "cannot copy descriptor %d of QEMU (pid %d): pidfd_getfd: %s: run "
			      "guestcheck diagnose as root (it needs ptrace rights over QEMU; "
			      "kernel.yama.ptrace_scope 3 forbids them even to root)",
			      f->fd, (int)d->pid, strerror(errno));
	if (errno == ENOSYS)
		return errmsg(f->error, sizeof(f->error), -ENOSYS,
			      "cannot copy descriptor %d of QEMU (pid %d): pidfd_getfd needs "
			      "Linux 5.6 or later: the tap's queues and counters are unknown",
			      f->fd, (int)d->pid);
	return errmsg(f->error, sizeof(f->error), -errno,
		      "cannot copy descriptor %d of QEMU (pid %d): pidfd_getfd: %s: `info "
		      "network` names a descriptor QEMU does not hold",
		      f->fd, (int)d->pid, strerror(errno));
}

/*
 * The tap's name from the copy's fdinfo ("iff:\tNAME", tun files only). The
 * copy's, not /proc/PID/fdinfo/N: it is the same open file, and QEMU cannot
 * close and reuse the number under us. 1 a tap, 0 not one, or -errno.
 */
static int tap_name(int fd, char *name, size_t size)
{
	char path[64], line[256];
	_cleanup_fclose_ FILE *f = NULL;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "iff:", 4)) {
			const char *v = line + 4 + strspn(line + 4, " \t");

			snprintf(name, size, "%.*s", (int)strcspn(v, "\n"), v);
			return name[0] != '\0';
		}
	return 0;
}

static unsigned long long ns_ino(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 ? (unsigned long long)st.st_ino : 0;
}

/* The tap's network namespace, held in t->netns_fd for the reads to come. */
static void find_netns(struct diagnosis *d, int copy, struct diag_tap *t)
{
	char path[64];
	int ours;

	t->netns_fd = ioctl(copy, TUNGETDEVNETNS);
	t->netns_from_tap = t->netns_fd >= 0;
	if (t->netns_fd < 0) {
		/* Before 5.2, or without CAP_NET_ADMIN there: QEMU's is the best guess. */
		snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)d->pid);
		t->netns_fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (t->netns_fd < 0)
		return;
	t->netns_ino = ns_ino(t->netns_fd);
	ours = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	t->netns_ours = ours >= 0 && ns_ino(ours) == t->netns_ino;
	if (ours >= 0)
		close(ours);
}

static struct diag_tap *tap_of(struct diagnosis *d, const char *name, int copy)
{
	struct diag_tap *t;

	for (size_t i = 0; i < d->ntaps; i++)
		if (!strcmp(d->taps[i].name, name))
			return &d->taps[i];
	if (d->ntaps == DIAG_MAX_TAPS)
		return NULL;
	t = &d->taps[d->ntaps++];
	*t = (struct diag_tap){ .netns_fd = -1, .hdr_fd = -1 };
	snprintf(t->name, sizeof(t->name), "%s", name);
	find_netns(d, copy, t);
	t->hdr = tuntap_vnet_hdr_size(copy);
	t->hdr_fd = fcntl(copy, F_DUPFD_CLOEXEC, 3);
	if (diagnose_tap_counters(t, &t->before) == 0) {
		t->have_before = true;
		t->t_before = now_s();
	}
	return t;
}

void diagnose_tap_read(struct diagnosis *d, int pidfd, struct diag_fd *f)
{
	_cleanup_close_ int copy = copy_fd(d, pidfd, f);
	struct diag_tap *t;
	int r;

	f->state = TAP_QUEUE_UNKNOWN;
	if (copy < 0)
		return;
	r = tap_name(copy, f->tap, sizeof(f->tap));
	if (r <= 0) {
		f->not_tap = r == 0;
		if (r < 0)
			errmsg(f->error, sizeof(f->error), r,
			       "descriptor %d of QEMU: cannot read its fdinfo: %s", f->fd,
			       strerror(-r));
		return;
	}
	r = tuntap_queue_detached(copy);
	f->state = r < 0 ? TAP_QUEUE_UNKNOWN : r ? TAP_QUEUE_DETACHED : TAP_QUEUE_ATTACHED;
	t = tap_of(d, f->tap, copy);
	if (t && f->queue >= 0 && f->queue < DIAG_MAX_QUEUES) {
		t->state[f->queue] = f->state;
		if ((unsigned int)f->queue + 1 > t->queues)
			t->queues = f->queue + 1;
	}
}

/* In a child: enter the namespace, read, write r and the counters to the pipe. */
static void counters_child(const struct diag_tap *t, int wfd)
{
	struct {
		int r;
		struct link_counters c;
	} msg = { 0 };

	msg.r = setns(t->netns_fd, CLONE_NEWNET) < 0 ? -errno : 0;
	if (!msg.r)
		msg.r = nl_route_link_counters(t->name, &msg.c);
	if (write(wfd, &msg, sizeof(msg)) != sizeof(msg))
		_exit(1);
	_exit(0);
}

static int counters_elsewhere(struct diag_tap *t, struct link_counters *c)
{
	struct {
		int r;
		struct link_counters c;
	} msg = { .r = -EPIPE };
	int p[2], status;
	struct pollfd pfd;
	pid_t child;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	child = fork();
	if (child < 0) {
		close(p[0]);
		close(p[1]);
		return -errno;
	}
	if (child == 0) {
		close(p[0]);
		counters_child(t, p[1]);
	}
	close(p[1]);
	pfd = (struct pollfd){ .fd = p[0], .events = POLLIN };
	if (poll(&pfd, 1, COUNTERS_MS) == 1 && read(p[0], &msg, sizeof(msg)) == sizeof(msg))
		*c = msg.c;
	else
		msg.r = -ETIMEDOUT;
	close(p[0]);
	/* A child stuck in netlink would outlive us: it is ours to end. */
	if (msg.r == -ETIMEDOUT)
		kill(child, SIGKILL);
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	return msg.r;
}

int diagnose_tap_counters(struct diag_tap *t, struct link_counters *c)
{
	int r;

	if (t->netns_fd < 0)
		return errmsg(t->error, sizeof(t->error), -ENOENT,
			      "tap %s: its network namespace is unknown (TUNGETDEVNETNS and "
			      "/proc/PID/ns/net failed): run as root for its counters",
			      t->name);
	r = t->netns_ours ? nl_route_link_counters(t->name, c) : counters_elsewhere(t, c);
	if (r == -EPERM)
		return errmsg(t->error, sizeof(t->error), r,
			      "tap %s: cannot enter its network namespace (setns: %s): run as "
			      "root for its counters",
			      t->name, strerror(-r));
	if (r < 0)
		return errmsg(t->error, sizeof(t->error), r,
			      "tap %s: no counters (libnl, in its network namespace): %s", t->name,
			      strerror(-r));
	return 0;
}
