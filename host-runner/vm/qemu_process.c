// SPDX-License-Identifier: GPL-2.0-or-later
#include "vm/qemu_process.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int qemu_spawn(char *const argv[], const char *log_path, pid_t *pid)
{
	pid_t parent = getpid();
	int log = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	pid_t child;

	if (log < 0)
		return -errno;
	child = fork();
	if (child < 0) {
		close(log);
		return -errno;
	}
	if (child == 0) {
		int null = open("/dev/null", O_RDONLY);
		sigset_t none;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent) /* the runner died before prctl */
			_exit(127);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL); /* the runner blocks signals for signalfd */
		dup2(null, 0);
		dup2(log, 1);
		dup2(log, 2);
		execvp(argv[0], argv);
		dprintf(2,
			"guestcheck: cannot run %s: %s: install qemu-system-x86 or set "
			"GUESTCHECK_QEMU\n",
			argv[0], strerror(errno));
		_exit(127);
	}
	close(log);
	*pid = child;
	return 0;
}

bool qemu_exited(pid_t pid, int *status)
{
	return waitpid(pid, status, WNOHANG) == pid;
}

static bool wait_for(pid_t pid, int *status, unsigned int ms)
{
	struct timespec tick = { 0, 20 * 1000 * 1000 };

	for (unsigned int waited = 0; waited <= ms; waited += 20) {
		if (waitpid(pid, status, WNOHANG) == pid)
			return true;
		nanosleep(&tick, NULL);
	}
	return false;
}

int qemu_stop(pid_t pid, unsigned int grace_ms)
{
	int status;

	if (kill(pid, 0) < 0 && errno == ESRCH)
		return -1;
	if (waitpid(pid, &status, WNOHANG) == pid)
		return status;
	kill(pid, SIGTERM);
	if (wait_for(pid, &status, grace_ms))
		return status;
	kill(pid, SIGKILL);
	return waitpid(pid, &status, 0) == pid ? status : -1;
}
