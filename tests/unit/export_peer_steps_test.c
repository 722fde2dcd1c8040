// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What an export tells the agent and the user about the usb-net peers
 * (host-runner/export/peer_steps.c): one fixed port per adapter in the
 * agent's [probe NAME] sections, and the `guestcheck peer` line that listens
 * on it with the device's injection, quoted for the shell.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "export/peer_steps.h"
#include "scenario/scenario.h"

#define SCENARIO                                                                                   \
	"[scenario]\nname = t\n[machine]\nmemory = 256M\n"                                         \
	"[device n0]\ntype = usb-net\n"                                                            \
	"[device n1]\ntype = usb-net\ninject_loss = 12.5%\ninject_direction = down\n"              \
	"[device n2]\ntype = usb-net\nprobe_port = 5000\ninject_outage = 1s/500ms\n"               \
	"[device n3]\ntype = usb-net\nprobe = no\n"

/* What a writer printed, as one string. */
static char *printed(void (*write)(const struct scenario *, const char *, FILE *),
		     const struct scenario *s, const char *dir)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);

	write(s, dir, mem);
	fclose(mem);
	return text;
}

static void probe_config(const struct scenario *s, const char *dir, FILE *out)
{
	(void)dir;
	export_probe_config(s, out);
}

static void peer_commands(const struct scenario *s, const char *dir, FILE *out)
{
	export_peer_commands(s, dir, "> ", out);
}

TEST(probe_sections_have_the_fixed_ports)
{
	struct scenario s;
	char err[512] = "";
	char *text;

	ASSERT_EQ(0, scenario_load_string(&s, SCENARIO, "/tmp", err, sizeof(err)))
	{
		TH_LOG("%s", err);
	}
	text = printed(probe_config, &s, NULL);
	EXPECT_NE(NULL, strstr(text, "[probe n0]\naddress = 10.0.2.15/24\ngateway = 10.0.2.2\n"
				     "port = 47100\n"));
	EXPECT_NE(NULL, strstr(text, "[probe n1]\naddress = 10.0.3.15/24\ngateway = 10.0.3.2\n"
				     "port = 47101\n"));
	EXPECT_NE(NULL, strstr(text, "[probe n2]\naddress = 10.0.4.15/24\ngateway = 10.0.4.2\n"
				     "port = 5000\n"));
	free(text);
	scenario_free(&s);
}

TEST(one_peer_line_per_probing_adapter)
{
	struct scenario s;
	char err[512] = "";
	char *text;

	ASSERT_EQ(0, scenario_load_string(&s, SCENARIO, "/tmp", err, sizeof(err)));
	text = printed(peer_commands, &s, "/srv/my exports/t");
	EXPECT_STREQ(
		"> guestcheck peer --listen 127.0.0.1:47100 --name n0 -o '/srv/my exports/t' &\n"
		"> guestcheck peer --listen 127.0.0.1:47101 --name n1 -o '/srv/my exports/t' "
		"--inject-loss 12.5% --inject-direction down &\n"
		"> guestcheck peer --listen 127.0.0.1:5000 --name n2 -o '/srv/my exports/t' "
		"--inject-outage 1s/500ms &\n",
		text);
	free(text);
	scenario_free(&s);
}

TEST(shell_words)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "/tmp/a-b_c.d", "/tmp/a-b_c.d" },
		{ "it's", "'it'\\''s'" },
		{ "", "''" },
		{ "$(x) &", "'$(x) &'" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *text = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&text, &len);

		shell_quote(cases[i].in, mem);
		fclose(mem);
		EXPECT_STREQ(cases[i].out, text);
		free(text);
	}
}

TEST_HARNESS_MAIN
