// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The guest's virtio_net driver released and bound again on a schedule while
 * the probe runs (virtio_release.h).
 */
#include "virtio_release.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "sysroot.h"

#define DRIVER_DIR   "/sys/bus/virtio/drivers/virtio_net"
#define STOP_WAIT_MS 10000 /* a bind probes the device: allow it time */

static volatile sig_atomic_t stop_requested;

static void on_term(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* The devices the driver holds now: its "virtioN" links. */
static int find_devices(const struct sysroot *root, struct virtio_release_log *log)
{
	char dir[512];
	struct dirent *d;
	DIR *dp;
	int r = sysroot_path(root, dir, sizeof(dir), DRIVER_DIR);

	if (r < 0)
		return r;
	dp = opendir(dir);
	if (!dp)
		return errno == ENOENT ? -ENODEV : -errno;
	while ((d = readdir(dp)) && log->ndevs < VIRTIO_RELEASE_MAX_DEVS)
		if (!strncmp(d->d_name, "virtio", 6) && strlen(d->d_name) < sizeof(log->devs[0]))
			strcpy(log->devs[log->ndevs++], d->d_name);
	closedir(dp);
	return log->ndevs ? 0 : -ENODEV;
}

static void record(struct virtio_release_log *log, uint32_t dev, bool bound, int error)
{
	if (log->nevents >= VIRTIO_RELEASE_MAX_EVENTS) {
		log->dropped++;
		return;
	}
	log->ev[log->nevents] = (struct virtio_release_event){
		.t_ns = now_ns(), .bound = bound, .dev = dev, .error = (int16_t)-error
	};
	__atomic_store_n(&log->nevents, log->nevents + 1, __ATOMIC_RELEASE);
}

static void set_all(const struct sysroot *root, struct virtio_release_log *log, bool bind)
{
	for (uint32_t i = 0; i < log->ndevs; i++)
		record(log, i, bind,
		       sysroot_write(root, log->devs[i], DRIVER_DIR "/%s",
				     bind ? "bind" : "unbind"));
}

/* Sleep until deadline (CLOCK_MONOTONIC ns); false when asked to stop. */
static bool sleep_until(uint64_t deadline)
{
	struct timespec ts = { .tv_sec = deadline / 1000000000ull,
			       .tv_nsec = deadline % 1000000000ull };

	while (!stop_requested)
		if (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == 0)
			return !stop_requested;
	return false;
}

static void child_cycle(const struct sysroot *root, struct virtio_release_log *log,
			uint64_t released_ns, uint64_t bound_ns, uint64_t t0, uint64_t end)
{
	bool released = false;

	for (uint64_t start = t0; start < end; start += released_ns + bound_ns) {
		if (!sleep_until(start))
			break;
		set_all(root, log, false);
		released = true;
		if (!sleep_until(start + released_ns < end ? start + released_ns : end))
			break;
		set_all(root, log, true);
		released = false;
	}
	/* The guest is left as it booted: its driver holding the NICs. */
	if (released)
		set_all(root, log, true);
	_exit(0);
}

int virtio_release_start(struct virtio_release *vr, const struct sysroot *root,
			 uint32_t released_ms, uint32_t bound_ms, uint64_t t0, uint64_t end)
{
	struct sigaction sa = { .sa_handler = on_term };
	pid_t pid;
	int r;

	*vr = (struct virtio_release){ 0 };
	vr->log = mmap(NULL, sizeof(*vr->log), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		       -1, 0);
	if (vr->log == MAP_FAILED) {
		vr->log = NULL;
		return -errno;
	}
	r = find_devices(root, vr->log);
	if (r < 0)
		return r;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		sigaction(SIGTERM, &sa, NULL);
		child_cycle(root, vr->log, released_ms * 1000000ull, bound_ms * 1000000ull, t0,
			    end);
	}
	vr->pid = pid;
	return 0;
}

void virtio_release_stop(struct virtio_release *vr)
{
	uint64_t deadline = now_ms() + STOP_WAIT_MS;
	int status;

	if (!vr->pid)
		return;
	kill(vr->pid, SIGTERM);
	while (waitpid(vr->pid, &status, WNOHANG) == 0) {
		if (now_ms() > deadline) {
			kill(vr->pid, SIGKILL);
			waitpid(vr->pid, &status, 0);
			break;
		}
		usleep(10000);
	}
	vr->pid = 0;
}

void virtio_release_split(const struct virtio_release_log *log, uint64_t probe_t0,
			  const struct probe_result *res, struct virtio_release_split *out)
{
	uint32_t e = 0;
	bool released = false;

	*out = (struct virtio_release_split){ 0 };
	for (uint32_t i = 0; i < res->n; i++) {
		const struct probe_slot *s = &res->slots[i];
		uint64_t t = probe_t0 + (uint64_t)s->sent_us * 1000;

		if (s->state == PROBE_UNSENT)
			continue;
		/* The state after the last event before this probe's send. */
		while (e < log->nevents && log->ev[e].t_ns <= t) {
			if (!log->ev[e].error)
				released = !log->ev[e].bound;
			e++;
		}
		if (released) {
			out->released_sent++;
			out->released_answered += s->state == PROBE_ECHOED;
		} else {
			out->bound_sent++;
			out->bound_answered += s->state == PROBE_ECHOED;
		}
	}
}

void virtio_release_free(struct virtio_release *vr)
{
	if (vr->log)
		munmap(vr->log, sizeof(*vr->log));
	vr->log = NULL;
}
