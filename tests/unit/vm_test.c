// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The vm object (host-runner/vm/vm.c) with a shell standing in for QEMU:
 * the run directory and its sockets exist between vm_open() and
 * vm_close() and are gone after; an exit is seen, reaped and told with
 * QEMU's first log line; a process that outstays its welcome is stopped
 * and reaped; a kept run directory is said.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "vm/qemu_argv.h"
#include "vm/vm.h"

FIXTURE(vm)
{
	char results[64];
	struct vm_config c;
	struct vm *vm;
	char rundir[64];
};

FIXTURE_SETUP(vm)
{
	char err[256] = "";

	snprintf(self->results, sizeof(self->results), "/tmp/vm_test.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->results));
	self->c = (struct vm_config){ .results_dir = self->results, .log_prefix = "" };
	ASSERT_EQ(0, vm_open(&self->c, &self->vm, err, sizeof(err)))
	{
		TH_LOG("%s", err);
	}
	snprintf(self->rundir, sizeof(self->rundir), "%s", vm_rundir(self->vm));
}

FIXTURE_TEARDOWN(vm)
{
	char cmd[128];

	vm_close(self->vm);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->results);
	if (system(cmd))
		TH_LOG("could not remove %s", self->results);
}

static bool exists(const char *dir, const char *name)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return stat(path, &st) == 0;
}

TEST_F(vm, sockets_in_a_private_directory_gone_after_close)
{
	EXPECT_TRUE(exists(self->rundir, RUNDIR_KTAP_SOCKET));
	EXPECT_TRUE(exists(self->rundir, RUNDIR_CONSOLE_SOCKET));
	EXPECT_TRUE(exists(self->rundir, RUNDIR_QMP_SOCKET));
	EXPECT_TRUE(exists(self->results, "console.log"));
	EXPECT_FALSE(exists(self->results, "ktap.log")); /* not asked for */
	vm_close(self->vm);
	self->vm = NULL;
	EXPECT_FALSE(exists(self->rundir, ""));
}

TEST_F(vm, exit_is_reaped_and_told)
{
	char *const argv[] = { "sh", "-c", "echo 'qemu: no such machine' >&2; exit 3", NULL };
	char err[256] = "", how[32], line[128];
	int ev = 0;

	ASSERT_EQ(0, vm_start(self->vm, argv, err, sizeof(err)));
	for (int i = 0; i < 100 && !(ev & VM_EXITED); i++)
		ev = vm_poll(self->vm, 100);
	ASSERT_TRUE(ev & VM_EXITED);
	EXPECT_STREQ("status 3", vm_exit_text(self->vm, how, sizeof(how)));
	vm_first_log_line(self->vm, line, sizeof(line));
	EXPECT_STREQ("qemu: no such machine", line);
	EXPECT_EQ(VM_EXITED, vm_poll(self->vm, 0)); /* and stays so */
}

TEST_F(vm, a_process_that_stays_is_stopped_and_reaped)
{
	char *const argv[] = { "sleep", "60", NULL };
	char err[256] = "", how[32];

	ASSERT_EQ(0, vm_start(self->vm, argv, err, sizeof(err)));
	EXPECT_EQ(0, vm_poll(self->vm, 50));
	vm_stop(self->vm);
	EXPECT_STREQ("killed by signal 15", vm_exit_text(self->vm, how, sizeof(how)));
	vm_stop(self->vm); /* idempotent */
}

TEST_F(vm, a_binary_that_is_missing_is_told_by_its_log)
{
	char *const argv[] = { "/nonexistent/qemu-system-x86_64", NULL };
	char err[256] = "", line[256];
	int ev = 0;

	ASSERT_EQ(0, vm_start(self->vm, argv, err, sizeof(err)));
	for (int i = 0; i < 100 && !(ev & VM_EXITED); i++)
		ev = vm_poll(self->vm, 100);
	ASSERT_TRUE(ev & VM_EXITED);
	vm_first_log_line(self->vm, line, sizeof(line));
	EXPECT_NE(NULL, strstr(line, "cannot run /nonexistent/qemu-system-x86_64"));
}

TEST(kept_run_directory_is_said)
{
	char results[] = "/tmp/vm_test.XXXXXX", err[256] = "", rundir[64], *said = NULL;
	size_t len = 0;
	FILE *note = open_memstream(&said, &len);
	struct vm_config c = { .results_dir = results,
			       .log_prefix = "kvm-attempt-",
			       .keep_rundir = true,
			       .kept_note = note };
	struct vm *vm;
	char cmd[256];

	ASSERT_NE(NULL, mkdtemp(results));
	ASSERT_EQ(0, vm_open(&c, &vm, err, sizeof(err)));
	snprintf(rundir, sizeof(rundir), "%s", vm_rundir(vm));
	vm_close(vm);
	fclose(note);
	EXPECT_TRUE(exists(rundir, RUNDIR_QMP_SOCKET));
	EXPECT_TRUE(exists(results, "kvm-attempt-console.log"));
	EXPECT_NE(NULL, strstr(said, rundir));
	free(said);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'", rundir, results);
	ASSERT_EQ(0, system(cmd));
}

TEST_HARNESS_MAIN
