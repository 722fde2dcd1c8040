// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The guest's probe datagrams as the runner's peer gets them
 * (usbnet/peer_serve.h, checks/usbnet/probe_proto.h), over loopback as in
 * the peer_serve unit test: the input is up to 64 datagrams, each a 2-byte
 * big-endian length and its bytes, all queued, then served until the
 * guest's DONE or a 2 ms timer; then the peer's record reported
 * (peer_report_served: JSON, timeline CSV, SVG) when it is small enough to
 * keep the harness fast (at most 10000 probes announced).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "fuzz.h"

#include "scenario/scenario.h"
#include "usbnet/peer.h"
#include "usbnet/peer_serve.h"
#include "usbnet/probe_proto.h"

static int send_all(int guest, const uint8_t *data, size_t size)
{
	size_t off = 0;
	int n = 0;

	while (off + 2 <= size && n < 64) {
		size_t len = (size_t)data[off] << 8 | data[off + 1];

		off += 2;
		if (len > size - off)
			len = size - off;
		if (len > PROBE_MAX_DATAGRAM)
			len = PROBE_MAX_DATAGRAM;
		send(guest, data + off, len, 0);
		off += len;
		n++;
	}
	return n;
}

static void report(struct peer_server *sv, const struct peer_spec *sp)
{
	static struct scenario s;
	static struct peers ps;

	snprintf(s.name, sizeof(s.name), "fuzz");
	ps = (struct peers){ .scenario = &s, .prefix = "", .n = 1 };
	snprintf(ps.results_dir, sizeof(ps.results_dir), "%s", fuzz_scratch());
	ps.p[0] = (struct peer){ .spec = *sp, .pid = -1, .ctl = -1, .port = sv->d.port };
	peer_report_served(&ps, &ps.p[0], sv);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct peer_spec sp = { .netdev = PEER_NETDEV_USER,
				.queues = 1,
				.probe = true,
				.rate = 100,
				.duration_ms = 100,
				.listen = { htonl(INADDR_LOOPBACK) },
				.listen_set = true,
				.seed_set = true };
	struct itimerspec stop_in = { .it_value = { .tv_nsec = 2000000 } };
	struct sockaddr_in to = { .sin_family = AF_INET };
	struct peer_server sv;
	uint8_t buf[PROBE_MAX_DATAGRAM];
	char err[256];
	int guest, stop;

	snprintf(sp.name, sizeof(sp.name), "net0");
	if (peer_server_open(&sv, &sp, NULL, err, sizeof(err)) < 0) {
		fprintf(stderr, "peer_datagram_fuzz: %s\n", err);
		abort();
	}
	guest = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	stop = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	to.sin_port = htons(sv.d.port);
	if (guest < 0 || stop < 0 || connect(guest, (struct sockaddr *)&to, sizeof(to)) < 0)
		abort();
	send_all(guest, data, size);
	timerfd_settime(stop, 0, &stop_in, NULL);
	peer_server_run(&sv, stop, true);
	peer_server_close(&sv);
	/* What the peer answered, as the guest would read it. */
	while (recv(guest, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
	if (sv.have_run && sv.d.nprobes <= 10000)
		report(&sv, &sp);
	peer_server_free(&sv);
	close(guest);
	close(stop);
	return 0;
}
