// SPDX-License-Identifier: GPL-2.0-or-later
#include "runset/run_set.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"

#include "report/report_set.h"
#include "report/results_lock.h"
#include "session/guest_image.h"
#include "session/run_result.h"
#include "vm/qemu_argv.h"
#include "vm/vm.h"

#define MAX_JOBS 512

struct run_set_state {
	const struct run_options *o;
	struct set_job *jobs;
	size_t njobs;
	const char *qemu_versions[RUN_MAX_QEMUS]; /* of each --qemu, in the cache */
	char dir[PATH_MAX];
	unsigned int parallel;
	bool tty;
	size_t drawn; /* lines of the live display on screen */
	bool dirty;   /* something changed since it was drawn */
	double drawn_at;
	double start;
};

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct set_job *)a)->name, ((const struct set_job *)b)->name);
}

void set_job_name(char *buf, size_t size, const char *scenario, const char *release,
		  const char *qemu_version)
{
	snprintf(buf, size, "%s%s%s%s%s", scenario, release ? "@" : "", release ?: "",
		 qemu_version ? "@qemu-" : "", qemu_version ?: "");
}

/*
 * One job; `qemu` is its --qemu FILE (or NULL) and `named` the QEMU version
 * its name carries (NULL: none). The version of the binary the job really
 * runs is asked now, once per binary (the jobs inherit the cache); one that
 * cannot be asked is left to the job, which fails saying why.
 */
static int add_job(struct run_set_state *st, const char *file, const char *kernel, const char *qemu,
		   const char *named)
{
	struct qemu_binary *q;
	char binary[PATH_MAX];
	int error;
	struct set_job *j;
	struct scenario s;
	char err[1024], path[PATH_MAX], release[128] = "";

	if (st->njobs == MAX_JOBS) {
		fprintf(stderr, "guestcheck: more than %d jobs: split the run set\n", MAX_JOBS);
		return -E2BIG;
	}
	/* Every scenario is checked before anything boots. */
	if (scenario_load(&s, file, err, sizeof(err)) < 0) {
		fprintf(stderr, "guestcheck: %s\n", err);
		return -EINVAL;
	}
	if (kernel && kernel_release(kernel, release, sizeof(release)) < 0) {
		fprintf(stderr, "guestcheck: %s: not a kernel image: fix --kernel\n", kernel);
		scenario_free(&s);
		return -EINVAL;
	}
	if (kernel && guest_kernel_fits(kernel, "--kernel", &s)) {
		scenario_free(&s);
		return -EINVAL;
	}
	j = &st->jobs[st->njobs++];
	*j = (struct set_job){ .kernel = kernel, .verdict = -1, .fd = -1, .log = -1 };
	snprintf(j->scenario, sizeof(j->scenario), "%s", file);
	snprintf(j->release, sizeof(j->release), "%s", release);
	j->qemu = qemu;
	set_job_name(j->name, sizeof(j->name), s.name, st->o->nkernels > 1 ? release : NULL, named);
	guest_qemu_path(qemu ?: getenv("GUESTCHECK_QEMU"), &s, binary, sizeof(binary));
	q = qemu_cache_get(st->o->qemu_cache, binary, &error, err, sizeof(err));
	if (q) {
		snprintf(j->qemu_version, sizeof(j->qemu_version), "%s", q->version.text);
		/* Its devices and machine too, so no job asks again; each job says its verdict. */
		qemu_check_scenario(q, &s, err, sizeof(err));
		if (qemu_machine_has_audio(s.machine))
			qemu_machine_audiodev(q, s.machine);
	}
	scenario_free(&s);
	for (size_t i = 0; i + 1 < st->njobs; i++)
		if (!strcmp(st->jobs[i].name, j->name)) {
			fprintf(stderr, "guestcheck: %s and %s are both named %s: rename one\n",
				st->jobs[i].scenario, file, j->name);
			return -EINVAL;
		}
	snprintf(path, sizeof(path), "%s/%s", st->dir, j->name);
	snprintf(j->dir, sizeof(j->dir), "%s", path);
	return 0;
}

static int is_ini(const struct dirent *de)
{
	size_t n = strlen(de->d_name);

	return n > 4 && !strcmp(de->d_name + n - 4, ".ini");
}

/* One scenario file on every kernel under every QEMU. */
static int add_jobs(struct run_set_state *st, const char *file)
{
	const struct run_options *o = st->o;
	int r = 0;

	for (size_t k = 0; k < (o->nkernels ?: 1) && r == 0; k++)
		for (size_t q = 0; q < (o->nqemus ?: 1) && r == 0; q++)
			r = add_job(st, file, o->nkernels ? o->kernels[k] : NULL,
				    o->nqemus ? o->qemus[q] : NULL,
				    o->nqemus > 1 ? st->qemu_versions[q] : NULL);
	return r;
}

/*
 * Every --qemu FILE asked for its version before anything boots: it names
 * the jobs, so a FILE that is no QEMU, or two of one version, stop the set.
 */
static int ask_qemus(struct run_set_state *st)
{
	const struct run_options *o = st->o;
	char err[PATH_MAX + 256];
	int error;

	for (size_t i = 0; i < o->nqemus; i++) {
		const struct qemu_binary *q =
			qemu_cache_get(o->qemu_cache, o->qemus[i], &error, err, sizeof(err));

		if (!q) {
			if (error == -EIO)
				fprintf(stderr, "guestcheck: %s\n", err);
			else
				fprintf(stderr,
					"guestcheck: --qemu %s: %s: name a QEMU binary, e.g. "
					"--qemu /usr/bin/qemu-system-x86_64\n",
					o->qemus[i], strerror(-error));
			return -EINVAL;
		}
		st->qemu_versions[i] = q->version.text;
		for (size_t k = 0; k < i; k++)
			if (!strcmp(st->qemu_versions[k], q->version.text)) {
				fprintf(stderr,
					"guestcheck: --qemu %s and --qemu %s are both QEMU %s: "
					"jobs are named by QEMU version: name each version "
					"once\n",
					o->qemus[k], o->qemus[i], q->version.text);
				return -EINVAL;
			}
	}
	return 0;
}

/* Every SCENARIO and every DIR's *.ini, on every kernel, under every QEMU. */
static int build_jobs(struct run_set_state *st)
{
	const struct run_options *o = st->o;

	if (ask_qemus(st) < 0)
		return -EINVAL;

	for (size_t i = 0; i < o->nscenarios; i++) {
		struct dirent **list = NULL;
		struct stat sb;
		int n, r = 0;

		if (stat(o->scenarios[i], &sb) < 0 || !S_ISDIR(sb.st_mode)) {
			r = add_jobs(st, o->scenarios[i]);
			if (r < 0)
				return r;
			continue;
		}
		n = scandir(o->scenarios[i], &list, is_ini, alphasort);
		if (n <= 0) {
			fprintf(stderr, "guestcheck: %s: no *.ini scenarios in this folder\n",
				o->scenarios[i]);
			free(list);
			return -ENOENT;
		}
		for (int e = 0; e < n; e++) {
			char file[PATH_MAX];

			snprintf(file, sizeof(file), "%s/%s", o->scenarios[i], list[e]->d_name);
			if (r == 0)
				r = add_jobs(st, file);
			free(list[e]);
		}
		free(list);
		if (r < 0)
			return r;
	}
	return 0;
}

/* --shard I/N: every N-th job of the sorted list, so N CI jobs cover all, once. */
static void keep_shard(struct run_set_state *st)
{
	size_t kept = 0;

	qsort(st->jobs, st->njobs, sizeof(*st->jobs), by_name);
	if (!st->o->nshards)
		return;
	for (size_t i = 0; i < st->njobs; i++)
		if (i % st->o->nshards == st->o->shard - 1)
			st->jobs[kept++] = st->jobs[i];
	st->njobs = kept;
}

static int start_job(struct run_set_state *st, struct set_job *j)
{
	char log[PATH_MAX + 16];
	int pipefd[2];
	pid_t pid;

	if (mkdir(j->dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	snprintf(log, sizeof(log), "%s/runner.log", j->dir);
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return -errno;
	}
	if (pid == 0) {
		struct run_options jo = *st->o;
		sigset_t none;

		/* The set's runner going away stops the job (and so its QEMU). */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		setvbuf(stdout, NULL, _IOLBF, 0);
		jo.scenario_path = j->scenario;
		jo.kernel = j->kernel;
		jo.qemu = j->qemu;
		jo.quiet = false;
		snprintf(jo.results_dir, sizeof(jo.results_dir), "%s", j->dir);
		_exit(run_single(&jo));
	}
	close(pipefd[1]);
	j->pid = pid;
	j->fd = pipefd[0];
	j->log = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	j->started = now_s();
	j->len = 0;
	snprintf(j->status, sizeof(j->status), "starting");
	j->error[0] = '\0';
	st->dirty = true;
	j->attempts++;
	return 0;
}

static void clear_display(struct run_set_state *st)
{
	for (; st->tty && st->drawn; st->drawn--)
		fputs("\033[1A\033[2K", stderr);
}

static void draw_display(struct run_set_state *st)
{
	size_t done = 0, running = 0;

	/* Redraw on news, or once a second for the clocks: no flicker. */
	if (!st->tty || (!st->dirty && now_s() - st->drawn_at < 1))
		return;
	st->dirty = false;
	st->drawn_at = now_s();
	clear_display(st);
	for (size_t i = 0; i < st->njobs; i++) {
		done += st->jobs[i].verdict >= 0 && st->jobs[i].pid == 0;
		running += st->jobs[i].pid > 0;
	}
	fprintf(stderr, "guestcheck: %zu of %zu done, %zu running, %.0f s\n", done, st->njobs,
		running, now_s() - st->start);
	st->drawn = 1;
	for (size_t i = 0; i < st->njobs; i++) {
		const struct set_job *j = &st->jobs[i];

		if (j->pid <= 0)
			continue;
		fprintf(stderr, "  %-32.32s %5.0fs  %.80s\n", j->name, now_s() - j->started,
			j->status);
		st->drawn++;
	}
}

/* One complete line from a job: its log, its status, and without a tty, the screen. */
static void job_line(struct run_set_state *st, struct set_job *j, const char *line)
{
	const char *p = strchr(line, ']');

	if (line[0] == '[' && p && p[1]) {
		const char *status = p + 2;
		size_t n = strlen(j->name);

		/* "[  6.0s] name: booting...": the display shows the name already. */
		if (!strncmp(status, j->name, n) && status[n] == ':')
			status += n + 2;
		else if (strchr(j->name, '@') &&
			 !strncmp(status, j->name, strchr(j->name, '@') - j->name))
			status = strchr(status, ':') ? strchr(status, ':') + 2 : status;
		snprintf(j->status, sizeof(j->status), "%s", status);
		st->dirty = true;
		if (!st->tty)
			fprintf(stderr, "%s\n", line);
	} else if (!strncmp(line, "guestcheck: ", 12)) {
		const char *why = line + 12;
		size_t n = strcspn(j->name, "@");

		/* run_single's own "SCENARIO: ERROR: why": the set names the job itself. */
		if (!strncmp(why, j->name, n) && !strncmp(why + n, ": ERROR: ", 9))
			why += n + 9;
		snprintf(j->error, sizeof(j->error), "%s", why);
	}
}

static void read_job(struct run_set_state *st, struct set_job *j)
{
	char buf[4096];
	ssize_t n = read(j->fd, buf, sizeof(buf));

	if (n <= 0) {
		close(j->fd);
		j->fd = -1;
		return;
	}
	/* The log is a convenience: a failed write loses nothing the job measured. */
	if (j->log >= 0 && write(j->log, buf, n) != n) {
		close(j->log);
		j->log = -1;
	}
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] == '\n' || j->len == sizeof(j->line) - 1) {
			j->line[j->len] = '\0';
			job_line(st, j, j->line);
			j->len = 0;
			if (buf[i] == '\n')
				continue;
		}
		j->line[j->len++] = buf[i];
	}
}

/* A finished attempt: retry it, keeping the failed attempt's folder, or settle. */
static bool job_exited(struct run_set_state *st, struct set_job *j, int status)
{
	j->verdict = WIFEXITED(status) ? WEXITSTATUS(status) : VERDICT_INFRA;
	if (j->verdict > VERDICT_INFRA)
		j->verdict = VERDICT_INFRA;
	j->seconds += now_s() - j->started;
	while (j->fd >= 0)
		read_job(st, j);
	if (j->log >= 0)
		close(j->log);
	j->log = -1;
	j->pid = 0;
	st->dirty = true;
	if (j->verdict != VERDICT_PASS && j->verdict != VERDICT_USAGE &&
	    j->attempts <= st->o->retries) {
		char kept[PATH_MAX + 32];

		snprintf(kept, sizeof(kept), "%s.attempt-%u", j->dir, j->attempts);
		if (rename(j->dir, kept) == 0) {
			if (!st->tty)
				fprintf(stderr,
					"guestcheck: %s: %s on attempt %u: retrying (kept "
					"in %s)\n",
					j->name, run_verdict_name(j->verdict), j->attempts, kept);
			return false;
		}
	}
	/* A job that could not run says why, here too: not only in its runner.log. */
	if (j->error[0] && (j->verdict == VERDICT_USAGE || j->verdict == VERDICT_INFRA)) {
		clear_display(st);
		fprintf(stderr, "guestcheck: %s: %s: %s\n", j->name, run_verdict_name(j->verdict),
			j->error);
	} else if (!st->tty) {
		fprintf(stderr, "guestcheck: %s: %s\n", j->name, run_verdict_name(j->verdict));
	}
	return true;
}

static void stop_all(struct run_set_state *st, int sig)
{
	for (size_t i = 0; i < st->njobs; i++)
		if (st->jobs[i].pid > 0)
			kill(st->jobs[i].pid, sig);
}

/* The scheduler's counts: jobs started, settled and running; the signal that stopped it. */
struct sched {
	size_t next, settled, running;
	int interrupted;
};

/* Start jobs until st->parallel run at once, unless a signal stopped the set. */
static void start_due(struct run_set_state *st, struct sched *sc)
{
	while (!sc->interrupted && sc->running < st->parallel && sc->next < st->njobs) {
		if (start_job(st, &st->jobs[sc->next]) < 0) {
			st->jobs[sc->next].verdict = VERDICT_INFRA;
			sc->settled++;
		} else {
			sc->running++;
		}
		sc->next++;
	}
}

/* Up to 250 ms for the jobs' output or a stop signal (sfd); read what came. */
static void poll_jobs(struct run_set_state *st, int sfd, struct sched *sc)
{
	struct pollfd fds[MAX_JOBS + 1];
	struct set_job *owner[MAX_JOBS];
	size_t nfds = 0;

	fds[nfds++] = (struct pollfd){ .fd = sfd, .events = POLLIN };
	for (size_t i = 0; i < st->njobs; i++)
		if (st->jobs[i].pid > 0 && st->jobs[i].fd >= 0) {
			owner[nfds] = &st->jobs[i];
			fds[nfds++] = (struct pollfd){ .fd = st->jobs[i].fd, .events = POLLIN };
		}
	draw_display(st);
	poll(fds, nfds, 250);
	if (fds[0].revents & POLLIN) {
		struct signalfd_siginfo si;

		if (read(sfd, &si, sizeof(si)) == sizeof(si) && !sc->interrupted) {
			sc->interrupted = si.ssi_signo;
			/* Each job writes what it measured and stops its QEMU. */
			stop_all(st, SIGTERM);
		}
	}
	for (size_t i = 1; i < nfds; i++)
		if (fds[i].revents & (POLLIN | POLLHUP | POLLERR))
			read_job(st, owner[i]);
}

/* Each job that exited settles, or starts again for a retry. */
static void reap_jobs(struct run_set_state *st, struct sched *sc)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		for (size_t i = 0; i < st->njobs; i++) {
			struct set_job *j = &st->jobs[i];

			if (j->pid != pid)
				continue;
			sc->running--;
			if (job_exited(st, j, status) || sc->interrupted)
				sc->settled++;
			else if (start_job(st, j) == 0)
				sc->running++;
			else
				sc->settled++;
		}
}

static int schedule(struct run_set_state *st)
{
	struct sched sc = { 0 };
	sigset_t stop, old;
	int sfd;

	vm_stop_signals(&stop);
	sigprocmask(SIG_BLOCK, &stop, &old);
	sfd = signalfd(-1, &stop, SFD_CLOEXEC | SFD_NONBLOCK);

	while (sc.settled < st->njobs) {
		start_due(st, &sc);
		poll_jobs(st, sfd, &sc);
		reap_jobs(st, &sc);
		if (sc.interrupted && sc.running == 0)
			break;
	}
	for (; sc.next < st->njobs; sc.next++)
		st->jobs[sc.next].verdict = VERDICT_INFRA; /* never started: interrupted */
	clear_display(st);
	close(sfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return sc.interrupted;
}

int run_set(const struct run_options *o)
{
	struct qemu_cache *cache = calloc(1, sizeof(*cache));
	struct run_options so = *o;
	struct run_set_state st = { .o = &so, .tty = isatty(2) };
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int worst = VERDICT_PASS, interrupted, ret, lock = -1;
	char err[PATH_MAX + 256];

	st.jobs = calloc(MAX_JOBS, sizeof(*st.jobs));
	if (!st.jobs || !cache) {
		free(st.jobs);
		free(cache);
		return VERDICT_INFRA;
	}
	so.qemu_cache = cache;
	st.parallel = o->jobs ? o->jobs : (cores > 0 ? cores : 1);
	if (o->results_dir[0]) {
		snprintf(st.dir, sizeof(st.dir), "%s", o->results_dir);
	} else {
		time_t now = time(NULL);
		char stamp[32];

		strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", gmtime(&now));
		snprintf(st.dir, sizeof(st.dir), "guestcheck-results/set-%s", stamp);
		mkdir("guestcheck-results", 0755);
	}
	if (build_jobs(&st) < 0) {
		ret = VERDICT_USAGE;
		goto out;
	}
	keep_shard(&st);
	if (mkdir(st.dir, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "guestcheck: %s: cannot create the results directory: %s\n", st.dir,
			strerror(errno));
		ret = VERDICT_USAGE;
		goto out;
	}
	lock = results_dir_claim(st.dir, err, sizeof(err));
	if (lock < 0) {
		fprintf(stderr, "guestcheck: %s\n", err);
		ret = lock == -EBUSY ? VERDICT_USAGE : VERDICT_INFRA;
		goto out;
	}
	fprintf(stderr, "guestcheck: %zu jobs%s, %u at a time, results in %s\n", st.njobs,
		o->nshards ? " in this shard" : "", st.parallel, st.dir);
	st.start = now_s();
	interrupted = schedule(&st);
	if (interrupted)
		fprintf(stderr,
			"guestcheck: interrupted by signal %d: the results so far are kept\n",
			interrupted);
	for (size_t i = 0; i < st.njobs; i++)
		if (st.jobs[i].verdict > worst)
			worst = st.jobs[i].verdict;
	ret = interrupted ? VERDICT_INFRA : worst;
	/* The summary is printed either way; a report the set could not write fails it. */
	if (report_set_write(st.jobs, st.njobs, st.dir, now_s() - st.start, stdout, err,
			     sizeof(err)) < 0) {
		fprintf(stderr, "guestcheck: %s\n", err);
		ret = VERDICT_INFRA;
	}
out:
	if (lock >= 0)
		close(lock);
	free(st.jobs);
	qemu_cache_free(cache);
	free(cache);
	return ret;
}
