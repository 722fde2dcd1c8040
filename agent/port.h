/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The virtio-serial port the KTAP stream travels on. */
#ifndef GUESTCHECK_AGENT_PORT_H
#define GUESTCHECK_AGENT_PORT_H

#include <stdbool.h>
#include <stddef.h>

#include "sysroot.h"

/*
 * The /dev node of the virtio-serial port called `name`: looks for
 * /sys/class/virtio-ports/vportNpM/name == name. A name starting "tty" is a
 * UART (machines without virtio: ttyPS1 on xlnx-zcu102): /dev/NAME itself.
 * 0, or -ENOENT.
 */
int port_find(const struct sysroot *root, const char *name, char *dev, size_t size);

/* port_find() retried every 50 ms for up to timeout_ms. */
int port_wait(const struct sysroot *root, const char *name, char *dev, size_t size,
	      unsigned int timeout_ms);

/* A UART carries bytes as they are: raw mode, no echo, no CR/LF mapping. No-op for others. */
void port_make_raw(int fd);

/* Wait up to timeout_ms for the runner's AGENT_ACK_LINE on fd. */
bool port_wait_ack(int fd, unsigned int timeout_ms);

#endif
