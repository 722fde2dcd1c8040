// SPDX-License-Identifier: GPL-2.0-or-later
#include "usbnet/diagnose.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "clock.h"
#include "errmsg.h"
#include "macro.h"

#include "usbnet/tap_findings.h"
#include "vm/qmp.h"

/* Linux 5.3; Debian 12's headers have it. */
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

#define QMP_MS 5000

/*
 * Every command diagnose may send: queries only. ask() refuses the rest, so
 * no later edit can make it change the VM by mistake (qmp.c itself sends
 * only qmp_capabilities, which changes nothing but the connection).
 */
static const char *const read_only[] = { "query-version", "query-status", "qom-list", "qom-get",
					 "human-monitor-command" };

bool diagnose_command_allowed(const char *command, json_object *args)
{
	bool allowed = false;
	json_object *line;

	for (size_t i = 0; i < ARRAY_SIZE(read_only); i++)
		allowed |= !strcmp(command, read_only[i]);
	/* HMP can do anything: only its `info` commands, which print. */
	if (allowed && !strcmp(command, "human-monitor-command"))
		allowed = args && json_object_object_get_ex(args, "command-line", &line) &&
			  json_object_is_type(line, json_type_string) &&
			  !strncmp(json_object_get_string(line), "info ", 5);
	return allowed;
}

static int ask(struct qmp *q, const char *command, json_object *args, json_object **ret)
{
	if (!diagnose_command_allowed(command, args))
		return -EPERM;
	return qmp_execute(q, command, args, QMP_MS, ret);
}

static void copy_string(char *dst, size_t size, json_object *o, const char *key)
{
	json_object *v;

	if (o && json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string))
		snprintf(dst, size, "%s", json_object_get_string(v));
}

static void read_version(struct qmp *q, struct diagnosis *d)
{
	json_object *ret = NULL, *qemu;

	if (ask(q, "query-version", NULL, &ret) == 0 &&
	    json_object_object_get_ex(ret, "qemu", &qemu))
		snprintf(d->version, sizeof(d->version), "%d.%d.%d",
			 json_object_get_int(json_object_object_get(qemu, "major")),
			 json_object_get_int(json_object_object_get(qemu, "minor")),
			 json_object_get_int(json_object_object_get(qemu, "micro")));
	copy_string(d->package, sizeof(d->package), ret, "package");
	json_object_put(ret);
	ret = NULL;
	if (ask(q, "query-status", NULL, &ret) == 0)
		copy_string(d->status, sizeof(d->status), ret, "status");
	json_object_put(ret);
}

static int read_info_network(struct qmp *q, struct diagnosis *d, char *err, size_t errsize)
{
	json_object *args = json_object_new_object(), *ret = NULL;
	int r;

	json_object_object_add(args, "command-line", json_object_new_string("info network"));
	r = ask(q, "human-monitor-command", args, &ret);
	json_object_put(args);
	if (r == 0 && json_object_is_type(ret, json_type_string))
		d->info_network = strdup(json_object_get_string(ret));
	json_object_put(ret);
	if (r < 0)
		return errmsg(err, errsize, r,
			      "%s: `info network` (human-monitor-command) failed: %s: this QEMU "
			      "cannot be diagnosed through this socket",
			      d->socket, qmp_error(q));
	if (!d->info_network)
		return errmsg(err, errsize, -ENOMEM, "out of memory");
	d->nclients = netinfo_parse(d->info_network, d->clients, NETINFO_MAX_CLIENTS);
	return 0;
}

/* A string property of a QOM object; "" when it has none. */
static void qom_string(struct qmp *q, const char *path, const char *property, char *buf,
		       size_t size)
{
	json_object *args = json_object_new_object(), *ret = NULL;

	buf[0] = '\0';
	json_object_object_add(args, "path", json_object_new_string(path));
	json_object_object_add(args, "property", json_object_new_string(property));
	if (ask(q, "qom-get", args, &ret) == 0 && json_object_is_type(ret, json_type_string))
		snprintf(buf, size, "%s", json_object_get_string(ret));
	json_object_put(ret);
	json_object_put(args);
}

/* Devices with an id and a netdev property: the NICs as QOM has them. */
static void read_nics(struct qmp *q, struct diagnosis *d)
{
	json_object *args = json_object_new_object(), *ret = NULL;

	json_object_object_add(args, "path", json_object_new_string("/machine/peripheral"));
	if (ask(q, "qom-list", args, &ret) == 0 && json_object_is_type(ret, json_type_array))
		for (size_t i = 0; i < json_object_array_length(ret); i++) {
			json_object *o = json_object_array_get_idx(ret, i);
			struct diag_nic *n = &d->nics[d->nnics];
			char path[128];

			if (d->nnics == DIAG_MAX_NICS)
				break;
			*n = (struct diag_nic){ 0 };
			copy_string(n->id, sizeof(n->id), o, "name");
			copy_string(n->type, sizeof(n->type), o, "type");
			if (strncmp(n->type, "child<", 6))
				continue;
			memmove(n->type, n->type + 6, strlen(n->type + 6) + 1);
			n->type[strcspn(n->type, ">")] = '\0';
			snprintf(path, sizeof(path), "/machine/peripheral/%s", n->id);
			qom_string(q, path, "netdev", n->netdev, sizeof(n->netdev));
			if (!n->netdev[0])
				continue;
			qom_string(q, path, "mac", n->mac, sizeof(n->mac));
			d->nnics++;
		}
	json_object_put(ret);
	json_object_put(args);
}

/* Whether pid runs QEMU: its executable's name, else (no ptrace rights) its comm. */
static bool is_qemu(pid_t pid, const char *comm)
{
	char path[64], exe[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	n = readlink(path, exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		return strstr(strrchr(exe, '/') ?: exe, "qemu") != NULL;
	}
	return strstr(comm, "qemu") != NULL;
}

/*
 * QEMU's pid: the process that listens on the socket, unless --pid named it.
 * The listener need not be QEMU: libvirt makes the socket and hands it over.
 */
static int find_pid(struct qmp *q, struct diagnosis *d, pid_t pid, char *err, size_t errsize)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	char path[64];
	bool named = pid > 0;
	_cleanup_fclose_ FILE *f = NULL;

	if (!named) {
		if (getsockopt(qmp_fd(q), SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 ||
		    cred.pid <= 0)
			return errmsg(err, errsize, -errno ?: -ESRCH,
				      "%s: SO_PEERCRED names no process: pass QEMU's pid with "
				      "--pid",
				      d->socket);
		pid = cred.pid;
	}
	d->pid = pid;
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	f = fopen(path, "re");
	if (f && fgets(d->comm, sizeof(d->comm), f))
		d->comm[strcspn(d->comm, "\n")] = '\0';
	if (!is_qemu(pid, d->comm) && named)
		errmsg(d->cannot, sizeof(d->cannot), -ESRCH,
		       "--pid %d (%s) is no QEMU: pass the pid of the QEMU that serves %s",
		       (int)pid, d->comm[0] ? d->comm : "gone", d->socket);
	else if (!is_qemu(pid, d->comm))
		errmsg(d->cannot, sizeof(d->cannot), -ESRCH,
		       "the socket's listener, pid %d (%s), is no QEMU: whoever made the socket "
		       "handed it to QEMU (libvirt does): pass QEMU's pid with --pid for its taps",
		       (int)pid, d->comm[0] ? d->comm : "gone");
	return 0;
}

/* The descriptors `info network` names, once each, with the first netdev naming them. */
static void collect_fds(struct diagnosis *d)
{
	for (size_t i = 0; i < d->nclients; i++) {
		const struct netinfo_client *c = &d->clients[i];
		bool seen = false;

		if (c->fd < 0)
			continue;
		for (size_t k = 0; k < d->nfds; k++)
			seen |= d->fds[k].fd == c->fd;
		if (seen || d->nfds == DIAG_MAX_FDS)
			continue;
		d->fds[d->nfds] = (struct diag_fd){ .fd = c->fd, .queue = c->index };
		snprintf(d->fds[d->nfds].netdev, sizeof(d->fds[0].netdev), "%s", c->name);
		d->nfds++;
	}
}

static void read_taps(struct diagnosis *d)
{
	_cleanup_close_ int pidfd = -1;

	if (!d->nfds)
		return;
	pidfd = syscall(SYS_pidfd_open, d->pid, 0);
	if (pidfd < 0) {
		errmsg(d->cannot, sizeof(d->cannot), -errno,
		       "cannot open QEMU's process (pid %d): pidfd_open: %s: %s", (int)d->pid,
		       strerror(errno),
		       errno == ENOSYS ? "it needs Linux 5.3 (and pidfd_getfd 5.6)"
				       : "is QEMU still running?");
		return;
	}
	for (size_t i = 0; i < d->nfds; i++) {
		diagnose_tap_read(d, pidfd, &d->fds[i]);
		if (d->fds[i].error[0] && !d->cannot[0])
			snprintf(d->cannot, sizeof(d->cannot), "%s", d->fds[i].error);
	}
	for (size_t i = 0; i < d->ntaps; i++)
		if (d->taps[i].error[0] && !d->cannot[0])
			snprintf(d->cannot, sizeof(d->cannot), "%s", d->taps[i].error);
}

int diagnose_read(const char *path, pid_t pid, struct diagnosis *d, char *err, size_t errsize)
{
	struct qmp *q = NULL;
	char why[DIAG_ERR_LEN];
	struct stat st;
	int r;

	*d = (struct diagnosis){ 0 };
	snprintf(d->socket, sizeof(d->socket), "%s", path);
	if (stat(path, &st) < 0)
		return errmsg(err, errsize, -errno,
			      "%s: %s: name QEMU's QMP socket (Incus: "
			      "/run/incus/INSTANCE/qemu.monitor; libvirt: a -qmp socket of your "
			      "own, see --help)",
			      path, strerror(errno));
	if (!S_ISSOCK(st.st_mode))
		return errmsg(err, errsize, -ENOTSOCK,
			      "%s: not a socket: name the QMP socket QEMU listens on (-qmp "
			      "unix:PATH,server=on or -chardev socket,server=on + -mon "
			      "mode=control)",
			      path);
	r = qmp_connect(path, QMP_MS, &q, why, sizeof(why));
	if (r == -ETIMEDOUT)
		return errmsg(
			err, errsize, r,
			"%s: no QMP greeting within %d s: QEMU serves one client per monitor, "
			"and another (incusd, libvirtd) may hold this one, or it is no QMP "
			"socket: give QEMU a monitor of its own (-qmp "
			"unix:PATH,server=on,wait=off; see guestcheck diagnose --help)",
			path, QMP_MS / 1000);
	if (r == -EPROTO || r == -EMSGSIZE)
		return errmsg(err, errsize, r,
			      "%s: not a QMP monitor (%s): name QEMU's -qmp socket, not a console "
			      "or another service's",
			      path, why);
	if (r == -EACCES || r == -EPERM)
		return errmsg(err, errsize, r,
			      "%s: cannot connect: %s: run guestcheck diagnose as root (or as "
			      "QEMU's user)",
			      path, strerror(-r));
	if (r < 0)
		return errmsg(err, errsize, r, "%s", why);
	r = find_pid(q, d, pid, err, errsize);
	if (r == 0) {
		read_version(q, d);
		r = read_info_network(q, d, err, errsize);
	}
	if (r == 0)
		read_nics(q, d);
	/* Leave the monitor at once: its owner (libvirt, Incus) may want it back. */
	qmp_close(q);
	if (r < 0)
		return r;
	collect_fds(d);
	/* Another process's descriptor N would be read as QEMU's. */
	if (!d->cannot[0])
		read_taps(d);
	return 0;
}

void diagnose_watch(struct diagnosis *d, double seconds)
{
	double start = now_s(), last = start, end = start + seconds, now;

	d->watch_s = seconds;
	while ((now = now_s()) < end) {
		double wait = end - now < DIAG_HDR_EVERY_MS / 1000.0 ? end - now
								     : DIAG_HDR_EVERY_MS / 1000.0;
		struct timespec ts = { .tv_sec = (time_t)wait,
				       .tv_nsec = (long)((wait - (time_t)wait) * 1e9) };

		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
		now = now_s();
		for (size_t i = 0; i < d->ntaps; i++)
			diagnose_header_sample(&d->taps[i], now - start, now - last);
		last = now;
	}
	for (size_t i = 0; i < d->ntaps; i++) {
		struct diag_tap *t = &d->taps[i];

		if (t->have_before && diagnose_tap_counters(t, &t->after) == 0) {
			t->have_after = true;
			t->t_after = now_s();
		}
	}
}

/* Findings as the runner words them, in d->findings. */
static int add(struct diagnosis *d, char *s)
{
	char **f;

	if (!s)
		return -ENOMEM;
	f = realloc(d->findings, (d->nfindings + 1) * sizeof(*f));
	if (!f) {
		free(s);
		return -ENOMEM;
	}
	d->findings = f;
	d->findings[d->nfindings++] = s;
	return 0;
}

static int addf(struct diagnosis *d, const char *fmt, ...) __printf(2, 3);
static int addf(struct diagnosis *d, const char *fmt, ...)
{
	char *s;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	return add(d, r < 0 ? NULL : s);
}

/* What the counters say: since the tap was made, and over the watch. */
static int counter_findings(struct diagnosis *d, const struct diag_tap *t)
{
	const struct link_counters *a = &t->before, *b = &t->after;
	double s = t->t_after - t->t_before;
	unsigned long long drop;
	int r;

	if (!t->have_before)
		return 0;
	if (!t->have_after)
		return addf(d,
			    "note: tap %s (libnl): %llu frames toward the guest, %llu from it, "
			    "tx dropped %llu, rx dropped %llu since the tap was made%s",
			    t->name, (unsigned long long)a->tx_packets,
			    (unsigned long long)a->rx_packets, (unsigned long long)a->tx_dropped,
			    (unsigned long long)a->rx_dropped,
			    a->tx_dropped ? ": --watch SECONDS says whether it still drops" : "");
	drop = b->tx_dropped - a->tx_dropped;
	r = addf(d,
		 "note: tap %s over %.1f s (libnl): %.1f frames/s toward the guest (tx +%llu), "
		 "%.1f/s from it (rx +%llu), tx dropped +%llu, rx dropped +%llu",
		 t->name, s, (b->tx_packets - a->tx_packets) / s,
		 (unsigned long long)(b->tx_packets - a->tx_packets),
		 (b->rx_packets - a->rx_packets) / s,
		 (unsigned long long)(b->rx_packets - a->rx_packets), drop,
		 (unsigned long long)(b->rx_dropped - a->rx_dropped));
	if (r < 0 || !drop)
		return r;
	if (strcmp(d->status, "running"))
		return addf(
			d,
			"loss: tap %s dropped %llu frames toward the guest in %.1f s (tx dropped, "
			"%.1f/s): the kernel drops once a queue's ring is full, and QEMU reads "
			"no tap while the VM is %s (query-status): resume it (cont)",
			t->name, drop, s, drop / s, d->status[0] ? d->status : "not running");
	return addf(d,
		    "loss: tap %s dropped %llu frames toward the guest in %.1f s (tx dropped, "
		    "%.1f/s): the kernel drops once a queue's ring is full, so nobody reads that "
		    "queue: its NIC takes no frames (the guest's driver does not read them) or no "
		    "netdev polls the descriptor",
		    t->name, drop, s, drop / s);
}

int diagnose_findings(struct diagnosis *d)
{
	char out[NETINFO_MAX_FINDINGS][NETINFO_FINDING_LEN];
	size_t n = netinfo_findings(d->clients, d->nclients, NULL, 0, out, NETINFO_MAX_FINDINGS);
	int r = 0;

	for (size_t i = 0; i < n && i < NETINFO_MAX_FINDINGS && !r; i++)
		r = addf(d, "%s (info network)", out[i]);
	for (size_t i = 0; i < d->ntaps && !r; i++) {
		char *s = tap_queue_finding(d->taps[i].name, d->taps[i].state, d->taps[i].queues,
					    "now");

		if (s)
			r = add(d, s);
		s = diagnose_header_finding(d, &d->taps[i]);
		if (s && !r)
			r = add(d, s);
		else
			free(s);
		if (!r)
			r = counter_findings(d, &d->taps[i]);
	}
	for (size_t i = 0; i < d->nfds && !r; i++)
		if (d->fds[i].not_tap)
			r = addf(d,
				 "note: descriptor %d of QEMU (netdev %s) is no tap (its fdinfo "
				 "has no iff: line): not a tun/tap file",
				 d->fds[i].fd, d->fds[i].netdev);
	return r;
}

size_t diagnose_losses(const struct diagnosis *d)
{
	size_t n = 0;

	for (size_t i = 0; i < d->nfindings; i++)
		n += !strncmp(d->findings[i], "loss:", 5);
	return n;
}

void diagnose_free(struct diagnosis *d)
{
	for (size_t i = 0; i < d->ntaps; i++) {
		if (d->taps[i].netns_fd >= 0)
			close(d->taps[i].netns_fd);
		if (d->taps[i].hdr_fd >= 0)
			close(d->taps[i].hdr_fd);
	}
	for (size_t i = 0; i < d->nfindings; i++)
		free(d->findings[i]);
	free(d->findings);
	free(d->info_network);
	d->findings = NULL;
	d->info_network = NULL;
	d->ntaps = d->nfindings = 0;
}
