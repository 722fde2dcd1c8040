// SPDX-License-Identifier: GPL-2.0-or-later
#include "usbnet/readers.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "errmsg.h"
#include "macro.h"

/* struct NetClientState (include/net/net.h), the same in QEMU 7.2 and 10.0 on x86_64. */
#define NC_NAME	       56
#define NC_QUEUE_INDEX 336

#define LINE_MAX_LEN 512

/*
 * The program's probes: five uprobes and the interval that prints counts.
 * bpftrace drops a uprobe whose symbol the binary lacks and attaches the
 * rest ("Attaching 1 probe..."), so the interval alone would look like a
 * tracer that saw nothing: fewer than PROGRAM_PROBES_NEEDED is an error.
 * qemu_using_vnet_hdr is gone from QEMU 10.0 (7.2 has it): the others are
 * needed.
 */
#define PROGRAM_PROBES	      6
#define PROGRAM_PROBES_NEEDED 5

struct readers {
	pid_t tracer;
	int out; /* the tracer's stdout and stderr */
	char line[LINE_MAX_LEN];
	size_t len;
	bool attached, in_counts;
	bool short_attach;	      /* bpftrace attached fewer than PROGRAM_PROBES_NEEDED */
	double counts_t, counts_from; /* the count being read: its second's end and start */
	char exe[PATH_MAX];
	char names[8][32];
	size_t nnames;
	struct readers_change changes[READERS_MAX_CHANGES];
	size_t nchanges;
	struct readers_count *counts;
	size_t ncounts, dropped;
	char error[512];
};

/* The program: aio_set_fd_handler lost its is_external argument in QEMU 8.1. */
/* version "7.2.22": the QEMU's, as the runner probed it. */
static int program(char *buf, size_t size, const char *exe, pid_t pid, const char *version)
{
	unsigned int major = 0, minor = 0;
	bool external = sscanf(version ?: "", "%u.%u", &major, &minor) == 2 &&
			(major < 8 || (major == 8 && minor < 1));

	return snprintf(
		buf, size,
		"uprobe:%s:aio_set_fd_handler /pid == %d/ {\n"
		"  $o = *(uint64 *)(reg(\"sp\") + %d);\n"
		"  printf(\"H %%llu %%d %%d %%s\\n\", nsecs, arg1, %s != 0, str(*(uint64 *)($o + "
		"%d), 32));\n"
		"}\n"
		"uprobe:%s:qemu_send_packet_async /pid == %d/ {\n"
		"  @f[str(*(uint64 *)(arg0 + %d), 32), *(uint32 *)(arg0 + %d)] = count();\n"
		"}\n"
		"uprobe:%s:qemu_set_vnet_hdr_len /pid == %d/ {\n"
		"  printf(\"V %%llu %%d %%s\\n\", nsecs, arg1, str(*(uint64 *)(arg0 + %d), 32));\n"
		"}\n"
		"uprobe:%s:qemu_using_vnet_hdr /pid == %d/ {\n"
		"  printf(\"U %%llu %%d %%s\\n\", nsecs, arg1 & 1, str(*(uint64 *)(arg0 + %d), "
		"32));\n"
		"}\n"
		"uprobe:%s:qemu_set_offload /pid == %d/ {\n"
		"  printf(\"O %%llu %%d %%s\\n\", nsecs, (arg1 & 1) | (arg2 & 1) << 1, "
		"str(*(uint64 *)(arg0 + %d), 32));\n"
		"}\n"
		"interval:ms:1000 { printf(\"T %%llu\\n\", nsecs); print(@f); clear(@f); "
		"printf(\"E\\n\"); }\n",
		exe, pid, external ? 16 : 8, external ? "arg3" : "arg2", NC_NAME, exe, pid, NC_NAME,
		NC_QUEUE_INDEX, exe, pid, NC_NAME, exe, pid, NC_NAME, exe, pid, NC_NAME);
}

struct readers *readers_start(pid_t pid, const char *qemu_version, const char *const *netdevs,
			      size_t n, char *why, size_t whysize)
{
	char link[64], exe[PATH_MAX], self[PATH_MAX], prog[4096];
	struct readers *r;
	ssize_t len;
	int pipefd[2];

	if (geteuid() != 0) {
		errmsg(why, whysize, -EPERM, "uprobes need root");
		return NULL;
	}
	snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[len > 0 ? len : 0] = '\0';
	/*
	 * Until the fork that makes QEMU has exec'd, its exe is the runner's;
	 * a wrapper script (the build tree's QEMU 10.0, a user's --qemu) is its
	 * shell's until it execs QEMU. Wait for a qemu* binary, 3 s at most;
	 * a QEMU by another name is then taken as it is.
	 */
	for (int tries = 0;; tries++) {
		const char *base;

		len = readlink(link, exe, sizeof(exe) - 1);
		if (len <= 0) {
			errmsg(why, whysize, -errno, "cannot read %s: %s", link, strerror(errno));
			return NULL;
		}
		exe[len] = '\0';
		base = strrchr(exe, '/') ? strrchr(exe, '/') + 1 : exe;
		if (strcmp(exe, self) && (!strncmp(base, "qemu", 4) || tries >= 300))
			break;
		if (tries >= 300) {
			errmsg(why, whysize, -ETIMEDOUT, "QEMU (pid %d) did not start within 3 s",
			       (int)pid);
			return NULL;
		}
		usleep(10000);
	}
	if (strpbrk(exe, "\"\n ")) {
		errmsg(why, whysize, -EINVAL, "QEMU's path '%s' cannot be named in a uprobe", exe);
		return NULL;
	}
	program(prog, sizeof(prog), exe, pid, qemu_version);
	r = calloc(1, sizeof(*r));
	if (r)
		r->counts = calloc(READERS_MAX_COUNTS, sizeof(*r->counts));
	if (!r || !r->counts || pipe2(pipefd, O_CLOEXEC) < 0) {
		errmsg(why, whysize, -ENOMEM, "out of memory");
		if (r)
			free(r->counts);
		free(r);
		return NULL;
	}
	snprintf(r->exe, sizeof(r->exe), "%s", exe);
	for (size_t i = 0; i < n && i < ARRAY_SIZE(r->names); i++)
		snprintf(r->names[r->nnames++], sizeof(r->names[0]), "%s", netdevs[i]);
	r->tracer = fork();
	if (r->tracer == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		/* -B line: each event as it happens, not when a pipe buffer fills. */
		execlp("bpftrace", "bpftrace", "-B", "line", "-e", prog, (char *)NULL);
		dprintf(1, "X cannot run bpftrace: %s: install it (apt install bpftrace)\n",
			strerror(errno));
		_exit(127);
	}
	close(pipefd[1]);
	if (r->tracer < 0) {
		errmsg(why, whysize, -errno, "fork: %s", strerror(errno));
		close(pipefd[0]);
		free(r->counts);
		free(r);
		return NULL;
	}
	r->out = pipefd[0];
	fcntl(r->out, F_SETFL, O_NONBLOCK);
	return r;
}

static bool wanted(const struct readers *r, const char *name)
{
	for (size_t i = 0; i < r->nnames; i++)
		if (!strncmp(name, r->names[i], strlen(r->names[i])))
			return true;
	return false;
}

/* "@f[net1-orig, 3]: 12" */
static void count_line(struct readers *r, const char *l)
{
	struct readers_count c = { .t = r->counts_t, .t_from = r->counts_from };
	unsigned long long frames;
	unsigned int queue;
	const char *comma;

	if (strncmp(l, "@f[", 3) || !(comma = strchr(l + 3, ',')) ||
	    (size_t)(comma - l - 3) >= sizeof(c.netdev) ||
	    sscanf(comma, ", %u]: %llu", &queue, &frames) != 2)
		return;
	snprintf(c.netdev, sizeof(c.netdev), "%.*s", (int)(comma - l - 3), l + 3);
	if (!wanted(r, c.netdev))
		return;
	c.queue = queue;
	c.frames = frames;
	if (r->ncounts == READERS_MAX_COUNTS)
		r->dropped++;
	else
		r->counts[r->ncounts++] = c;
}

static void add_change(struct readers *r, const struct readers_change *c, const char *netdev)
{
	struct readers_change *k;

	if (!wanted(r, netdev))
		return;
	if (r->nchanges == READERS_MAX_CHANGES) {
		r->dropped++;
		return;
	}
	k = &r->changes[r->nchanges++];
	*k = *c;
	snprintf(k->netdev, sizeof(k->netdev), "%s", netdev);
}

static void take_line(struct readers *r, const char *l)
{
	unsigned long long ns;
	unsigned int probes;
	int fd, reads, off = 0;

	if (sscanf(l, "Attaching %u probe", &probes) == 1 && probes < PROGRAM_PROBES_NEEDED) {
		r->short_attach = true;
		snprintf(r->error, sizeof(r->error),
			 "bpftrace attached %u of its %d probes: %s lacks the symbols of "
			 "the others (not a QEMU, or one built without them)",
			 probes, PROGRAM_PROBES, r->exe);
	} else if (sscanf(l, "T %llu", &ns) == 1) {
		r->attached = !r->short_attach;
		r->in_counts = true;
		r->counts_from = r->counts_t;
		r->counts_t = ns / 1e9;
	} else if (!strcmp(l, "E")) {
		r->in_counts = false;
	} else if (r->in_counts) {
		count_line(r, l);
	} else if (sscanf(l, "H %llu %d %d %n", &ns, &fd, &reads, &off) == 3 && off) {
		add_change(
			r,
			&(struct readers_change){
				.t = ns / 1e9, .what = READERS_HANDLER, .fd = fd, .reads = reads },
			l + off);
	} else if ((l[0] == 'V' || l[0] == 'U' || l[0] == 'O') &&
		   sscanf(l + 1, " %llu %d %n", &ns, &reads, &off) == 2 && off) {
		add_change(r,
			   &(struct readers_change){ .t = ns / 1e9,
						     .what = l[0] == 'V'   ? READERS_HDR_LEN
							     : l[0] == 'U' ? READERS_USING_HDR
									   : READERS_OFFLOAD,
						     .fd = -1,
						     .value = reads },
			   l + 1 + off);
	} else if (!r->error[0] && (!strncmp(l, "ERROR", 5) || !strncmp(l, "X ", 2)) &&
		   !strstr(l, "RLIMIT_MEMLOCK") && !strstr(l, "failed to detach")) {
		/* bpftrace's own words: an unresolved symbol, no BPF here, ... */
		snprintf(r->error, sizeof(r->error), "%s", l[0] == 'X' ? l + 2 : l);
	}
}

void readers_poll(struct readers *r)
{
	char buf[4096];
	ssize_t n;

	if (!r || r->out < 0)
		return;
	while ((n = read(r->out, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] != '\n') {
				if (r->len < sizeof(r->line) - 1)
					r->line[r->len++] = buf[i];
				continue;
			}
			r->line[r->len] = '\0';
			take_line(r, r->line);
			r->len = 0;
		}
	if (n == 0) {
		close(r->out);
		r->out = -1;
	}
}

bool readers_attached(const struct readers *r)
{
	return r && r->attached;
}

void readers_stop(struct readers *r)
{
	if (!r || r->tracer <= 0)
		return;
	kill(r->tracer, SIGINT); /* bpftrace prints its maps and detaches */
	for (int i = 0; i < 50 && r->out >= 0; i++) {
		readers_poll(r);
		usleep(20000);
	}
	kill(r->tracer, SIGKILL);
	waitpid(r->tracer, NULL, 0);
	r->tracer = 0;
	readers_poll(r);
}

size_t readers_changes(const struct readers *r, const struct readers_change **out)
{
	*out = r ? r->changes : NULL;
	return r ? r->nchanges : 0;
}

size_t readers_counts(const struct readers *r, const struct readers_count **out)
{
	*out = r ? r->counts : NULL;
	return r ? r->ncounts : 0;
}

size_t readers_dropped(const struct readers *r)
{
	return r ? r->dropped : 0;
}

const char *readers_error(const struct readers *r)
{
	return r ? r->error : "";
}

void readers_free(struct readers *r)
{
	if (!r)
		return;
	readers_stop(r);
	if (r->out >= 0)
		close(r->out);
	free(r->counts);
	free(r);
}
