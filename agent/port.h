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

/*
 * Is the port `name` (a "tty..." name) one of the kernel's consoles
 * (/sys/class/tty/console/active)? Then no runner reads it, the kernel's
 * printk writes to it too, and LAVA (guestcheck export --lava) reads it.
 */
bool port_is_console(const struct sysroot *root, const char *name);

/*
 * Keep printk off the console while KTAP is written to it: a kernel message
 * lands mid-line in the UART's output (the tty layer sends a write() in FIFO
 * sized pieces, and printk writes the UART directly in between), and a
 * reader matching whole KTAP lines loses that result. Sets the console
 * loglevel to 1 (KERN_EMERG only); returns the one to restore, or -errno.
 * The messages stay in the kernel's buffer (dmesg), only the console is quiet.
 */
int port_console_quiet(void);
void port_console_restore(int level);

/* Wait up to timeout_ms for the runner's AGENT_ACK_LINE on fd. */
bool port_wait_ack(int fd, unsigned int timeout_ms);

#endif
