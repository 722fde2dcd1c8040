# SPDX-License-Identifier: GPL-2.0-or-later
"""Run an exported raw.qemu.scriptlet the way Incus does, against a real QEMU.

Incus calls qemu_hook(instance, stage) and gives the scriptlet run_qmp().
Starlark is a subset of Python, so the scriptlet runs here as Python with a
run_qmp() that talks to QEMU's QMP socket. Usage: SOCKET YAML.
"""
import json
import socket
import sys

import yaml


def main():
    sock = socket.socket(socket.AF_UNIX)
    sock.connect(sys.argv[1])
    stream = sock.makefile("rw")
    json.loads(stream.readline())  # the greeting

    def run_qmp(request):
        stream.write(json.dumps(request) + "\n")
        stream.flush()
        while True:
            reply = json.loads(stream.readline())
            if "event" in reply:
                continue
            if "error" in reply:
                raise SystemExit(f"QMP {request['execute']}: {reply['error']['desc']}")
            return reply

    run_qmp({"execute": "qmp_capabilities"})
    scriptlet = yaml.safe_load(open(sys.argv[2]))["config"]["raw.qemu.scriptlet"]
    def log(level):
        return lambda *parts: print(f"scriptlet {level}:", *parts, file=sys.stderr)

    # Incus gives scriptlets run_qmp() and log_info/log_warn/log_error().
    names = {"run_qmp": run_qmp, "log_info": log("info"), "log_warn": log("warn"),
             "log_error": log("error")}
    exec(compile(scriptlet, "raw.qemu.scriptlet", "exec"), names)
    for stage in ("config", "early", "pre-start"):
        names["qemu_hook"](None, stage)
    run_qmp({"execute": "cont"})


main()
