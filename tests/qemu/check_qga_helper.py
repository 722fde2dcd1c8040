#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The tests' own small QEMU guest agent client, apart from guestcheck's, to
set a guest up and look at it afterwards (the runner's claims are not its own
evidence):

  check_qga_helper.py wait SOCKET SECONDS     until the agent answers a sync
  check_qga_helper.py gone SOCKET SECONDS     until it no longer answers one (within 3 s)
  check_qga_helper.py exec-enabled SOCKET yes|no SECONDS
                                              until guest-info says guest-exec is (not) enabled
  check_qga_helper.py exec SOCKET PROG ARG... run PROG, print its stdout, exit with its status
"""
import base64
import json
import random
import socket
import sys
import time


def connect(path, timeout):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(path)
    sync_id = random.randint(1, 2**31 - 1)
    s.sendall(b"\xff" + json.dumps({"execute": "guest-sync-delimited",
                                    "arguments": {"id": sync_id}}).encode() + b"\n")
    buf = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        buf += chunk
        if b"\xff" in buf:
            buf = buf[buf.rindex(b"\xff") + 1:]
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            try:
                if json.loads(line).get("return") == sync_id:
                    return s, buf
            except ValueError:
                pass


def call(s, buf, cmd, args=None):
    req = {"execute": cmd}
    if args is not None:
        req["arguments"] = args
    s.sendall(json.dumps(req).encode() + b"\n")
    while b"\n" not in buf:
        chunk = s.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        buf += chunk
    line, buf = buf.split(b"\n", 1)
    reply = json.loads(line)
    if "error" in reply:
        raise RuntimeError("%s: %s" % (cmd, reply["error"]))
    return reply["return"], buf


def main():
    what, path = sys.argv[1], sys.argv[2]
    if what == "wait":
        deadline = time.time() + float(sys.argv[3])
        while time.time() < deadline:
            try:
                s, _ = connect(path, 5)
                s.close()
                return 0
            except (OSError, ConnectionError):
                time.sleep(1)
        print("no guest agent answered at %s within %s s" % (path, sys.argv[3]))
        return 1
    if what == "gone":
        deadline = time.time() + float(sys.argv[3])
        while time.time() < deadline:
            try:
                s, _ = connect(path, 3)
                s.close()
                time.sleep(1)
            except (OSError, ConnectionError):
                return 0
        print("the guest agent at %s still answers after %s s" % (path, sys.argv[3]))
        return 1
    if what == "exec-enabled":
        want = sys.argv[3] == "yes"
        deadline = time.time() + float(sys.argv[4])
        while time.time() < deadline:
            try:
                s, buf = connect(path, 3)
                info, _ = call(s, buf, "guest-info")
                s.close()
                if any(c["name"] == "guest-exec" and c["enabled"] == want
                       for c in info["supported_commands"]):
                    return 0
            except (OSError, ConnectionError, ValueError, KeyError):
                pass
            time.sleep(1)
        print("guest-exec is not %s at %s after %s s" % ("enabled" if want else "disabled", path, sys.argv[4]))
        return 1
    if what == "exec":
        s, buf = connect(path, 30)
        ret, buf = call(s, buf, "guest-exec", {"path": sys.argv[3], "arg": sys.argv[4:],
                                               "capture-output": True})
        while True:
            st, buf = call(s, buf, "guest-exec-status", {"pid": ret["pid"]})
            if st["exited"]:
                break
            time.sleep(0.2)
        sys.stdout.write(base64.b64decode(st.get("out-data", "")).decode(errors="replace"))
        sys.stderr.write(base64.b64decode(st.get("err-data", "")).decode(errors="replace"))
        return st.get("exitcode", 128)
    print(__doc__)
    return 2


sys.exit(main())
