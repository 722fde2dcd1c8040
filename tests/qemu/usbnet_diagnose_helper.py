#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers of usbnet_diagnose.sh, which plays the user's own VM: a QEMU that
# guestcheck did not start, on taps made the way libvirt and Incus make them.
#
#   launch NETNS NAME:QUEUES:FD... -- QEMU ARGS   taps made inside NETNS, their
#         queues at descriptors FD, FD+1, ...; then exec QEMU in our own namespace
#   qmp SOCKET JSON...       run each command, print each "return" as a JSON line
#   remap SOCKET ...         the users' script (hotplug.c remap()), until DEVICE_DELETED
#   listen-garbage PATH      a unix socket that answers with bytes that are not QMP
#   listen-silent PATH       a unix socket that accepts and says nothing
#   hold SOCKET SECONDS      hold QEMU's monitor, as libvirtd holds its own
#   flood NETNS IFNAME N     N broadcast frames out of IFNAME inside NETNS (only there)
import ctypes, fcntl, json, os, socket, struct, sys, time

CLONE_NEWNET = 0x40000000
TUNSETIFF = 0x400454CA
IFF_TAP, IFF_NO_PI, IFF_VNET_HDR, IFF_MULTI_QUEUE = 0x0002, 0x1000, 0x4000, 0x0100
libc = ctypes.CDLL(None, use_errno=True)


def setns(fd):
    if libc.setns(fd, CLONE_NEWNET) != 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))


def launch(args):
    sep = args.index("--")
    netns, specs, qemu = args[0], args[1:sep], args[sep + 1:]
    home = os.open("/proc/self/ns/net", os.O_RDONLY)
    target = os.open(f"/run/netns/{netns}", os.O_RDONLY)
    setns(target)
    for spec in specs:
        name, queues, first = spec.split(":")
        flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR | (IFF_MULTI_QUEUE if int(queues) > 1 else 0)
        for q in range(int(queues)):
            fd = os.open("/dev/net/tun", os.O_RDWR)
            fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), flags))
            os.dup2(fd, int(first) + q, inheritable=True)
            os.close(fd)
    # QEMU itself stays in the host's namespace, as libvirt's does: only the
    # taps live in the test's, which diagnose must find on its own.
    setns(home)
    os.close(target)
    os.close(home)
    os.execvp(qemu[0], qemu)


class Qmp:
    def __init__(self, path, timeout=10):
        self.s = socket.socket(socket.AF_UNIX)
        self.s.settimeout(timeout)
        self.s.connect(path)
        self.f = self.s.makefile("rw")
        self.events = []
        greeting = json.loads(self.f.readline())
        assert "QMP" in greeting, greeting
        self.run("qmp_capabilities")

    def run(self, cmd, **args):
        msg = {"execute": cmd}
        if args:
            msg["arguments"] = args
        self.f.write(json.dumps(msg) + "\n")
        self.f.flush()
        while True:
            r = json.loads(self.f.readline())
            if "event" in r:
                self.events.append(r["event"])
                continue
            if "error" in r:
                raise SystemExit(f"QMP {cmd} {args}: {r['error']}")
            return r["return"]

    def wait_event(self, name, seconds):
        end = time.monotonic() + seconds
        while name not in self.events:
            if time.monotonic() > end:
                raise SystemExit(f"no {name} within {seconds} s (events: {self.events})")
            self.s.settimeout(max(0.1, end - time.monotonic()))
            try:
                r = json.loads(self.f.readline())
            except socket.timeout:
                continue
            if "event" in r:
                self.events.append(r["event"])


def qmp(args):
    q = Qmp(args[0])
    for a in args[1:]:
        c = json.loads(a)
        print(json.dumps(q.run(c["execute"], **c.get("arguments", {})), sort_keys=True))


def remap(args):
    # remap SOCKET OLD_NIC NEW_ID FDS: as the users' script and hotplug.c do it
    path, old, new, fds = args
    q = Qmp(path)
    q.run("netdev_add", type="tap", id=new, fds=fds)
    q.run("device_add", driver="usb-net", id=new, netdev=new, bus="xhci.0")
    q.run("set_link", name=old, up=False)
    q.run("device_del", id=old)
    # The guest's pciehp ejects the slot 5 s after the attention button.
    q.wait_event("DEVICE_DELETED", 60)
    print("remapped:", " ".join(q.events))


def listen(path, garbage):
    s = socket.socket(socket.AF_UNIX)
    s.bind(path)
    s.listen(4)
    print("listening", flush=True)
    while True:
        c, _ = s.accept()
        if garbage:
            c.sendall(b"SSH-2.0-OpenSSH_9.2 this is no QMP\r\n")
        time.sleep(0.1)


def hold(args):
    q = Qmp(args[0])
    print("holding", flush=True)
    time.sleep(float(args[1]))


def flood(args):
    netns, ifname, n = args[0], args[1], int(args[2])
    setns(os.open(f"/run/netns/{netns}", os.O_RDONLY))
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((ifname, 0))
    frame = b"\xff" * 6 + b"\x02\x00\x00\x00\x00\x01" + b"\x88\xb5" + b"guestcheck" * 10
    sent = 0
    for _ in range(n):
        try:
            sent += s.send(frame) > 0
        except OSError:
            pass
        time.sleep(0.0005)
    print("sent", sent)


cmd, rest = sys.argv[1], sys.argv[2:]
{"launch": launch, "qmp": qmp, "remap": remap, "flood": flood, "hold": hold,
 "listen-garbage": lambda a: listen(a[0], True),
 "listen-silent": lambda a: listen(a[0], False)}[cmd](rest)
