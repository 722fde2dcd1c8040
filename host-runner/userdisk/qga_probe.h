/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Is the user's guest up? Asked of its QEMU guest agent on the unix socket
 * QEMU listens on (RUNDIR_QGA_SOCKET), a step at a time so the caller keeps
 * serving QEMU's console and QMP between steps: connect, guest-sync with a
 * fresh id every QGA_PROBE_RESEND_MS (bytes sent before the agent opened
 * its port wait in QEMU, so stale answers are told apart by their id), then
 * guest-info for the agent's version, and at the end guest-shutdown.
 *
 * Only the boot is judged here; the checks run through the guest agent by
 * `guestcheck check --qga` (README, "Your own disk image").
 */
#ifndef GUESTCHECK_QGA_PROBE_H
#define GUESTCHECK_QGA_PROBE_H

#include <stdbool.h>
#include <stddef.h>

#define QGA_PROBE_RESEND_MS 2000
#define QGA_PROBE_LINE_MAX  (256u << 10)

struct qga_probe {
	char path[108]; /* sockaddr_un's sun_path */
	int fd;		/* -1 until connected */
	unsigned int id;
	double sent_at;
	char *buf; /* bytes read, up to QGA_PROBE_LINE_MAX */
	size_t len;
};

void qga_probe_init(struct qga_probe *p, const char *socket_path);

/* One step: 1 when the agent answered the latest guest-sync, 0 not yet, -errno. */
int qga_probe_step(struct qga_probe *p);

/* After an answer: guest-info's version ("7.2.22"), within timeout_ms. 0 or -errno, err. */
int qga_probe_version(struct qga_probe *p, int timeout_ms, char *version, size_t size, char *err,
		      size_t errsize);

/* guest-shutdown (powerdown): it has no answer when it works. 0 or -errno. */
int qga_probe_shutdown(struct qga_probe *p);

/*
 * An error answer read within timeout_ms (guest-shutdown's "child process
 * has failed to shutdown"): 1 with its desc, 0 none, -errno the socket.
 */
int qga_probe_error(struct qga_probe *p, int timeout_ms, char *desc, size_t size);

void qga_probe_free(struct qga_probe *p);

/*
 * The id a guest-sync answer line returns, or -1: pure, for the unit test.
 * A line is one JSON object: {"return": ID}.
 */
long long qga_probe_sync_id(const char *line);

#endif
