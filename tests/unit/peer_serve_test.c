// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One probe peer served in this process, as `guestcheck peer` does
 * (usbnet/peer_serve.h), over loopback with a test socket playing the
 * guest: echoes go back to the sender, the guest's DONE ends the run, the
 * report (peer_report_served) counts what the peer's record holds, and a
 * probe the guest sent but the peer never saw is lost, not unknown. Also
 * the bind errors the command turns into its one line.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <json-c/json.h>

#include "kselftest_harness.h"

#include "scenario/scenario.h"
#include "usbnet/peer.h"
#include "usbnet/peer_serve.h"
#include "usbnet/probe_proto.h"

#define NPROBES 10
#define SKIPPED 3 /* the probe the "guest" sends nowhere: lost upstream */
#define RUN_ID	0x1234

static struct peer_spec loopback_spec(void)
{
	struct peer_spec sp = { .netdev = PEER_NETDEV_USER,
				.queues = 1,
				.probe = true,
				.rate = 100,
				.duration_ms = 100,
				.listen = { htonl(INADDR_LOOPBACK) },
				.listen_set = true,
				.seed_set = true };

	snprintf(sp.name, sizeof(sp.name), "net0");
	return sp;
}

static void put_hdr(struct probe_hdr *h, uint8_t type, uint32_t seq, uint16_t nitems)
{
	*h = (struct probe_hdr){ .magic = htonl(PROBE_MAGIC),
				 .version = PROBE_VERSION,
				 .type = type,
				 .nitems = htons(nitems),
				 .run_id = htonl(RUN_ID),
				 .seq = htonl(seq),
				 .t_ns = htobe64((uint64_t)seq * 10000000) };
}

/* Probe seq, acking every earlier probe (but SKIPPED) of the last PROBE_MAX_ACKS. */
static size_t make_probe(uint8_t *buf, uint32_t seq)
{
	struct probe_body b = { .rate = htonl(100), .count = htonl(NPROBES) };
	size_t len = sizeof(struct probe_hdr) + sizeof(b);
	uint16_t n = 0;

	for (uint32_t a = seq > PROBE_MAX_ACKS ? seq - PROBE_MAX_ACKS : 0; a < seq; a++) {
		struct probe_ack ack = { .seq = htonl(a), .rtt_us = htonl(500 + a) };

		if (a == SKIPPED)
			continue;
		memcpy(buf + len, &ack, sizeof(ack));
		len += sizeof(ack);
		n++;
	}
	put_hdr((struct probe_hdr *)buf, PROBE_MSG_PROBE, seq, n);
	memcpy(buf + sizeof(struct probe_hdr), &b, sizeof(b));
	return len;
}

static size_t make_done(uint8_t *buf)
{
	struct probe_ack ack = { .seq = htonl(NPROBES - 1), .rtt_us = htonl(600) };

	put_hdr((struct probe_hdr *)buf, PROBE_MSG_DONE, NPROBES, 1);
	memcpy(buf + sizeof(struct probe_hdr), &ack, sizeof(ack));
	return sizeof(struct probe_hdr) + sizeof(ack);
}

static int64_t json_int(json_object *root, const char *a, const char *b)
{
	json_object *o = NULL, *v = NULL;

	if (!json_object_object_get_ex(root, a, &o) || !json_object_object_get_ex(o, b, &v))
		return -1;
	return json_object_get_int64(v);
}

TEST(serves_one_run_until_done_and_reports)
{
	struct peer_spec sp = loopback_spec();
	struct peer_server sv;
	struct sockaddr_in to = { .sin_family = AF_INET };
	char err[256], dir[] = "/tmp/peer_serve_test.XXXXXX", path[512];
	uint8_t buf[PROBE_MAX_DATAGRAM];
	int guest, stop[2], echoes = 0;
	struct scenario *s = calloc(1, sizeof(*s));
	struct peers *ps = calloc(1, sizeof(*ps));
	json_object *j;
	ssize_t n;

	ASSERT_NE(NULL, s);
	ASSERT_NE(NULL, ps);
	ASSERT_EQ(0, peer_server_open(&sv, &sp, NULL, err, sizeof(err)))
	{
		TH_LOG("%s", err);
	}
	ASSERT_NE(0, sv.d.port);
	guest = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, guest);
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	to.sin_port = htons(sv.d.port);
	ASSERT_EQ(0, connect(guest, (struct sockaddr *)&to, sizeof(to)));
	/* Everything queued first: the peer reads it all, then DONE ends the run. */
	for (uint32_t i = 0; i < NPROBES; i++)
		if (i != SKIPPED)
			ASSERT_LT(0, send(guest, buf, make_probe(buf, i), 0));
	ASSERT_LT(0, send(guest, buf, make_done(buf), 0));
	ASSERT_EQ(0, pipe(stop));
	EXPECT_EQ((int)PEER_SERVER_DONE, (int)peer_server_run(&sv, stop[0], true));
	peer_server_close(&sv);
	while ((n = recv(guest, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		echoes += n >= (ssize_t)sizeof(struct probe_hdr) &&
			  ((struct probe_hdr *)buf)->type == PROBE_MSG_ECHO;
	EXPECT_EQ(NPROBES - 1, echoes);
	EXPECT_EQ(NPROBES - 1U, sv.d.received);
	EXPECT_EQ((uint32_t)NPROBES, sv.d.done_sent);

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(s->name, sizeof(s->name), "peer_serve_test");
	*ps = (struct peers){ .scenario = s, .prefix = "", .n = 1 };
	snprintf(ps->results_dir, sizeof(ps->results_dir), "%s", dir);
	ps->p[0] = (struct peer){ .spec = sp, .pid = -1, .ctl = -1, .port = sv.d.port };
	EXPECT_EQ(0, peer_report_served(ps, &ps->p[0], &sv));
	snprintf(path, sizeof(path), "%s/usbnet-net0.json", dir);
	j = json_object_from_file(path);
	ASSERT_NE(NULL, j);
	EXPECT_EQ(NPROBES - 1, json_int(j, "peer", "received"));
	EXPECT_EQ(NPROBES - 1, json_int(j, "round_trip", "answered"));
	/* The guest's DONE said 10 were sent: the one that never arrived is lost. */
	EXPECT_EQ(1, json_int(j, "round_trip", "lost"));
	EXPECT_EQ(0, json_int(j, "round_trip", "unknown"));
	json_object_put(j);
	for (const char *const *f = (const char *const[]){ "usbnet-net0.json", "usbnet-net0.svg",
							   "usbnet-net0-timeline.csv", NULL };
	     *f; f++) {
		snprintf(path, sizeof(path), "%s/%s", dir, *f);
		EXPECT_EQ(0, access(path, R_OK));
		unlink(path);
	}
	rmdir(dir);
	peer_server_free(&sv);
	close(guest);
	close(stop[0]);
	close(stop[1]);
	free(ps);
	free(s);
}

TEST(stops_when_told)
{
	struct peer_spec sp = loopback_spec();
	struct peer_server sv;
	char err[256];
	int stop[2];

	ASSERT_EQ(0, peer_server_open(&sv, &sp, NULL, err, sizeof(err)));
	ASSERT_EQ(0, pipe(stop));
	close(stop[1]); /* hung up: as when the runner closes the control socket */
	EXPECT_EQ((int)PEER_SERVER_STOPPED, (int)peer_server_run(&sv, stop[0], true));
	EXPECT_FALSE(sv.have_run);
	peer_server_free(&sv);
	close(stop[0]);
}

TEST(bind_errors_name_the_address)
{
	struct peer_spec sp = loopback_spec(), again;
	struct peer_server first, second;
	char err[256], want[128];

	ASSERT_EQ(0, peer_server_open(&first, &sp, NULL, err, sizeof(err)));
	again = sp;
	again.port = first.d.port;
	EXPECT_EQ(-EADDRINUSE, peer_server_open(&second, &again, NULL, err, sizeof(err)));
	snprintf(want, sizeof(want), "cannot listen on UDP 127.0.0.1:%u: ", first.d.port);
	EXPECT_EQ(0, strncmp(err, want, strlen(want)))
	{
		TH_LOG("%s", err);
	}
	peer_server_free(&second);
	peer_server_free(&first);
	/* TEST-NET-1 is no address of this host. */
	inet_pton(AF_INET, "192.0.2.1", &again.listen);
	again.port = 7000;
	EXPECT_EQ(-EADDRNOTAVAIL, peer_server_open(&second, &again, NULL, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "192.0.2.1:7000"));
	peer_server_free(&second);
}

TEST_HARNESS_MAIN
