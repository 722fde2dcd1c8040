#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""LAVA's side of export_lava.sh and lava_run.sh, with Debian's LAVA 2023.01
(lava-common, lava-dispatcher); run it with Debian's /usr/bin/python3.

  lava_helper.py validate JOB...   LAVA's own job schema (lava_common.schemas)
  lava_helper.py pattern JOB       the job's monitors pattern against KTAP lines
  lava_helper.py device JOB QEMU   the device dictionary lava-run needs
  lava_helper.py results LOG       "NAME ok|not ok|skip" per test case that
                                   lava-run recorded (its stdout, JSON lines)

The device dictionary: on a farm lava-server renders it from its jinja2
device type (qemu.jinja2, not shipped in lava-dispatcher) and the job's
context; here it is written from the same context, with the meaning LAVA's
documentation gives each variable: no_kvm drops -cpu host -enable-kvm,
memory is -m, extra_options are appended; the device type's own -nographic,
-net nic/user and -monitor none are kept. QEMU is the binary to use (the
device type picks qemu-system-x86_64 or -aarch64 by arch).
"""
import json
import re
import sys

import yaml


def validate(files):
    from lava_common.schemas import validate as lava_validate

    for f in files:
        try:
            lava_validate(yaml.safe_load(open(f)), strict=True)
        except Exception as e:  # voluptuous.Invalid and its kin
            sys.exit("%s: LAVA's schema rejects it: %s" % (f, e))
        print("%s: valid" % f)


# What the agent writes to the console, cut in pieces as a serial line
# delivers it; the expected LAVA results in order.
KTAP = (
    "TAP version 13\n1..4\n# Starting 4 tests\n#  RUN   a.one ...\n"
    "# ok 9 not.a_result because it is a diagnostic\n"
    "#            OK  a.one\nok 1 a.one\n"
    "not ok 2 a.two\r\nok 3 a.three # SKIP no card here\nok 4 b.four\n"
    "# guestcheck-agent: end\n"
)
EXPECTED = [("a.one", "pass"), ("a.two", "fail"), ("a.three", "skip"), ("b.four", "pass")]


def pattern(job_file):
    """Feed KTAP in 3-byte pieces, matching as pexpect does (earliest match,
    the buffer consumed to its end): every result whole, none cut short."""
    job = yaml.safe_load(open(job_file))
    mon = [a["test"] for a in job["actions"] if "test" in a][0]["monitors"][0]
    pat = re.compile(mon["pattern"], re.DOTALL)
    end = re.compile(re.escape(mon["end"]), re.DOTALL)
    buf, got = "", []
    for i in range(0, len(KTAP), 3):
        buf += KTAP[i : i + 3]
        while True:
            m, e = pat.search(buf), end.search(buf)
            if e and (not m or e.start() < m.start()):
                buf = ""
                break
            if not m:
                break
            r = m.group("result")
            got.append((m.group("test_case_id"), mon["fixupdict"].get(r, r)))
            buf = buf[m.end() :]
    if got != EXPECTED:
        sys.exit("%s: the monitors pattern gave %s, expected %s" % (job_file, got, EXPECTED))
    print("%s: pattern gives %s" % (job_file, got))


def results(log):
    verdict = {"pass": "ok", "fail": "not ok", "skip": "skip"}
    for line in open(log, errors="replace"):
        # Only these: LAVA's own results are not all JSON ("size": ! "8247232").
        if '"lvl": "results"' not in line or '"definition": "guestcheck"' not in line:
            continue
        msg = json.loads(line)["msg"]
        if msg.get("definition") == "guestcheck":
            print(msg["extra"]["test_case_id"], verdict.get(msg["result"], msg["result"]))


def device(job_file, qemu):
    """The device dictionary for lava-run, on stdout (see the top)."""
    job = yaml.safe_load(open(job_file))
    ctx = job.get("context", {})
    options = []
    if not ctx.get("no_kvm"):
        options += ["-cpu host", "-enable-kvm"]
    options += [
        "-nographic",
        "-net nic,model=virtio,macaddr=52:54:00:12:34:58 -net user",
        "-m %s" % ctx.get("memory", 512),
        "-monitor none",
    ]
    device = {
        "device_type": "qemu",
        "hostname": "guestcheck-qemu",
        "available_architectures": ["amd64", "x86_64", "arm64", "aarch64"],
        "constants": {
            "shutdown-message": "The system is going down for reboot NOW",
            "kernel-start-message": "Linux version [0-9]",
            "default-shell-prompt": "lava-test: # ",
            "failure_retry": 1,
            "boot_retry": 1,
            "spawn_maxread": 4092,
            "posix": {
                "lava_test_sh_cmd": "/bin/sh",
                "lava_test_results_dir": "/lava-%s",
                "lava_test_shell_file": "~/.bashrc",
            },
        },
        "timeouts": {
            "actions": {},
            "connections": {},
        },
        "actions": {
            "deploy": {
                "connections": {"serial": None},
                "methods": {"image": {"parameters": {}}},
            },
            "boot": {
                "connections": {"serial": None},
                "methods": {
                    "qemu": {
                        "parameters": {
                            "command": qemu,
                            "options": options,
                            "extra": ctx.get("extra_options", []),
                        }
                    }
                },
            },
        },
    }
    yaml.safe_dump(device, sys.stdout, default_flow_style=False)



if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"validate": lambda: validate(args), "pattern": lambda: pattern(args[0]),
     "device": lambda: device(args[0], args[1]), "results": lambda: results(args[0])}[cmd]()
