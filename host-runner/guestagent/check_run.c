// SPDX-License-Identifier: GPL-2.0-or-later
#include "guestagent/check_run.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "clock.h"
#include "errmsg.h"
#include "macro.h"
#include "mkdir_p.h"
#include "write_file.h"

#include "devices/device_type.h"
#include "guestagent/guest_transport.h"
#include "guestagent/qga_channel.h"
#include "report/report.h"
#include "report/report_set.h"
#include "scenario/scenario.h"
#include "session/guest_image.h"
#include "session/ktap_parse.h"
#include "session/run_result.h"
#include "vm/qemu_argv.h"

/* A guest's tmpfs for the agent's folder, in order; nothing on its disks. Debian 12 mounts /run
 * noexec. */
static const char *const tmpfs_parents[] = { "/dev/shm", "/run" };

#define AGENT_NAME     "guestcheck-agent"
#define CONFIG_NAME    "agent.ini"
#define STEP_MS	       20000
#define MAX_KTAP       (16u << 20) /* qemu-ga keeps 16 MiB of a process's stdout */
#define MAX_AGENT_SIZE (64u << 20)

struct check {
	const struct check_options *o;
	struct guest_transport *t;
	struct scenario scenario;
	bool have_scenario;
	char dir[64]; /* the guest's folder, "" until made */
	double start;
	char results_dir[PATH_MAX];
};

static void progress(struct check *c, const char *fmt, ...) __printf(2, 3);
static void progress(struct check *c, const char *fmt, ...)
{
	va_list ap;

	if (c->o->quiet)
		return;
	fprintf(stderr, "[%6.1fs] %s: ", now_s() - c->start, c->scenario.name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int exec_simple(struct check *c, const char *const *argv, struct guest_exec_result *res,
		       char *err, size_t errsize)
{
	int r = c->t->ops->exec(c->t, argv, STEP_MS, 4096, res, err, errsize);

	if (r == -ETIME)
		return errmsg(err, errsize, r, "%s: `%s` did not finish within %d s", c->t->where,
			      argv[0], STEP_MS / 1000);
	return r;
}

/* mktemp's answer is the guest's: only PARENT/guestcheck.XXXXXX is taken. */
static bool valid_dir(const char *parent, const char *s, size_t len)
{
	size_t plen = strlen(parent);
	const char *tail = s + plen + strlen("/guestcheck.");

	if (len != plen + strlen("/guestcheck.") + 6 || strncmp(s, parent, plen) ||
	    strncmp(s + plen, "/guestcheck.", strlen("/guestcheck.")))
		return false;
	for (size_t i = 0; i < 6; i++)
		if (!((tail[i] >= 'a' && tail[i] <= 'z') || (tail[i] >= 'A' && tail[i] <= 'Z') ||
		      (tail[i] >= '0' && tail[i] <= '9')))
			return false;
	return true;
}

static void trim(struct guest_exec_result *res)
{
	while (res->outlen &&
	       (res->out[res->outlen - 1] == '\n' || res->out[res->outlen - 1] == ' '))
		res->out[--res->outlen] = '\0';
}

static void remove_dir(struct check *c, const char *dir);

static int push_files(struct check *c, char *err, size_t errsize);

/* The agent where it was copied runs (--list): -EREMOTEIO when the guest refuses to start it. */
static int probe_agent(struct check *c, char *err, size_t errsize)
{
	char agent[128];
	const char *argv[] = { agent, "--list", NULL };
	struct guest_exec_result res;
	int r;

	snprintf(agent, sizeof(agent), "%s/%s", c->dir, AGENT_NAME);
	r = exec_simple(c, argv, &res, err, errsize);
	if (r == 0 && res.exitcode != 0)
		r = errmsg(err, errsize, -ENOEXEC,
			   "%s: %s --list exited %d in the guest: is it an agent for this "
			   "architecture (uname -m)?",
			   c->t->where, agent, res.exitcode);
	guest_exec_result_free(&res);
	return r;
}

/*
 * A folder of our own on a tmpfs of the guest's (mktemp -d, then stat -f says
 * tmpfs) with the agent and agent.ini in it, where the guest lets it run.
 */
static int place_agent(struct check *c, char *err, size_t errsize)
{
	char seen[512] = "";

	for (size_t i = 0; i < ARRAY_SIZE(tmpfs_parents); i++) {
		char tmpl[64], dir[64];
		const char *mk[] = { "mktemp", "-d", tmpl, NULL };
		const char *fs[] = { "stat", "-f", "-c", "%T", dir, NULL };
		struct guest_exec_result res;
		int r;

		snprintf(tmpl, sizeof(tmpl), "%s/guestcheck.XXXXXX", tmpfs_parents[i]);
		r = exec_simple(c, mk, &res, err, errsize);
		if (r < 0)
			return r;
		trim(&res);
		if (res.exitcode != 0 || !valid_dir(tmpfs_parents[i], res.out, res.outlen)) {
			ktap_sanitize(res.errout, res.errlen);
			snprintf(seen + strlen(seen), sizeof(seen) - strlen(seen), "%s%s: %.80s",
				 seen[0] ? "; " : "", tmpfs_parents[i],
				 res.exitcode ? res.errout : "mktemp answered an odd name");
			guest_exec_result_free(&res);
			continue;
		}
		snprintf(dir, sizeof(dir), "%s", res.out);
		guest_exec_result_free(&res);
		r = exec_simple(c, fs, &res, err, errsize);
		if (r < 0) {
			remove_dir(c, dir);
			return r;
		}
		trim(&res);
		if (res.exitcode == 0 && (!strcmp(res.out, "tmpfs") || !strcmp(res.out, "ramfs"))) {
			guest_exec_result_free(&res);
			snprintf(c->dir, sizeof(c->dir), "%s", dir);
			r = push_files(c, err, errsize);
			if (r < 0)
				return r; /* c->dir is removed by the caller */
			r = probe_agent(c, err, errsize);
			if (r != -EREMOTEIO)
				return r;
			/*
			 * The guest would not start it there (a noexec mount): the next
			 * one. GLib's spawn error ends in "(Permission denied)".
			 */
			const char *why = strrchr(err, '(');
			int whylen =
				why && strchr(why, ')') ? (int)(strchr(why, ')') - why + 1) : 0;

			snprintf(seen + strlen(seen), sizeof(seen) - strlen(seen),
				 "%s%s: the guest would not run the agent there %.*s%s",
				 seen[0] ? "; " : "", tmpfs_parents[i], whylen > 80 ? 80 : whylen,
				 why ? why : "",
				 whylen ? ", mounted noexec?" : "(mounted noexec?)");
			remove_dir(c, dir);
			c->dir[0] = '\0';
			continue;
		}
		ktap_sanitize(res.out, res.outlen);
		snprintf(seen + strlen(seen), sizeof(seen) - strlen(seen), "%s%s is %.40s",
			 seen[0] ? "; " : "", tmpfs_parents[i],
			 res.exitcode == 0 ? res.out : "of an unknown file system");
		guest_exec_result_free(&res);
		remove_dir(c, dir);
	}
	return errmsg(err, errsize, -ENOSPC,
		      "%s: no tmpfs in the guest where the agent may run (%s): mount one on "
		      "/dev/shm or /run without noexec; guestcheck never writes to the "
		      "guest's disks",
		      c->t->where, seen);
}

/* rm -rf, then `test -e` must say it is gone. */
static int remove_dir_checked(struct check *c, const char *dir, char *err, size_t errsize)
{
	const char *rm[] = { "rm", "-rf", "--", dir, NULL };
	const char *test[] = { "test", "-e", dir, NULL };
	struct guest_exec_result res;
	int r;

	r = exec_simple(c, rm, &res, err, errsize);
	guest_exec_result_free(&res);
	if (r < 0)
		return r;
	r = exec_simple(c, test, &res, err, errsize);
	if (r < 0)
		return r;
	r = res.exitcode;
	guest_exec_result_free(&res);
	if (r == 0)
		return errmsg(err, errsize, -EEXIST,
			      "%s: %s is still there after rm -rf: remove it by hand", c->t->where,
			      dir);
	return 0;
}

static void remove_dir(struct check *c, const char *dir)
{
	char ignored[512];

	remove_dir_checked(c, dir, ignored, sizeof(ignored));
}

/* A file in the results folder: 0, or -errno with err naming it. */
static int write_result(const char *dir, const char *name, const void *data, size_t len, char *err,
			size_t errsize)
{
	char path[PATH_MAX + 64];
	int r;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	r = write_file(path, data, len);
	if (r < 0)
		return errmsg(err, errsize, r, "%s: cannot write: %s", path, strerror(-r));
	return 0;
}

static int read_file(const char *path, char **data, size_t *len, char *err, size_t errsize)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char *buf;
	size_t got = 0;

	if (fd < 0 || fstat(fd, &st) < 0)
		return errmsg(err, errsize, -errno, "%s: %s", path, strerror(errno));
	if (st.st_size > MAX_AGENT_SIZE)
		return errmsg(err, errsize, -EFBIG, "%s: over %u MiB: not the agent?", path,
			      MAX_AGENT_SIZE >> 20);
	buf = malloc(st.st_size + 1);
	if (!buf)
		return -ENOMEM;
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, st.st_size - got);

		if (n <= 0) {
			free(buf);
			return errmsg(err, errsize, n < 0 ? -errno : -EIO, "%s: cannot read: %s",
				      path, n < 0 ? strerror(errno) : "short read");
		}
		got += n;
	}
	*data = buf;
	*len = got;
	return 0;
}

static int push_files(struct check *c, char *err, size_t errsize)
{
	char agent[PATH_MAX], path[128], cfgpath[128];
	_cleanup_free_ char *bin = NULL, *config = NULL;
	size_t binlen = 0, config_len = 0;
	const char *chmod_argv[] = { "chmod", "0700", path, NULL };
	struct guest_exec_result res;
	FILE *mem;
	int r;

	if (guest_agent_path(agent, sizeof(agent)) < 0)
		return errmsg(err, errsize, -ENOENT,
			      "the static agent (guestcheck-agent) is not beside the runner: run "
			      "make, or set GUESTCHECK_AGENT=FILE");
	if ((r = read_file(agent, &bin, &binlen, err, errsize)) < 0)
		return r;
	mem = open_memstream(&config, &config_len);
	if (!mem)
		return -ENOMEM;
	r = agent_config_write(&c->scenario, mem);
	/* The usb-net probe's peer: the one the user started (`guestcheck peer`). */
	for (size_t i = 0; c->o->peer && i < c->scenario.ndevices; i++)
		if (c->scenario.devices[i].type == &usb_net_device)
			fprintf(mem, "\n[probe %s]\npeer = %s\n", c->scenario.devices[i].name,
				c->o->peer);
	if (fclose(mem) != 0 || r < 0)
		return -ENOMEM;
	/* Kept beside the results: what the guest was told. */
	snprintf(path, sizeof(path), "%s", CONFIG_NAME);
	if ((r = write_result(c->results_dir, CONFIG_NAME, config, config_len, err, errsize)) < 0)
		return r;
	snprintf(path, sizeof(path), "%s/%s", c->dir, AGENT_NAME);
	snprintf(cfgpath, sizeof(cfgpath), "%s/%s", c->dir, CONFIG_NAME);
	progress(c, "copying %s (%zu bytes) and %s to %s", agent, binlen, CONFIG_NAME, c->dir);
	if ((r = c->t->ops->push(c->t, path, bin, binlen, err, errsize)) < 0 ||
	    (r = c->t->ops->push(c->t, cfgpath, config, config_len, err, errsize)) < 0)
		return r;
	r = exec_simple(c, chmod_argv, &res, err, errsize);
	if (r == 0 && res.exitcode != 0)
		r = errmsg(err, errsize, -EACCES, "%s: chmod %s failed in the guest", c->t->where,
			   path);
	guest_exec_result_free(&res);
	return r;
}

static int run_agent(struct check *c, struct guest_exec_result *res, char *err, size_t errsize)
{
	char agent[128], cfgpath[128];
	const char *argv[8 + 2 * CHECK_MAX_ONLY];
	uint64_t timeout = c->o->timeout_ms ?: c->scenario.run_timeout_ms;
	size_t n = 0;
	int r;

	snprintf(agent, sizeof(agent), "%s/%s", c->dir, AGENT_NAME);
	snprintf(cfgpath, sizeof(cfgpath), "%s/%s", c->dir, CONFIG_NAME);
	argv[n++] = agent;
	argv[n++] = "--config";
	argv[n++] = cfgpath;
	argv[n++] = "--output";
	argv[n++] = "-";
	for (size_t i = 0; i < c->o->nonly; i++) {
		argv[n++] = "--only";
		argv[n++] = c->o->only[i];
	}
	argv[n] = NULL;
	progress(c, "running the agent in the guest (at most %g s)", timeout / 1000.0);
	r = c->t->ops->exec(c->t, argv, timeout, MAX_KTAP, res, err, errsize);
	if (r == -ETIME)
		return errmsg(err, errsize, r,
			      "run timeout: the agent did not finish within %g s in the guest: it "
			      "was killed; raise [scenario] run_timeout or --timeout, or see which "
			      "test hung in ktap.log",
			      timeout / 1000.0);
	return r;
}

static int write_reports(struct check *c, struct run_result *r)
{
	char err[PATH_MAX + 256], path[PATH_MAX + 16];
	struct set_job job = { .verdict = r->verdict,
			       .attempts = 1,
			       .seconds = r->total_seconds,
			       .fd = -1,
			       .log = -1 };
	int ret, rc;

	ret = report_write_run_files(r, c->results_dir, err, sizeof(err));
	snprintf(job.name, sizeof(job.name), "%s", r->scenario);
	snprintf(job.scenario, sizeof(job.scenario), "%s", r->scenario_path);
	snprintf(job.release, sizeof(job.release), "%s", r->ktap->guest_kernel);
	snprintf(job.dir, sizeof(job.dir), "%s", c->results_dir);
	snprintf(path, sizeof(path), "%s/report.html", c->results_dir);
	rc = report_html_write(&job, 1, path, r->total_seconds, ret ? NULL : err, sizeof(err));
	ret = ret ?: rc;
	if (ret < 0) {
		report_write_fix(err, sizeof(err), ret, c->results_dir);
		fprintf(stderr, "guestcheck: %s\n", err);
	}
	return ret;
}

static int open_transport(struct check *c, char *err, size_t errsize)
{
	const struct check_options *o = c->o;
	struct qga_channel *ch;
	int r;

	if (o->incus_instance)
		return guest_transport_incus(o->incus_instance, o->incus_allow_container, &c->t,
					     err, errsize);
	if (o->qga_socket)
		r = qga_socket_open(o->qga_socket, o->connect_ms, &ch, err, errsize);
	else
		r = qga_virsh_open(o->libvirt_domain, o->libvirt_uri, &ch, err, errsize);
	if (r < 0)
		return r;
	return guest_transport_qga(ch, &c->t, err, errsize);
}

/* What a failure to reach the guest means for the exit status. */
static int transport_verdict(int r)
{
	return r == -ENOENT || r == -ENOTSOCK || r == -EINVAL || r == -ENAMETOOLONG ||
			       r == -EOPNOTSUPP
		       ? VERDICT_USAGE
		       : VERDICT_INFRA;
}

static int load_scenario(struct check *c)
{
	char err[1024];
	int r;

	if (c->o->scenario_path)
		r = scenario_load(&c->scenario, c->o->scenario_path, err, sizeof(err));
	else
		r = scenario_load_string(&c->scenario, "[scenario]\nname = check\n", ".", err,
					 sizeof(err));
	if (r < 0) {
		fprintf(stderr, "guestcheck: %s\n", err);
		return VERDICT_USAGE;
	}
	c->have_scenario = true;
	return 0;
}

int check_run(const struct check_options *o)
{
	struct check c = { .o = o, .start = now_s() };
	struct run_result r = { 0 };
	struct guest_exec_result res = { 0 };
	struct ktap_parser *parser = NULL;
	time_t now = time(NULL);
	char err[1024] = "", cleanup_err[512];
	int ret, rc;

	if ((ret = load_scenario(&c)))
		return ret;
	if (o->results_dir[0])
		snprintf(c.results_dir, sizeof(c.results_dir), "%s", o->results_dir);
	else
		snprintf(c.results_dir, sizeof(c.results_dir), "guestcheck-results/%s",
			 c.scenario.name);
	rc = open_transport(&c, err, sizeof(err));
	if (rc < 0) {
		/* Nothing was copied: nothing to report but the line, no folder made. */
		fprintf(stderr, "guestcheck: %s\n", err);
		ret = transport_verdict(rc);
		goto out;
	}
	if (mkdir_p(c.results_dir) < 0) {
		fprintf(stderr, "guestcheck: %s: cannot create the results directory: %s\n",
			c.results_dir, strerror(errno));
		ret = VERDICT_USAGE;
		goto out;
	}
	progress(&c, "%s%s%s at %s", c.t->via, c.t->agent_version[0] ? " " : "", c.t->agent_version,
		 c.t->where);

	snprintf(r.scenario, sizeof(r.scenario), "%s", c.scenario.name);
	snprintf(r.scenario_path, sizeof(r.scenario_path), "%s", c.scenario.path);
	snprintf(r.accel, sizeof(r.accel), "%s", "guest agent");
	snprintf(r.accel_reason, sizeof(r.accel_reason),
		 "checks in a running VM through %s, %s%s%s", c.t->where, c.t->via,
		 c.t->agent_version[0] ? " " : "", c.t->agent_version);
	snprintf(r.qemu, sizeof(r.qemu), "%s", c.t->where);
	strftime(r.started_at, sizeof(r.started_at), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	r.boot_seconds = -1;
	r.expects = c.scenario.expects;
	r.nexpects = c.scenario.nexpects;
	parser = ktap_parser_new();
	if (!parser) {
		ret = VERDICT_INFRA;
		goto out;
	}

	rc = place_agent(&c, err, sizeof(err));
	if (!rc)
		rc = run_agent(&c, &res, err, sizeof(err));
	if (res.out) {
		char why[PATH_MAX + 128];

		ktap_parser_feed(parser, res.out, res.outlen);
		if (write_result(c.results_dir, "ktap.log", res.out, res.outlen, why, sizeof(why)) <
			    0 &&
		    !rc)
			rc = errmsg(err, sizeof(err), -EIO, "%s", why);
	}
	if (res.errout && res.errlen &&
	    write_result(c.results_dir, "agent-stderr.log", res.errout, res.errlen, cleanup_err,
			 sizeof(cleanup_err)) < 0)
		fprintf(stderr, "guestcheck: %s\n", cleanup_err);
	ktap_parser_finish(parser);
	if (!rc && res.out_truncated)
		rc = errmsg(err, sizeof(err), -EMSGSIZE,
			    "the agent wrote more than %u MiB: its output was cut; the results so "
			    "far are kept",
			    MAX_KTAP >> 20);
	if (!rc && !ktap_parser_run(parser)->saw_end)
		rc = errmsg(err, sizeof(err), -EPROTO,
			    "the agent ended (exit %d%s%s) without its end line: see ktap.log and "
			    "agent-stderr.log in %s",
			    res.exitcode, res.signal ? ", signal " : "",
			    res.signal ? strsignal(res.signal) : "", c.results_dir);
	/* Whatever happened: the guest keeps nothing of ours. */
	if (c.dir[0]) {
		if (remove_dir_checked(&c, c.dir, cleanup_err, sizeof(cleanup_err)) < 0) {
			fprintf(stderr, "guestcheck: %s\n", cleanup_err);
			if (!rc)
				rc = errmsg(err, sizeof(err), -EEXIST, "%s", cleanup_err);
		} else {
			progress(&c, "removed %s from the guest", c.dir);
		}
	}

	r.ktap = ktap_parser_run(parser);
	r.total_seconds = now_s() - c.start;
	snprintf(r.kernel, sizeof(r.kernel), "%s", r.ktap->guest_kernel);
	if (rc < 0) {
		snprintf(r.infra_error, sizeof(r.infra_error), "%s", err);
		r.verdict = VERDICT_INFRA;
	} else {
		r.verdict = run_result_verdict(&r);
	}
	rc = write_reports(&c, &r);
	if ((!o->quiet || r.verdict != VERDICT_PASS) && report_terminal_print(&r, stdout) < 0)
		rc = rc ?: -EIO;
	if (r.verdict == VERDICT_INFRA)
		fprintf(stderr, "guestcheck: %s: ERROR: %s\n", r.scenario, r.infra_error);
	printf("results: %s\n", c.results_dir);
	ret = rc < 0 ? VERDICT_INFRA : (int)r.verdict;
out:
	guest_exec_result_free(&res);
	ktap_parser_free(parser);
	guest_transport_close(c.t);
	if (c.have_scenario)
		scenario_free(&c.scenario);
	return ret;
}
