/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One QEMU and everything around it, owned by one struct (after QEMU's
 * tests/qtest/libqtest.c, QTestState): SIGINT, SIGTERM and SIGHUP taken
 * through a signalfd so that teardown always runs, a private run directory
 * (mkdtemp) holding the sockets QEMU connects to (the agent's port, the
 * console, QMP), the logs, the process (PR_SET_PDEATHSIG; SIGTERM, a grace
 * period, then SIGKILL) and the QMP client.
 *
 *   vm_open()   signals, run directory, sockets, logs: before the command
 *               line, which names the run directory
 *   vm_start()  QEMU itself, its stdout and stderr to qemu.log
 *   vm_poll()   accept, read, log and deliver; says what happened
 *   vm_stop()   stop and reap QEMU (the run directory stays, for whoever
 *               reports from it)
 *   vm_close()  vm_stop(), then the rest in reverse order of vm_open()
 *
 * Every byte from QEMU and the guest is untrusted: logs are capped, reads
 * bounded, and the QMP client bounds its own (qmp.h).
 */
#ifndef GUESTCHECK_VM_H
#define GUESTCHECK_VM_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

struct qmp;
struct vm;

#define VM_MAX_CONSOLE_BYTES (16u << 20)

struct vm_config {
	const char *results_dir; /* exists: qemu.log, console.log and ktap.log go there */
	const char *log_prefix;	 /* "" or "kvm-attempt-", before each log's name */
	/* Above 0: the agent port's bytes go to ktap.log, up to this many (vm_ktap_dropped()). */
	size_t ktap_log_max;
	/* Negotiate QMP when QEMU connects (vm_qmp()); otherwise it is read and dropped. */
	bool qmp;
	/*
	 * vm_stop() asks QEMU to quit over QMP before any signal: under
	 * -no-shutdown QEMU outlives the guest, and quit is its orderly end.
	 */
	bool quit_over_qmp;
	bool keep_rundir;
	FILE *kept_note; /* where to say that the run directory was kept, or NULL */
	/* Each chunk read from the agent's port and from the console; either may be NULL. */
	void (*on_ktap)(void *opaque, const char *buf, size_t len);
	void (*on_console)(void *opaque, const char *buf, size_t len);
	void *opaque;
};

/* What vm_poll() saw, as flags. */
enum vm_event {
	VM_SIGNAL = 1 << 0,	/* SIGINT, SIGTERM or SIGHUP to the runner: vm_signal() */
	VM_EXITED = 1 << 1,	/* QEMU exited and was reaped; what it wrote was read */
	VM_QMP_FAILED = 1 << 2, /* QEMU connected, QMP did not answer: vm_qmp_error() */
};

/*
 * Block the stop signals, make the run directory and its sockets, open the
 * logs. c must outlive the vm. 0 or -errno with one sentence in err; *out
 * is set either way (vm_close() it).
 */
int vm_open(const struct vm_config *c, struct vm **out, char *err, size_t errsize);

/* QEMU's process id once started, else 0. */
pid_t vm_pid(const struct vm *vm);

/* The private run directory: sockets, scratch images, the initrd. */
const char *vm_rundir(const struct vm *vm);

/* Start QEMU (argv[0]) with the command line argv. 0 or -errno with err. */
int vm_start(struct vm *vm, char *const argv[], char *err, size_t errsize);

/*
 * Wait up to timeout_ms for QEMU's sockets, accept its connections, read
 * what is there (logged, then handed to on_ktap and on_console), and see
 * whether QEMU exited (then everything it wrote is read first). Returns
 * enum vm_event flags (0: nothing of note), or -errno when poll failed.
 * Stops at a signal before reading anything more.
 */
int vm_poll(struct vm *vm, int timeout_ms);

/* Read the console until it stays quiet for quiet_ms (or ends). */
void vm_drain_console(struct vm *vm, int quiet_ms);

/* Write to the agent's port (the `ack`). -errno when it is not connected or failed. */
int vm_send_ktap(struct vm *vm, const char *buf, size_t len);

/* The negotiated QMP client, or NULL. It stays the vm's. */
struct qmp *vm_qmp(const struct vm *vm);
const char *vm_qmp_error(const struct vm *vm);

/* The signal that vm_poll() reported. */
int vm_signal(const struct vm *vm);

/*
 * 0, or -errno when ktap.log or console.log could not be written (a full
 * disk): err names the log, where it was cut, and the fix.
 */
int vm_log_error(const struct vm *vm, char *err, size_t errsize);

/* The signals that stop a run (SIGINT, SIGTERM, SIGHUP): vm_open() holds them for vm_poll(). */
void vm_stop_signals(sigset_t *set);

/* Bytes of the agent's port that ktap.log had no room for. */
size_t vm_ktap_dropped(const struct vm *vm);

/* "status 1" or "killed by signal 9": how QEMU ended, once VM_EXITED was seen. */
const char *vm_exit_text(const struct vm *vm, char *buf, size_t size);

/* The first line QEMU wrote to qemu.log, or "": what a refusal to start says. */
void vm_first_log_line(const struct vm *vm, char *buf, size_t size);

/* The last lines of the console, printable ASCII only. Caller frees; NULL without memory. */
char *vm_console_tail(const struct vm *vm, size_t max_lines);

/*
 * Stop QEMU (quit over QMP when asked to, then SIGTERM, a grace period,
 * SIGKILL) and reap it. Idempotent. NULL is fine.
 */
void vm_stop(struct vm *vm);

/*
 * vm_stop() without its grace: SIGTERM, then SIGKILL after 20 ms. For a
 * QEMU whose guest never ran (nothing to flush), whose main loop may be
 * stuck behind a vCPU that never comes back and would not heed SIGTERM.
 */
void vm_stop_now(struct vm *vm);

/*
 * vm_stop(), then in reverse order: the QMP client, the sockets, the logs,
 * the signal mask as it was, and the run directory (unless kept). NULL is fine.
 */
void vm_close(struct vm *vm);

#endif
