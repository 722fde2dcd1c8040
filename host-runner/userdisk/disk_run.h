/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `guestcheck run` of a scenario with [machine] disk = FILE: the user's own
 * image booted by the firmware (SeaBIOS) through a throwaway qcow2 overlay
 * in the run directory (QEMU opens the image itself read-only, as the
 * overlay's backing file: it is never written), with the scenario's devices
 * and a QEMU guest agent channel (RUNDIR_QGA_SOCKET, port
 * org.qemu.guest_agent.0). The boot is done when the guest's agent answers
 * guest-sync within the scenario's boot_timeout.
 *
 * Then the VM is up and its guest agent's socket is free (the probe has let
 * go of it): disk_run_checks() is where the checks run through it, before
 * the guest is shut down over the same agent.
 */
#ifndef GUESTCHECK_DISK_RUN_H
#define GUESTCHECK_DISK_RUN_H

struct guest;
struct run_options;

/* The exit status (cli/commands.h): 0, 1, 2 bad input, 3 infrastructure. */
int disk_run(const struct run_options *o, const struct guest *g);

/*
 * The VM is up; qga_socket (RUNDIR_QGA_SOCKET in its run directory) answers
 * and nobody holds it. Runs the scenario's checks through it and writes the
 * reports into o->results_dir; the exit status.
 */
int disk_run_checks(const struct run_options *o, const struct guest *g, const char *qga_socket);

#endif
