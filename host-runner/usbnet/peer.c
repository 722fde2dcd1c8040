// SPDX-License-Identifier: GPL-2.0-or-later
/* The session's side of the probe peers: start, configure, watch, stop. */
#include "usbnet/peer.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "errmsg.h"

#include "devices/device_type.h"
#include "usbnet/hotplug.h"
#include "usbnet/readers.h"
#include "usbnet/tuntap.h"

#define READY_WAIT_MS 10000
#define STOP_WAIT_MS  5000
#define PROBE_TEST    "usbnet.probe"

void peers_progress(const struct peers *ps, const char *fmt, ...)
{
	va_list ap;

	if (!ps->progress)
		return;
	fprintf(ps->progress, "[%6.1fs] %s: ", now_s() - ps->start, ps->scenario->name);
	va_start(ap, fmt);
	vfprintf(ps->progress, fmt, ap);
	va_end(ap);
	fputc('\n', ps->progress);
	fflush(ps->progress);
}

/* The peer's first message: "ready PORT" with the tap's descriptors, or "error WHY". */
static int await_ready(struct peer *p, char *err, size_t errsize)
{
	char buf[256], cbuf[CMSG_SPACE(sizeof(int) * PEER_MAX_QUEUES)];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) - 1 };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct pollfd pfd = { .fd = p->ctl, .events = POLLIN };
	unsigned int port;
	ssize_t n;

	if (poll(&pfd, 1, READY_WAIT_MS) <= 0)
		return errmsg(err, errsize, -ETIMEDOUT,
			      "%s: the probe peer did not start within %d s", p->spec.name,
			      READY_WAIT_MS / 1000);
	n = recvmsg(p->ctl, &mh, MSG_CMSG_CLOEXEC);
	if (n <= 0)
		return errmsg(err, errsize, -ECHILD, "%s: the probe peer died while starting",
			      p->spec.name);
	buf[n] = '\0';
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);

			for (size_t i = 0; i < k; i++) {
				int fd;

				memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
				if (p->ntap < PEER_MAX_QUEUES)
					p->tap_fds[p->ntap++] = fd;
				else
					close(fd);
			}
		}
	if (!strncmp(buf, "error ", 6))
		return errmsg(err, errsize, -EIO, "%s: probe peer: %s", p->spec.name, buf + 6);
	if (sscanf(buf, "ready %u", &port) != 1 || !port || port > 65535)
		return errmsg(err, errsize, -EPROTO, "%s: the probe peer said '%.64s'",
			      p->spec.name, buf);
	p->port = port;
	return 0;
}

/* QEMU's command line names the tap's queues by number: put them there, inheritable. */
static int place_tap_fds(struct peer *p, char *err, size_t errsize)
{
	if (p->ntap != p->spec.queues)
		return errmsg(err, errsize, -EPROTO,
			      "%s: the peer handed over %u tap queues, not %u", p->spec.name,
			      p->ntap, p->spec.queues);
	for (unsigned int q = 0; q < p->ntap; q++) {
		int want = peer_tap_fd(&p->spec, q);

		if (fcntl(want, F_GETFD) >= 0 || errno != EBADF)
			return errmsg(err, errsize, -EBUSY,
				      "%s: descriptor %d, where QEMU expects tap queue %u, "
				      "is already in use in the runner",
				      p->spec.name, want, q);
		if (dup2(p->tap_fds[q], want) < 0)
			return errmsg(err, errsize, -errno, "%s: dup2 of tap queue %u: %s",
				      p->spec.name, q, strerror(errno));
		close(p->tap_fds[q]);
		p->tap_fds[q] = want; /* dup2 clears close-on-exec: QEMU inherits it */
		/* ... unless the runner hands it over by getfd, as Incus does. */
		if (p->spec.plug == PEER_PLUG_REMAP && p->spec.remap_at == PEER_REMAP_PRESTART &&
		    fcntl(want, F_SETFD, FD_CLOEXEC) < 0)
			return errmsg(err, errsize, -errno, "%s: close-on-exec on tap queue %u: %s",
				      p->spec.name, q, strerror(errno));
	}
	return 0;
}

static int start_one(struct peers *ps, struct peer *p, char *err, size_t errsize)
{
	pid_t parent = getpid();
	char path[PATH_MAX];
	int sv[2], r;

	snprintf(path, sizeof(path), "%s/peer-%s.bin", ps->rundir, p->spec.name);
	memcpy(p->dump_path, path, sizeof(path));
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return errmsg(err, errsize, -errno, "%s: socketpair: %s", p->spec.name,
			      strerror(errno));
	p->pid = fork();
	if (p->pid < 0) {
		r = -errno;
		close(sv[0]);
		close(sv[1]);
		return errmsg(err, errsize, r, "%s: fork: %s", p->spec.name, strerror(-r));
	}
	if (p->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		/* Only the control socket: no copies of the runner's sockets or taps. */
		if (dup2(sv[1], 3) < 0)
			_exit(127);
		close_range(4, ~0u, 0);
		peer_serve(&p->spec, 3, p->dump_path);
	}
	close(sv[1]);
	p->ctl = sv[0];
	r = await_ready(p, err, errsize);
	if (r == 0 && p->spec.netdev == PEER_NETDEV_TAP)
		r = place_tap_fds(p, err, errsize);
	return r;
}

int peers_start(struct peers *ps, const struct scenario *s, const char *rundir,
		const char *results_dir, const char *prefix, FILE *progress_out, char *err,
		size_t errsize)
{
	*ps = (struct peers){ .scenario = s,
			      .prefix = prefix,
			      .progress = progress_out,
			      .start = now_s(),
			      .live_test = SIZE_MAX };
	snprintf(ps->rundir, sizeof(ps->rundir), "%s", rundir);
	snprintf(ps->results_dir, sizeof(ps->results_dir), "%s", results_dir);
	for (size_t i = 0; i < s->ndevices && ps->n < PEER_MAX_SPECS; i++) {
		const struct scenario_device *d = &s->devices[i];
		struct peer *p = &ps->p[ps->n];
		int r;

		if (d->type != &usb_net_device)
			continue;
		*p = (struct peer){ .ctl = -1, .pid = -1 };
		if (peer_spec_parse(d, s, &p->spec, err, errsize) < 0)
			return -EINVAL;
		if (p->spec.netdev == PEER_NETDEV_TAP && geteuid() != 0)
			return errmsg(err, errsize, -EPERM,
				      "%s: netdev = tap needs root: the runner creates the "
				      "tap in a private network namespace: run as root or "
				      "use netdev = user",
				      p->spec.name);
		ps->n++;
		r = start_one(ps, p, err, errsize);
		if (r < 0)
			return r;
	}
	if (ps->n)
		return hotplug_new(ps, &ps->hp, err, errsize);
	return 0;
}

void peer_spec_agent_config(const struct peer_spec *sp, uint16_t port, FILE *out)
{
	char guest[INET_ADDRSTRLEN], gw[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &sp->guest, guest, sizeof(guest));
	inet_ntop(AF_INET, &sp->gateway, gw, sizeof(gw));
	fprintf(out, "\n# The runner's probe peer for [device %s].\n[probe %s]\n", sp->name,
		sp->name);
	fprintf(out, "address = %s/%u\ngateway = %s\nport = %u\n", guest, sp->prefix, gw, port);
}

void peers_agent_config(const struct peers *ps, FILE *out)
{
	for (size_t i = 0; i < ps->n; i++)
		peer_spec_agent_config(&ps->p[i].spec, ps->p[i].port, out);
}

void peers_qemu_started(struct peers *ps, pid_t qemu_pid, const char *qemu_version)
{
	const char *names[PEER_MAX_SPECS];
	size_t n = 0;

	for (size_t i = 0; i < ps->n; i++)
		if (ps->p[i].spec.netdev == PEER_NETDEV_TAP)
			names[n++] = ps->p[i].spec.name;
	if (n && qemu_pid > 0) {
		ps->readers = readers_start(qemu_pid, qemu_version, names, n, ps->readers_why,
					    sizeof(ps->readers_why));
		if (!ps->readers)
			peers_progress(
				ps, "usb-net: no evidence of which netdev reads each tap queue: %s",
				ps->readers_why);
	}
	if (ps->hp)
		hotplug_connect(ps->hp);
}

static struct peer *peer_named(struct peers *ps, const char *name, size_t len)
{
	for (size_t i = 0; i < ps->n; i++)
		if (strlen(ps->p[i].spec.name) == len && !strncmp(ps->p[i].spec.name, name, len))
			return &ps->p[i];
	return NULL;
}

/* One new diagnostic line of the running test. */
static void on_diag_line(struct peers *ps, const char *line, size_t len)
{
	const char *colon = memchr(line, ':', len);
	struct peer *p;

	if (len > 5 && !strncmp(line, "live ", 5)) {
		peers_progress(ps, "%.*s", (int)len, line);
		return;
	}
	/* "net0: probing 10.0.2.2:40000 over usb0 ...": the probe's zero on the host's clock. */
	if (colon && (p = peer_named(ps, line, colon - line)) &&
	    len > (size_t)(colon - line) + 10 && !strncmp(colon, ": probing ", 10) &&
	    !p->probe_start) {
		p->probe_start = now_s();
		peers_progress(ps, "%.*s", (int)len, line);
	}
}

void peers_on_ktap(struct peers *ps, const struct ktap_run *run)
{
	if (!ps->n)
		return;
	if (run->saw_hello && !ps->hello) {
		ps->hello = true;
		if (ps->hp)
			hotplug_on_hello(ps->hp);
	}
	if (run->saw_end && !ps->ended) {
		ps->ended = true;
		if (ps->hp)
			hotplug_on_end(ps->hp);
		for (size_t i = 0; i < ps->n; i++)
			for (unsigned int q = 0; q < ps->p[i].ntap; q++) {
				int r = tuntap_queue_detached(ps->p[i].tap_fds[q]);

				ps->p[i].queue_state[q] = r < 0 ? 0 : r ? 2 : 1;
			}
		for (size_t i = 0; i < ps->n; i++)
			ps->p[i].vnet_hdr_size =
				ps->p[i].ntap ? tuntap_vnet_hdr_size(ps->p[i].tap_fds[0]) : -ENODEV;
	}
	for (size_t i = 0; i < run->ntests; i++) {
		const struct ktap_test *t = &run->tests[i];
		const char *d = t->diagnostics;
		size_t len;

		if (strcmp(t->name, PROBE_TEST) || !d)
			continue;
		if (ps->live_test != i) {
			ps->live_test = i;
			ps->live_off = 0;
		}
		len = strlen(d);
		while (ps->live_off < len) {
			const char *line = d + ps->live_off, *nl;

			if (*line == '\n')
				line++;
			nl = strchr(line, '\n');
			if (!nl)
				nl = d + len;
			on_diag_line(ps, line, nl - line);
			ps->live_off = nl - d;
		}
	}
}

void peers_tick(struct peers *ps)
{
	readers_poll(ps->readers);
	peers_live_causes(ps);
	if (ps->hp)
		hotplug_tick(ps->hp);
}

void peers_stop(struct peers *ps)
{
	readers_stop(ps->readers);
	for (size_t i = 0; i < ps->n; i++) {
		struct peer *p = &ps->p[i];

		if (p->ctl >= 0)
			close(p->ctl);
		p->ctl = -1;
	}
	/* The taps stay open until the peers read their final counters and exit. */
	for (size_t i = 0; i < ps->n; i++) {
		struct peer *p = &ps->p[i];
		int status;

		if (p->pid <= 0)
			continue;
		for (int waited = 0; waited < STOP_WAIT_MS; waited += 20) {
			if (waitpid(p->pid, &status, WNOHANG) == p->pid) {
				p->pid = -1;
				break;
			}
			usleep(20 * 1000);
		}
		if (p->pid > 0) {
			kill(p->pid, SIGKILL);
			waitpid(p->pid, &status, 0);
			p->pid = -1;
		}
		for (unsigned int q = 0; q < p->ntap; q++)
			close(p->tap_fds[q]);
		p->ntap = 0;
	}
	if (ps->hp)
		hotplug_disconnect(ps->hp);
}

void peers_free(struct peers *ps)
{
	peers_stop(ps);
	hotplug_free(ps->hp);
	ps->hp = NULL;
	readers_free(ps->readers);
	ps->readers = NULL;
}
