// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * host-runner/guestagent/incus_cli.c: what the Incus transport says to the
 * `incus` client and reads back. The records and messages are Incus 6.0.4's
 * own, as `incus query` and `incus exec` printed them here (2026-11-30,
 * incusd started by hand, a busybox container and a VM record).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "guestagent/incus_cli.h"

static void join(const char **argv, char *out, size_t size)
{
	out[0] = '\0';
	for (size_t i = 0; argv[i]; i++)
		snprintf(out + strlen(out), size - strlen(out), "%s%s", i ? " " : "", argv[i]);
}

TEST(target_names)
{
	struct incus_target t;
	char err[512];

	ASSERT_EQ(0, incus_target_parse("gc-vm1", &t, err, sizeof(err)));
	EXPECT_STREQ("", t.remote);
	EXPECT_STREQ("gc-vm1", t.name);
	ASSERT_EQ(0, incus_target_parse("lab:nas2", &t, err, sizeof(err)));
	EXPECT_STREQ("lab", t.remote);
	EXPECT_STREQ("nas2", t.name);
	/* 63 characters is Incus's limit. */
	ASSERT_EQ(0,
		  incus_target_parse("a12345678901234567890123456789012345678901234567890123456789"
				     "-xy",
				     &t, err, sizeof(err)));
}

TEST(target_refused)
{
	static const char *const bad[] = {
		"",	   "-rf",
		"1vm",	   "vm-",
		"vm name", "vm;rm",
		"a/b",	   ":vm",
		"lab:",	   "vm_1",
		"x\ny",	   "-r:vm",
		"l b:vm",  "a1234567890123456789012345678901234567890123456789012345678901234",
	};
	struct incus_target t;
	char err[512];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, incus_target_parse(bad[i], &t, err, sizeof(err)))
		TH_LOG("accepted '%s'", bad[i]);
		EXPECT_NE(NULL, strstr(err, "see `incus list`"));
	}
}

TEST(command_lines)
{
	const char *const cmd[] = { "/dev/shm/guestcheck.AbC123/guestcheck-agent", "--list", NULL };
	const char *argv[32];
	char buf[256], target[160], out[1024];
	struct incus_target t;
	char err[256];

	ASSERT_EQ(0, incus_target_parse("lab:vm1", &t, err, sizeof(err)));
	ASSERT_EQ(3, incus_query_argv("incus", &t, buf, sizeof(buf), argv, 32));
	join(argv, out, sizeof(out));
	EXPECT_STREQ("incus query lab:/1.0/instances/vm1", out);
	ASSERT_EQ(10, incus_exec_argv("incus", &t, cmd, target, sizeof(target), argv, 32));
	join(argv, out, sizeof(out));
	EXPECT_STREQ("incus exec --force-noninteractive --disable-stdin --cwd / lab:vm1 -- "
		     "/dev/shm/guestcheck.AbC123/guestcheck-agent --list",
		     out);
	ASSERT_EQ(12, incus_push_argv("incus", &t, "/run/guestcheck.x/agent.ini", buf, sizeof(buf),
				      argv, 32));
	join(argv, out, sizeof(out));
	EXPECT_STREQ("incus file push --quiet --mode 0600 --uid 0 --gid 0 - "
		     "lab:vm1/run/guestcheck.x/agent.ini",
		     out);
	ASSERT_EQ(0, incus_target_parse("vm1", &t, err, sizeof(err)));
	ASSERT_EQ(3, incus_query_argv("incus", &t, buf, sizeof(buf), argv, 32));
	EXPECT_STREQ("/1.0/instances/vm1", argv[2]);
	/* A relative guest path or an argv that does not fit is refused, never cut. */
	EXPECT_EQ(-E2BIG, incus_push_argv("incus", &t, "agent.ini", buf, sizeof(buf), argv, 32));
	EXPECT_EQ(-E2BIG, incus_exec_argv("incus", &t, cmd, target, sizeof(target), argv, 10));
}

/* Trimmed from `incus query /1.0/instances/NAME` of Incus 6.0.4. */
static const char container_running[] =
	"{\"architecture\": \"x86_64\", \"config\": {\"image.os\": \"busybox\"}, \"devices\": {},"
	" \"ephemeral\": false, \"name\": \"c1\", \"profiles\": [\"default\"],"
	" \"project\": \"default\", \"stateful\": false, \"status\": \"Running\","
	" \"status_code\": 103, \"type\": \"container\"}\n";
static const char vm_stopped[] = "{\"name\": \"vm1\", \"status\": \"Stopped\", \"status_code\": "
				 "102, \"type\": \"virtual-machine\"}";
static const char vm_running[] = "{\"name\": \"vm1\", \"status\": \"Running\", \"status_code\": "
				 "103, \"type\": \"virtual-machine\"}";
static const char vm_frozen[] = "{\"name\": \"vm1\", \"status\": \"Frozen\", \"status_code\": "
				"110, \"type\": \"virtual-machine\"}";

static int usable(const char *json, bool allow_container, char *err, size_t errsize)
{
	struct incus_instance inst;
	struct incus_target t;
	int r = incus_instance_parse(json, strlen(json), &inst, err, errsize);

	if (r < 0)
		return r;
	incus_target_parse(strstr(json, "\"c1\"") ? "c1" : "vm1", &t, NULL, 0);
	return incus_instance_usable(&inst, &t, allow_container, err, errsize);
}

TEST(instance_records)
{
	struct incus_instance inst;
	char err[1024];

	ASSERT_EQ(0, incus_instance_parse(container_running, strlen(container_running), &inst, err,
					  sizeof(err)));
	EXPECT_EQ((int)INCUS_TYPE_CONTAINER, (int)inst.type);
	EXPECT_EQ(103, inst.status_code);
	EXPECT_STREQ("Running", inst.status);
	ASSERT_EQ(0, incus_instance_parse(vm_stopped, strlen(vm_stopped), &inst, err, sizeof(err)));
	EXPECT_EQ((int)INCUS_TYPE_VM, (int)inst.type);
	EXPECT_EQ(102, inst.status_code);

	EXPECT_EQ(0, usable(vm_running, false, err, sizeof(err)));
	EXPECT_EQ(-EOPNOTSUPP, usable(container_running, false, err, sizeof(err)));
	EXPECT_STREQ("incus instance c1 is a container, not a virtual machine: the checks look at "
		     "a VM's own kernel and devices, and a container has the host's: give --incus "
		     "a VM (incus launch IMAGE NAME --vm), or run `guestcheck run` for the host's "
		     "view",
		     err);
	/* The suite's switch takes a container; never a stopped instance. */
	EXPECT_EQ(0, usable(container_running, true, err, sizeof(err)));
	EXPECT_EQ(-ENOTCONN, usable(vm_stopped, false, err, sizeof(err)));
	EXPECT_STREQ("incus instance vm1 is stopped: start it (incus start vm1) and run the check "
		     "once its agent answers (incus exec vm1 -- true)",
		     err);
	EXPECT_EQ(-ENOTCONN, usable(vm_frozen, false, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "incus resume vm1"));
	/* Another type Incus might add: refused by name. */
	EXPECT_EQ(-EOPNOTSUPP,
		  usable("{\"type\": \"pod\", \"status\": \"Running\"}", false, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "of type 'pod'"));
}

TEST(instance_records_untrusted)
{
	static const char *const bad[] = {
		"",
		"null",
		"[1, 2]",
		"{\"status\": \"Running\"}",
		"{\"type\": \"container\"}",
		"{\"type\": 7, \"status\": \"Running\"}",
		"{\"type\": \"virtual-machine\", \"status\"",
		"Error: not json",
	};
	struct incus_instance inst;
	char err[512];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EPROTO,
			  incus_instance_parse(bad[i], strlen(bad[i]), &inst, err, sizeof(err)))
		TH_LOG("accepted '%s'", bad[i]);
	}
	/* A type with control bytes is printed sanitised. */
	static const char esc[] = "{\"type\": \"x\\u001b[2Jy\", \"status\": \"Running\"}";

	ASSERT_EQ(0, incus_instance_parse(esc, strlen(esc), &inst, err, sizeof(err)));
	EXPECT_EQ(NULL, strchr(inst.type_name, 0x1b));
	EXPECT_EQ((int)INCUS_TYPE_OTHER, (int)inst.type);
}

TEST(client_errors)
{
	struct incus_target t;
	char err[1024];

	incus_target_parse("vm1", &t, NULL, 0);
	EXPECT_EQ(0, incus_error(&t, false, 0, "", err, sizeof(err)));
	EXPECT_EQ(-ENOENT,
		  incus_error(&t, false, 1,
			      "Error: Failed to fetch instance \"vm1\" in project \"default\": "
			      "Instance not found\n",
			      err, sizeof(err)));
	EXPECT_STREQ("incus instance vm1: Failed to fetch instance \"vm1\" in project "
		     "\"default\": Instance not found: no such instance: see `incus list`",
		     err);
	EXPECT_EQ(-ECONNREFUSED, incus_error(&t, false, 1,
					     "Error: The incus daemon doesn't appear to be started "
					     "(socket path: /var/lib/incus/unix.socket)\n",
					     err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "start it (systemctl start incus)"));
	EXPECT_EQ(-ENOTCONN,
		  incus_error(&t, true, 1, "Error: Instance is not running\n", err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, ": start it: incus start vm1"));
	EXPECT_EQ(-ENOTCONN, incus_error(&t, true, 1, "Error: VM agent isn't currently running\n",
					 err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "install it (Debian: incus-agent)"));
	/* A guest command that cannot start: the reason in parentheses, last. */
	EXPECT_EQ(-EREMOTEIO,
		  incus_error(&t, true, 126, "Error: Command not executable\n", err, sizeof(err)));
	EXPECT_STREQ("incus instance vm1: the guest could not start the command: Command not "
		     "executable (Permission denied)",
		     err);
	EXPECT_EQ(-EREMOTEIO,
		  incus_error(&t, true, 127, "Error: Command not found\n", err, sizeof(err)));
	/* The command's own exit: its stderr, its status. */
	EXPECT_EQ(0, incus_error(&t, true, 1, "", err, sizeof(err)));
	EXPECT_EQ(0, incus_error(&t, true, 127, "sh: nosuch: not found\n", err, sizeof(err)));
	EXPECT_EQ(0, incus_error(&t, true, 1, "some output\nError: x\n", err, sizeof(err)));
	/* Not exec: any failure is the client's. */
	EXPECT_EQ(-EIO, incus_error(&t, false, 1, "Error: something new\n", err, sizeof(err)));
	EXPECT_STREQ("incus instance vm1: incus failed (exit 1): something new", err);
	EXPECT_EQ(-EIO, incus_error(&t, false, 2, NULL, err, sizeof(err)));
}

TEST_HARNESS_MAIN
