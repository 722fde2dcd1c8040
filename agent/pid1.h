/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the agent must do when the kernel starts it as /init. */
#ifndef GUESTCHECK_AGENT_PID1_H
#define GUESTCHECK_AGENT_PID1_H

#include <sys/types.h>

/* Mount proc, sysfs, devtmpfs (and debugfs), give fds 0-2 the console. */
void pid1_setup(void);

/* Wait for `child`, reaping every orphan that exits meanwhile. Its wait status. */
int pid1_wait_reaping(pid_t child);

/* Flush filesystems and power off. Never returns: init must not exit. */
void pid1_poweroff(void) __attribute__((noreturn));

#endif
