// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * zoned-timeit RUNS LABEL COMMAND [ARGS...]: run COMMAND RUNS times and print
 * each wall-clock time and the median, in the guest, for bench/zoned-report
 * (busybox's date has no sub-second clock). The command's output is thrown
 * away, or appended to $TIMEIT_OUTPUT when that is set.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	double ms[32];
	int runs = argc > 3 ? atoi(argv[1]) : 0;

	if (runs < 1 || runs > 32) {
		fprintf(stderr, "usage: zoned-timeit RUNS(1-32) LABEL COMMAND [ARGS...]\n");
		return 2;
	}
	for (int i = 0; i < runs; i++) {
		double start = now_ms();
		int status;
		pid_t pid = fork();

		if (pid < 0)
			return 1;
		if (pid == 0) {
			const char *keep = getenv("TIMEIT_OUTPUT");
			int out = keep ? open(keep, O_WRONLY | O_CREAT | O_APPEND, 0644)
				       : open("/dev/null", O_WRONLY);

			dup2(out, 1);
			execv(argv[3], argv + 3);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
			printf("zoned-bench: %s: run %d failed (status %#x)\n", argv[2], i + 1,
			       status);
			return 1;
		}
		ms[i] = now_ms() - start;
		printf("zoned-bench: %s run %d: %.1f ms\n", argv[2], i + 1, ms[i]);
	}
	qsort(ms, runs, sizeof(ms[0]), cmp);
	printf("zoned-bench: %s median %.1f ms\n", argv[2], ms[runs / 2]);
	return 0;
}
