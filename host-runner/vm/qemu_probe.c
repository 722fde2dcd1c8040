// SPDX-License-Identifier: GPL-2.0-or-later
#include "vm/qemu_probe.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "clock.h"
#include "errmsg.h"

#include "devices/device_type.h"
#include "vm/qemu_argv.h"

extern char **environ;

/* A QEMU answers these in well under a second; a hung one is killed. */
#define PROBE_TIMEOUT_MS 15000
#define PROBE_MAX_OUTPUT (1u << 20)

/*
 * The first QEMU with a device or a device option, for the message that
 * names the QEMU a scenario needs. Devices not listed here are still
 * checked against `-device help`; only the "came with" part is missing.
 */
static const struct qemu_feature {
	const char *device; /* -device DRIVER */
	const char *option; /* "zoned=true" among its options; NULL: the device itself */
	unsigned int major, minor;
	const char *what;
} qemu_features[] = {
	{ "nvme-ns", NULL, 5, 2, "NVMe namespaces (nvme-ns)" },
	{ "nvme-ns", "zoned=true", 6, 0, "zoned NVMe namespaces (nvme-ns with zoned=true)" },
};

static const struct {
	const char *binary, *package;
} qemu_packages[] = {
	{ "qemu-system-x86_64", "qemu-system-x86" },
	{ "qemu-system-aarch64", "qemu-system-arm" },
};

int qemu_version_parse(const char *text, struct qemu_version *v)
{
	static const char key[] = "QEMU emulator version ";
	const char *p = text ? strstr(text, key) : NULL;
	unsigned int major, minor, micro = 0;
	int n = 0;

	if (!p)
		return -EINVAL;
	p += strlen(key);
	/* "10.0.2", "7.2.22", "8.2.0 (v8.2.0)", or a git build's "9.0.50". */
	if (sscanf(p, "%u.%u%n", &major, &minor, &n) != 2)
		return -EINVAL;
	if (p[n] == '.' && sscanf(p + n, ".%u", &micro) != 1)
		return -EINVAL;
	*v = (struct qemu_version){ .major = major, .minor = minor, .micro = micro };
	snprintf(v->text, sizeof(v->text), "%u.%u.%u", major, minor, micro);
	return 0;
}

int qemu_version_cmp(const struct qemu_version *v, unsigned int major, unsigned int minor)
{
	if (v->major != major)
		return v->major < major ? -1 : 1;
	if (v->minor != minor)
		return v->minor < minor ? -1 : 1;
	return 0;
}

bool qemu_device_listed(const char *help, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = help; p && (p = strstr(p, "name \"")); p++) {
		bool line_start = p == help || p[-1] == '\n';

		if (line_start && !strncmp(p + 6, name, n) && p[6 + n] == '"')
			return true;
	}
	return false;
}

void qemu_for_arch(const char *file, const char *arch_binary, char *buf, size_t size)
{
	const char *base = strrchr(file, '/');

	base = base ? base + 1 : file;
	if (strncmp(base, "qemu-system-", 12) || !arch_binary) {
		snprintf(buf, size, "%s", file);
		return;
	}
	snprintf(buf, size, "%.*s%s", (int)(base - file), file, arch_binary);
}

const char *qemu_package(const char *binary)
{
	const char *base = strrchr(binary, '/');

	base = base ? base + 1 : binary;
	for (size_t i = 0; i < ARRAY_SIZE(qemu_packages); i++)
		if (!strcmp(base, qemu_packages[i].binary))
			return qemu_packages[i].package;
	return "qemu-system-x86";
}

/* The file to run: `path` itself when it has a '/', else the first on PATH. */
static int locate(const char *path, char *buf, size_t size)
{
	_cleanup_free_ char *dirs = NULL;
	char *dir, *save;

	if (strchr(path, '/')) {
		if (access(path, X_OK) < 0)
			return -errno;
		snprintf(buf, size, "%s", path);
		return 0;
	}
	dirs = strdup(getenv("PATH") ?: "/usr/local/bin:/usr/bin:/bin");
	if (!dirs)
		return -ENOMEM;
	for (dir = strtok_r(dirs, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		if (snprintf(buf, size, "%s/%s", dir[0] ? dir : ".", path) >= (int)size)
			continue;
		if (access(buf, X_OK) == 0)
			return 0;
	}
	return -ENOENT;
}

/*
 * Run argv with stdin from /dev/null; its stdout and stderr (at most
 * PROBE_MAX_OUTPUT, NUL-terminated) into *out. 0 and the wait status, or
 * -ETIMEDOUT (killed) or another -errno.
 */
static int probe_run(char *const argv[], char **out, int *status)
{
	_cleanup_free_ char *buf = malloc(PROBE_MAX_OUTPUT + 1);
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	uint64_t deadline = now_ms() + PROBE_TIMEOUT_MS;
	size_t len = 0;
	sigset_t none;
	int pipefd[2], r;
	pid_t pid;

	if (!buf)
		return -ENOMEM;
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -errno;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
	/* The runner may block signals for its signalfd; QEMU must not inherit that. */
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
	r = posix_spawn(&pid, argv[0], &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(pipefd[1]);
	if (r) {
		close(pipefd[0]);
		return -r;
	}
	for (;;) {
		struct pollfd p = { .fd = pipefd[0], .events = POLLIN };
		uint64_t now = now_ms();
		char chunk[4096];
		ssize_t n;

		if (now >= deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, status, 0);
			close(pipefd[0]);
			return -ETIMEDOUT;
		}
		if (poll(&p, 1, (int)(deadline - now) + 1) <= 0)
			continue;
		n = read(pipefd[0], chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		/* What does not fit is dropped: the answers needed come first. */
		if ((size_t)n > PROBE_MAX_OUTPUT - len)
			n = PROBE_MAX_OUTPUT - len;
		memcpy(buf + len, chunk, n);
		len += n;
	}
	close(pipefd[0]);
	/* The output ended; a QEMU that lingers after closing it still gets the limit. */
	while (waitpid(pid, status, WNOHANG) == 0) {
		if (now_ms() >= deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, status, 0);
			return -ETIMEDOUT;
		}
		usleep(10000);
	}
	buf[len] = '\0';
	*out = TAKE_PTR(buf);
	return 0;
}

/* The first line of text, for messages: at most 120 characters. */
static const char *first_line(const char *text, char *buf, size_t size)
{
	snprintf(buf, size < 121 ? size : 121, "%.*s", (int)strcspn(text, "\n"), text);
	return buf;
}

static int ask_version(struct qemu_binary *q, char *err, size_t errsize)
{
	char *argv[] = { q->path, "-version", NULL };
	_cleanup_free_ char *out = NULL;
	char line[128];
	int status = 0, r = probe_run(argv, &out, &status);

	if (r == -ETIMEDOUT)
		return errmsg(err, errsize, -EIO,
			      "%s -version did not answer within %d s: name a working QEMU "
			      "with --qemu FILE",
			      q->path, PROBE_TIMEOUT_MS / 1000);
	if (r < 0)
		return errmsg(err, errsize, -EIO,
			      "cannot run %s: %s: name a QEMU binary with --qemu FILE", q->path,
			      strerror(-r));
	if (qemu_version_parse(out, &q->version) < 0)
		return errmsg(err, errsize, -EIO,
			      "%s -version printed no QEMU version (%s '%s'): is it a QEMU "
			      "binary? Name one with --qemu FILE",
			      q->path,
			      WIFSIGNALED(status) ? "killed by a signal, output"
						  : "its output starts",
			      first_line(out, line, sizeof(line)));
	return 0;
}

struct qemu_binary *qemu_cache_get(struct qemu_cache *c, const char *path, int *error, char *err,
				   size_t errsize)
{
	char found[PATH_MAX];
	struct qemu_binary *q;
	int r = locate(path, found, sizeof(found));

	if (r < 0) {
		*error = r;
		if (r == -ENOENT && !strchr(path, '/'))
			errmsg(err, errsize, r,
			       "%s is not on PATH: install %s (apt-get install %s) or "
			       "name a QEMU with --qemu FILE",
			       path, qemu_package(path), qemu_package(path));
		else
			errmsg(err, errsize, r, "%s: %s", path, strerror(-r));
		return NULL;
	}
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->bin[i].path, found))
			return &c->bin[i];
	if (c->n == QEMU_CACHE_MAX) {
		*error = -E2BIG;
		errmsg(err, errsize, -E2BIG, "more than %d QEMU binaries in one run: name fewer",
		       QEMU_CACHE_MAX);
		return NULL;
	}
	q = &c->bin[c->n];
	*q = (struct qemu_binary){ 0 };
	snprintf(q->path, sizeof(q->path), "%s", found);
	r = ask_version(q, err, errsize);
	if (r < 0) {
		*error = r;
		return NULL;
	}
	c->n++;
	return q;
}

/* `-device help` once; NULL devices when this QEMU cannot list them (see below). */
static void ask_devices(struct qemu_binary *q)
{
	char *argv[] = { q->path, "-machine", "none", "-device", "help", NULL };
	int status;

	if (q->devices_asked)
		return;
	q->devices_asked = true;
	if (probe_run(argv, &q->devices, &status) < 0)
		return;
	/*
	 * Listing loads every module: a QEMU unpacked beside another that finds
	 * the other's modules aborts ("Only modules from the same build can be
	 * loaded") and lists nothing. Then each device is asked on its own.
	 */
	if (!WIFEXITED(status) || WEXITSTATUS(status) || !strstr(q->devices, "name \"")) {
		free(q->devices);
		q->devices = NULL;
	}
}

/* Has q got device `name`? From the list, else `-device NAME,help`. */
static bool has_device(struct qemu_binary *q, const char *name)
{
	char opt[96], *argv[] = { q->path, "-machine", "none", "-device", opt, NULL };
	_cleanup_free_ char *out = NULL;
	char needle[96];
	int status;

	ask_devices(q);
	if (q->devices)
		return qemu_device_listed(q->devices, name);
	snprintf(opt, sizeof(opt), "%s,help", name);
	if (probe_run(argv, &out, &status) < 0)
		return true; /* cannot tell: QEMU itself will say at start */
	snprintf(needle, sizeof(needle), "'%s' not found", name);
	return !strstr(out, needle);
}

bool qemu_machine_audiodev(struct qemu_binary *q, const char *machine)
{
	char opt[64], *argv[] = { q->path, "-machine", opt, NULL };
	_cleanup_free_ char *out = NULL;
	int status;

	if (q->machine_audiodev != QEMU_UNKNOWN && !strcmp(q->audio_machine, machine))
		return q->machine_audiodev == QEMU_YES;
	snprintf(q->audio_machine, sizeof(q->audio_machine), "%s", machine);
	snprintf(opt, sizeof(opt), "%s,help", machine);
	q->machine_audiodev = QEMU_NO;
	if (probe_run(argv, &out, &status) == 0 && strstr(out, "audiodev="))
		q->machine_audiodev = QEMU_YES;
	return q->machine_audiodev == QEMU_YES;
}

/* One -device value against q: 0, or -ENODEV with the message. */
static int check_device(struct qemu_binary *q, const char *value, const char *scenario,
			const char *who, char *err, size_t errsize)
{
	char driver[64];

	snprintf(driver, sizeof(driver), "%.*s", (int)strcspn(value, ","), value);
	for (size_t i = 0; i < ARRAY_SIZE(qemu_features); i++) {
		const struct qemu_feature *f = &qemu_features[i];
		char opt[64];

		if (strcmp(f->device, driver))
			continue;
		snprintf(opt, sizeof(opt), ",%s", f->option ?: "");
		if (f->option && !strstr(value, opt))
			continue;
		if (qemu_version_cmp(&q->version, f->major, f->minor) < 0)
			return errmsg(err, errsize, -ENODEV,
				      "%s: %s needs %s, which came with QEMU %u.%u; %s is QEMU %s: "
				      "name a newer QEMU with --qemu FILE",
				      scenario, who, f->what, f->major, f->minor, q->path,
				      q->version.text);
	}
	if (has_device(q, driver))
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(qemu_features); i++)
		if (!strcmp(qemu_features[i].device, driver) && !qemu_features[i].option)
			return errmsg(err, errsize, -ENODEV,
				      "%s: %s needs QEMU's %s device (QEMU %u.%u and later), and "
				      "%s (QEMU %s) has none: name a QEMU built with it with "
				      "--qemu FILE",
				      scenario, who, driver, qemu_features[i].major,
				      qemu_features[i].minor, q->path, q->version.text);
	return errmsg(err, errsize, -ENODEV,
		      "%s: %s needs QEMU's %s device, and %s (QEMU %s) has none (not in "
		      "its -device help: too old, or built without it): name a QEMU that "
		      "lists it with --qemu FILE",
		      scenario, who, driver, q->path, q->version.text);
}

static int check_argv(struct qemu_binary *q, const struct strv *argv, const char *scenario,
		      const char *who, char *err, size_t errsize)
{
	for (size_t i = 0; i + 1 < argv->n; i++) {
		int r;

		if (strcmp(argv->v[i], "-device"))
			continue;
		r = check_device(q, argv->v[i + 1], scenario, who, err, errsize);
		if (r < 0)
			return r;
	}
	return 0;
}

int qemu_check_scenario(struct qemu_binary *q, const struct scenario *s, char *err, size_t errsize)
{
	struct qemu_plan plan = { .binary = q->path,
				  .kernel = "vmlinuz",
				  .initrd = "initrd",
				  .accel = "tcg",
				  .rundir = "/rundir" };
	struct strv all = { 0 };
	int r = 0;

	/* Each device's own arguments first, so the message names the device. */
	for (size_t i = 0; i < s->ndevices && r == 0; i++) {
		const struct scenario_device *d = &s->devices[i];
		struct strv one = { 0 };
		char who[64], image[PATH_MAX];

		qemu_device_image(d, plan.rundir, image, sizeof(image));
		d->type->qemu_args(d, s, image, &one);
		snprintf(who, sizeof(who), "[device %s]", d->name);
		r = one.error ?: check_argv(q, &one, s->name, who, err, errsize);
		strv_free(&one);
	}
	/* Then the machine's and the agent's channel. */
	if (r == 0) {
		r = qemu_argv_build(s, &plan, &all)
			    ?: check_argv(q, &all, s->name, "the agent's channel", err, errsize);
		strv_free(&all);
	}
	if (r == -ENOMEM)
		return errmsg(err, errsize, r, "out of memory");
	return r;
}

void qemu_cache_free(struct qemu_cache *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->bin[i].devices);
	c->n = 0;
}
