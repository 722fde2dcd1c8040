// SPDX-License-Identifier: GPL-2.0-or-later
#include "mmio.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "clock.h"
#include "registers.h"

/*
 * The child's stream: one header (0, or -errno and the step that failed),
 * then the job's records. The parent counts records to know how far the
 * child got before it died.
 */
struct child_header {
	int32_t error;
	int32_t step;
};

enum { STEP_OPEN, STEP_MMAP, STEP_READ, STEP_WRITE };
static const char *const step_names[] = { "open", "mmap", "read", "write" };

struct job {
	bool write;
	const uint16_t *offsets; /* read job */
	size_t n;
	unsigned int limit_ms; /* clock job */
};

static void put(int fd, const void *p, size_t n)
{
	if (write(fd, p, n) != (ssize_t)n)
		_exit(1);
}

static void run_clock(int fd, volatile uint8_t *base, unsigned int limit_ms)
{
	volatile uint16_t *clk = (volatile uint16_t *)(base + sdhci_regs_info[SDHCI_CLOCK].offset);
	uint16_t en = 1u << sdhci_fields_info[CLOCK_INT_EN].shift;
	uint16_t stable = 1u << sdhci_fields_info[CLOCK_INT_STABLE].shift;
	uint16_t card = 1u << sdhci_fields_info[CLOCK_CARD_EN].shift;
	struct mmio_clock_test t = { 0 };
	uint64_t start;

	t.before = *clk;
	/* Internal clock only: the card clock stays off, as in sdhci_enable_clk(). */
	*clk = (t.before & ~card) | en;
	start = now_us();
	do {
		t.after = *clk;
		t.stable = t.after & stable;
		t.waited_us = now_us() - start;
		if (!t.stable)
			usleep(100);
	} while (!t.stable && t.waited_us < limit_ms * 1000u);
	*clk = t.before;
	put(fd, &t, sizeof(t));
}

static void __attribute__((noreturn))
child(int fd, const struct mmio_window *w, const struct job *job)
{
	struct child_header h = { 0 };
	long page = sysconf(_SC_PAGESIZE);
	uint64_t start = w->offset & ~(uint64_t)(page - 1);
	size_t len = (w->offset - start) + SDHCI_WINDOW;
	volatile uint8_t *base;
	void *map;
	int dev;

	/* A fault must kill this child with its signal, whatever handler came with fork. */
	signal(SIGBUS, SIG_DFL);
	signal(SIGSEGV, SIG_DFL);
	/* O_SYNC: /dev/mem maps uncached, as MMIO must be. */
	dev = open(w->path, (job->write ? O_RDWR : O_RDONLY) | O_SYNC | O_CLOEXEC);
	if (dev < 0) {
		h = (struct child_header){ -errno, STEP_OPEN };
		put(fd, &h, sizeof(h));
		_exit(0);
	}
	len = (len + page - 1) & ~(size_t)(page - 1);
	map = mmap(NULL, len, PROT_READ | (job->write ? PROT_WRITE : 0), MAP_SHARED, dev,
		   (off_t)start);
	if (map == MAP_FAILED) {
		h = (struct child_header){ -errno, STEP_MMAP };
		put(fd, &h, sizeof(h));
		_exit(0);
	}
	put(fd, &h, sizeof(h));
	base = (volatile uint8_t *)map + (w->offset - start);
	if (job->write) {
		run_clock(fd, base, job->limit_ms);
	} else {
		for (size_t i = 0; i < job->n; i++) {
			uint32_t v = *(volatile uint32_t *)(base + job->offsets[i]);

			put(fd, &v, sizeof(v));
		}
	}
	_exit(0);
}

/*
 * Fork, collect up to `size` bytes of records into out, reap. *got is how
 * many bytes of records arrived. Returns 0, -errno from the child's open or
 * mmap (step in fault), -EFAULT on a fatal signal, -ETIMEDOUT on a hang.
 */
static int run_job(const struct mmio_window *w, const struct job *job, void *out, size_t size,
		   size_t *got, struct mmio_fault *fault)
{
	struct child_header h;
	size_t have = 0, hdr_have = 0;
	uint64_t deadline = now_us() + MMIO_TIMEOUT_MS * 1000ull;
	bool hung = false;
	int fds[2], status, r = 0;
	pid_t pid;

	*fault = (struct mmio_fault){ .step = step_names[job->write ? STEP_WRITE : STEP_READ] };
	*got = 0;
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		r = -errno;
		close(fds[0]);
		close(fds[1]);
		return r;
	}
	if (pid == 0) {
		close(fds[0]);
		child(fds[1], w, job);
	}
	close(fds[1]);
	for (;;) {
		struct pollfd p = { .fd = fds[0], .events = POLLIN };
		uint64_t now = now_us();
		char buf[256];
		ssize_t n;

		if (now >= deadline) {
			hung = true;
			break;
		}
		if (poll(&p, 1, (int)((deadline - now) / 1000) + 1) <= 0)
			continue;
		n = read(fds[0], buf, sizeof(buf));
		if (n <= 0)
			break;
		for (ssize_t i = 0; i < n; i++) {
			if (hdr_have < sizeof(h))
				((char *)&h)[hdr_have++] = buf[i];
			else if (have < size)
				((char *)out)[have++] = buf[i];
		}
	}
	close(fds[0]);
	if (hung)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	*got = have;
	if (hdr_have == sizeof(h) && h.error) {
		fault->step = step_names[h.step == STEP_OPEN ? STEP_OPEN : STEP_MMAP];
		return h.error;
	}
	if (hdr_have < sizeof(h))
		fault->step = "mmap";
	if (hung)
		return -ETIMEDOUT;
	if (WIFSIGNALED(status)) {
		fault->signal = WTERMSIG(status);
		return -EFAULT;
	}
	return hdr_have == sizeof(h) ? 0 : -EIO;
}

int mmio_read_dwords(const struct mmio_window *w, const uint16_t *offsets, size_t n,
		     uint32_t *values, size_t *nread, struct mmio_fault *fault)
{
	struct job job = { .offsets = offsets, .n = n };
	size_t got;
	int r = run_job(w, &job, values, n * sizeof(*values), &got, fault);

	*nread = got / sizeof(*values);
	if (r == -EFAULT || r == -ETIMEDOUT)
		fault->offset = *nread < n ? offsets[*nread] : 0;
	return r;
}

int mmio_clock_test(const struct mmio_window *w, unsigned int limit_ms, struct mmio_clock_test *out,
		    struct mmio_fault *fault)
{
	struct job job = { .write = true, .limit_ms = limit_ms };
	size_t got;
	int r = run_job(w, &job, out, sizeof(*out), &got, fault);

	if (r == -EFAULT || r == -ETIMEDOUT)
		fault->offset = sdhci_regs_info[SDHCI_CLOCK].offset;
	if (r == 0 && got != sizeof(*out))
		r = -EIO;
	return r;
}
