/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The agent <-> runner protocol over the virtio-serial port.
 *
 * The guest writes one KTAP document (as the kselftest harness wrote it). The
 * agent's own messages travel inside it as KTAP diagnostic lines that start
 * with AGENT_LINE_PREFIX, so the stream stays valid KTAP for any parser:
 *
 *   # guestcheck-agent: hello version=0.1 kernel=6.1.0-56-amd64
 *   # guestcheck-agent: module-failed nvme: -ENOENT (not in the image)
 *   # guestcheck-agent: will-run devices.present
 *   TAP version 13 ... (the checks' results, in registry order)
 *   # guestcheck-agent: ran devices.present start=0.000 end=0.052
 *   # guestcheck-agent: end
 *
 * After "end" the runner writes AGENT_ACK_LINE back; the agent waits for it
 * (bounded) before powering off, so nothing written is lost in flight.
 */
#ifndef GUESTCHECK_PROTOCOL_H
#define GUESTCHECK_PROTOCOL_H

/* virtio-serial port name: -device virtserialport,name=<this> */
#define AGENT_PORT_NAME "org.guestcheck.ktap"

#define AGENT_LINE_PREFIX "# guestcheck-agent: "
#define AGENT_HELLO	  "hello"
#define AGENT_WILL_RUN	  "will-run"
#define AGENT_MODULE_FAIL "module-failed"
#define AGENT_END	  "end"
#define AGENT_RAN	  "ran" /* NAME start=S end=S: seconds from the first check's start */
#define AGENT_ACK_LINE	  "ack\n"

/* Longest line either side accepts; longer lines are cut and counted. */
#define PROTOCOL_MAX_LINE 4096

/* Where the runner's per-run configuration lands in the guest. */
#define AGENT_CONFIG_PATH "/etc/guestcheck/agent.ini"

#define GUESTCHECK_VERSION "0.1"

#endif
