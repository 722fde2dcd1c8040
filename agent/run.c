// SPDX-License-Identifier: GPL-2.0-or-later
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "checklist.h"
#include "device_setup.h"
#include "lifetime.h"
#include "modules.h"
#include "pid1.h"
#include "port.h"
#include "protocol.h"
#include "runner.h"
#include "units.h"

#include "sdhci/sdhci.h"

/* Without a configuration the agent still needs the port to report that. */
#define BOOTSTRAP_MODULES      "virtio_pci virtio_console"
#define PORT_WAIT_MS	       10000
#define ACK_WAIT_MS	       3000
#define DEFAULT_DEVICE_WAIT_MS 20000

struct agent_state {
	struct config config;
	char config_error[512];
	struct sysroot root;
	struct module_load modules[CHECK_MAX_MODULES];
	size_t nmodules;
	int out; /* KTAP goes here */
	bool out_is_port;
	bool out_is_console; /* no runner to ack; printk shares the line */
	int console_level;   /* to restore, or <= 0 */
};

static void load_config(struct agent_state *st, const struct agent_options *opt)
{
	const char *path = opt->config_path;

	if (!path && access(AGENT_CONFIG_PATH, F_OK) == 0)
		path = AGENT_CONFIG_PATH;
	if (!path) {
		config_load_string(&st->config, "", st->config_error, sizeof(st->config_error));
		if (opt->pid1)
			snprintf(st->config_error, sizeof(st->config_error),
				 "%s: missing from the initramfs: start the guest with `guestcheck "
				 "run`, which appends it",
				 AGENT_CONFIG_PATH);
		return;
	}
	if (config_load_file(&st->config, path, st->config_error, sizeof(st->config_error)) < 0) {
		char ignored[8];

		/* Run the checks anyway: agent.config fails and says why. */
		config_load_string(&st->config, "", ignored, sizeof(ignored));
	}
}

static int open_output(struct agent_state *st, const struct agent_options *opt)
{
	char dev[256];
	/* The runner names a UART ([agent] port) on machines without virtio. */
	const char *port = opt->output ?: config_get(&st->config, "agent", "port") ?: AGENT_PORT_NAME;

	if (opt->output && !strcmp(opt->output, "-"))
		return st->out = dup(1);
	if (opt->pid1 || opt->output) {
		if (port_wait(&st->root, port, dev, sizeof(dev), opt->output ? 0 : PORT_WAIT_MS) ==
		    0) {
			st->out = open(dev, O_RDWR | O_NOCTTY | O_CLOEXEC);
			st->out_is_port = st->out >= 0;
			if (st->out >= 0) {
				st->out_is_console = port_is_console(&st->root, port);
				port_make_raw(st->out);
				return st->out;
			}
			fprintf(stderr, "guestcheck-agent: %s: cannot open: %s\n", dev,
				strerror(errno));
		} else if (!opt->output) {
			fprintf(stderr,
				"guestcheck-agent: no virtio-serial port named %s after %d s: "
				"add -device virtserialport,name=%s; results go to the "
				"console\n",
				AGENT_PORT_NAME, PORT_WAIT_MS / 1000, AGENT_PORT_NAME);
			return st->out = dup(1);
		}
	}
	if (!opt->output)
		return st->out = dup(1);
	st->out = open(opt->output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (st->out < 0)
		fprintf(stderr,
			"guestcheck-agent: --output %s: cannot open: %s: name a writable file, "
			"'-' or a virtio-serial port name\n",
			opt->output, strerror(errno));
	return st->out;
}

static unsigned int device_wait_ms(const struct agent_state *st, const struct agent_options *opt)
{
	const char *v = config_get(&st->config, "agent", "device_timeout");
	uint64_t ms;

	if (v && parse_duration_ms(v, &ms) == 0)
		return ms;
	return opt->pid1 ? DEFAULT_DEVICE_WAIT_MS : 0;
}

static int run_checks(struct agent_state *st, const struct check_env *env,
		      const struct agent_options *opt, unsigned int device_wait_ms)
{
	size_t ntests;
	const struct agent_check *tests = checklist_all(&ntests);
	pid_t child, agent;
	int status;

	for (size_t i = 0; i < ntests; i++)
		if (checklist_selected(tests[i].name, opt->only, opt->nonly))
			dprintf(st->out, AGENT_LINE_PREFIX AGENT_WILL_RUN " %s\n", tests[i].name);
	fflush(stdout);
	agent = getpid();
	child = fork();
	if (child < 0) {
		dprintf(st->out, AGENT_LINE_PREFIX "fork failed: %s\n", strerror(errno));
		return 1;
	}
	/* The runner in a child of its own: a bug in it must not take PID 1 down. */
	if (child == 0) {
		die_with_parent(agent);
		_exit(runner_run(env, st->out, opt->only, opt->nonly, device_wait_ms));
	}
	if (opt->pid1)
		status = pid1_wait_reaping(child);
	else if (waitpid(child, &status, 0) < 0)
		return 1;
	if (WIFSIGNALED(status))
		dprintf(st->out, AGENT_LINE_PREFIX "the check runner died of signal %d\n",
			WTERMSIG(status));
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

/*
 * Memory, for the benchmark. The kernel syncs a task's RSS counters lazily,
 * so init's ru_maxrss and VmHWM read a few KiB; smaps_rollup walks the page
 * tables and is exact (current, not peak). The checks' peak is exact: their
 * counters are synced when they exit.
 */
static void report_resources(const struct agent_state *st)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/smaps_rollup", "re");
	struct rusage children;
	char line[128];
	long rss = -1;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Rss: %ld kB", &rss) == 1)
			break;
	getrusage(RUSAGE_CHILDREN, &children);
	dprintf(st->out, AGENT_LINE_PREFIX "resources rss_kib=%ld checks_maxrss_kib=%ld\n", rss,
		children.ru_maxrss);
}

int agent_run(const struct agent_options *opt)
{
	struct agent_state st = { .out = -1 };
	struct check_env env = { .root = &st.root, .pid1 = opt->pid1 };
	struct utsname uts;
	int result;

	uname(&uts);
	load_config(&st, opt);
	if (opt->pid1) {
		const char *mods = config_get(&st.config, "agent", "modules") ?: BOOTSTRAP_MODULES;

		/* Before any module: no SDHCI driver can hold a controller yet. */
		sdhci_early_snapshot(&st.root, &st.config);
		st.nmodules = modules_load(uts.release, mods, st.modules, ARRAY_SIZE(st.modules));
		st.nmodules += device_setup(&st.config, uts.release, st.modules + st.nmodules,
					    ARRAY_SIZE(st.modules) - st.nmodules);
	}
	if (open_output(&st, opt) < 0) {
		config_free(&st.config);
		return 2;
	}
	if (st.out_is_console)
		st.console_level = port_console_quiet();
	dprintf(st.out, AGENT_LINE_PREFIX AGENT_HELLO " version=%s kernel=%s\n", GUESTCHECK_VERSION,
		uts.release);
	for (size_t i = 0; i < st.nmodules; i++)
		if (st.modules[i].error)
			dprintf(st.out, AGENT_LINE_PREFIX AGENT_MODULE_FAIL " %s: %s: %s\n",
				st.modules[i].name, strerror(-st.modules[i].error),
				st.modules[i].detail);
	if (st.config_error[0])
		dprintf(st.out, AGENT_LINE_PREFIX "config-error %s\n", st.config_error);

	env.config = &st.config;
	env.config_error = st.config_error[0] ? st.config_error : NULL;
	env.modules = st.modules;
	env.nmodules = st.nmodules;
	result = run_checks(&st, &env, opt, device_wait_ms(&st, opt));

	report_resources(&st);
	dprintf(st.out, AGENT_LINE_PREFIX AGENT_END "\n");
	if (st.out_is_port && !st.out_is_console && !port_wait_ack(st.out, ACK_WAIT_MS))
		fprintf(stderr, "guestcheck-agent: no ack from the runner within %d s\n",
			ACK_WAIT_MS / 1000);
	port_console_restore(st.console_level);
	close(st.out);
	config_free(&st.config);
	return result;
}
