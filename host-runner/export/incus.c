// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The scenario as Incus VM configuration: raw.qemu for what has no config
 * section (kernel, initrd, command line), raw.qemu.conf for the devices as
 * QEMU config-file sections, which Incus merges into its own.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cleanup.h"
#include "errmsg.h"

#include "devices/device_type.h"
#include "export/export.h"
#include "export/export_text.h"
#include "usbnet/peer_spec.h"

/* Groups Incus provides itself: its machine, memory, CPUs, monitors and their chardevs. */
static bool incus_owns(const struct qemu_config *q, const struct qemu_group *g)
{
	if (!strcmp(g->group, "chardev"))
		for (size_t i = 0; i < q->ngroups; i++)
			if (!strcmp(q->groups[i].group, "mon") &&
			    !strcmp(qemu_group_get(&q->groups[i], "chardev") ?: "", g->id))
				return true;
	return !strcmp(g->group, "machine") || !strcmp(g->group, "memory") ||
	       !strcmp(g->group, "smp-opts") || !strcmp(g->group, "mon") ||
	       !strcmp(g->group, "cpu");
}

/*
 * A usb-net the runner plugs over QMP (plug = hot | remap): in Incus its
 * netdev stays in raw.qemu.conf, its QMP steps go to the scriptlet, and a
 * remap moves Incus's own NIC instead of the runner's virtio-net on a tap.
 */
static const struct scenario_device *plugged_device(const struct scenario *s,
						    const struct qemu_group *g, bool *remap)
{
	for (size_t i = 0; i < s->ndevices; i++) {
		const struct scenario_device *d = &s->devices[i];
		const char *plug = device_key(d, "plug");
		size_t n = strlen(d->name);

		if (d->type != &usb_net_device || !plug || !strcmp(plug, "cold"))
			continue;
		*remap = !strcmp(plug, "remap");
		if (!strncmp(g->id, d->name, n) && g->id[n] == '-')
			return d; /* net0-orig, net0-virtio, net0-rp: the runner's own frontend */
	}
	return NULL;
}

static bool has_plug_steps(const struct scenario *s)
{
	for (size_t i = 0; i < s->ndevices; i++) {
		const char *plug = device_key(&s->devices[i], "plug");

		if (s->devices[i].type == &usb_net_device && plug && strcmp(plug, "cold"))
			return true;
	}
	return false;
}

/* Starlark, run by Incus at each start stage; QMP through run_qmp() only. */
static void write_scriptlet(const struct scenario *s, FILE *out)
{
	fputs("  raw.qemu.scriptlet: |\n"
	      "    # guestcheck: the scenario's QMP steps, at Incus's pre-start stage (before\n"
	      "    # the guest runs: Incus has no stage after the guest's boot). link_down\n"
	      "    # steps need a clock and are left to `guestcheck run`.\n"
	      "    def qmp(command, arguments):\n"
	      "        return run_qmp({\"execute\": command, \"arguments\": arguments})\n"
	      "\n"
	      "    def tap_fds(netdev):\n"
	      "        fds = []\n"
	      "        info = qmp(\"human-monitor-command\", {\"command-line\": \"info "
	      "network\"})\n"
	      "        for line in info[\"return\"].split(\"\\n\"):\n"
	      "            if line.strip().startswith(\"\\\\ \" + netdev + \":\") and \"fd=\" in "
	      "line:\n"
	      "                fds.append(line.split(\"fd=\")[1].split(\",\")[0].strip())\n"
	      "        return fds\n"
	      "\n"
	      "    def remap_to_usb_net(qdev, name, mac):\n"
	      "        # What the users' script does: the NIC's tap descriptors re-used by a\n"
	      "        # new netdev under usb-net, the old frontend unlinked and deleted.\n"
	      "        path = \"/machine/peripheral/\" + qdev\n"
	      "        netdev = qmp(\"qom-get\", {\"path\": path, \"property\": "
	      "\"netdev\"})[\"return\"]\n"
	      "        qmp(\"netdev_add\", {\"type\": \"tap\", \"id\": name, \"fds\": "
	      "\":\".join(tap_fds(netdev))})\n"
	      "        qmp(\"device_add\", {\"driver\": \"usb-net\", \"id\": name, \"netdev\": "
	      "name,\n"
	      "                            \"bus\": \"xhci.0\", \"mac\": mac})\n"
	      "        qmp(\"set_link\", {\"name\": qdev, \"up\": False})\n"
	      "        qmp(\"device_del\", {\"id\": qdev})\n"
	      "\n"
	      "    def remap_to_usb_net_fixed(qdev, name, mac):\n"
	      "        # Corrected (guestcheck README, \"The users' remap, measured\"): the\n"
	      "        # NIC deleted first, so the guest never binds it (its driver would\n"
	      "        # reset the tap's virtio-net header under the usb-net), the usb-net\n"
	      "        # (one queue) on queue 0's descriptor only, the old netdev kept\n"
	      "        # (netdev_del would close the descriptors the new one reads).\n"
	      "        path = \"/machine/peripheral/\" + qdev\n"
	      "        netdev = qmp(\"qom-get\", {\"path\": path, \"property\": "
	      "\"netdev\"})[\"return\"]\n"
	      "        fds = tap_fds(netdev)\n"
	      "        qmp(\"set_link\", {\"name\": qdev, \"up\": False})\n"
	      "        qmp(\"device_del\", {\"id\": qdev})\n"
	      "        left = qmp(\"qom-list\", {\"path\": \"/machine/peripheral\"})[\"return\"]\n"
	      "        if qdev in [d[\"name\"] for d in left]:\n"
	      "            # Paused, QEMU completes the unplug itself only on a native PCIe\n"
	      "            # slot the guest never powered ([global] ICH9-LPC\n"
	      "            # acpi-pci-hotplug-with-bridge-support = off).\n"
	      "            log_error(\"remap: \" + qdev + \" is still there while QEMU is paused: "
	      "not remapped\")\n"
	      "            return\n"
	      "        qmp(\"netdev_add\", {\"type\": \"tap\", \"id\": name, \"fds\": fds[0]})\n"
	      "        qmp(\"device_add\", {\"driver\": \"usb-net\", \"id\": name, \"netdev\": "
	      "name,\n"
	      "                            \"bus\": \"xhci.0\", \"mac\": mac})\n"
	      "\n"
	      "    def qemu_hook(instance, stage):\n"
	      "        if stage != \"pre-start\":\n"
	      "            return\n",
	      out);
	for (size_t i = 0; i < s->ndevices; i++) {
		const struct scenario_device *d = &s->devices[i];
		const char *plug = device_key(d, "plug"), *mac = device_key(d, "mac");

		if (d->type != &usb_net_device || !plug || !strcmp(plug, "cold"))
			continue;
		if (!strcmp(plug, "hot"))
			fprintf(out,
				"        qmp(\"device_add\", {\"driver\": \"usb-net\", \"id\": "
				"\"%s\", "
				"\"netdev\": \"%s\", \"bus\": \"xhci.0\"%s%s%s})\n",
				d->name, d->name, mac ? ", \"mac\": \"" : "", mac ? mac : "",
				mac ? "\"" : "");
		else
			fprintf(out,
				"        remap_to_usb_net%s(\"dev-incus_eth0\", \"%s\", \"%s\")\n",
				device_key(d, "remap_fix") &&
						strcmp(device_key(d, "remap_fix"), "no")
					? "_fixed"
					: "",
				d->name, mac ? mac : "52:54:00:12:34:56");
	}
}

/*
 * " NAME 'VALUE'": one word for Incus, which splits raw.qemu like a shell
 * (go-shellquote). A quote in VALUE closes, is escaped, and reopens, so a
 * scenario's append or a folder with spaces stays one word and can never add
 * an option (measured before: append = x' -device pci-testdev -append 'y added
 * a device to the user's instance).
 */
static void shell_word(FILE *out, const char *name, const char *value)
{
	fprintf(out, "%s '", name);
	for (const char *c = value ? value : ""; *c; c++)
		if (*c == '\'')
			fputs("'\\''", out);
		else
			fputc(*c, out);
	fputc('\'', out);
}

/* A YAML double-quoted scalar. */
static void yaml_quoted(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

int export_write_incus(const struct export_bundle *b, FILE *out, char *err, size_t errsize)
{
	const struct qemu_config *q = &b->qemu;
	struct qemu_group *machine = qemu_config_find((struct qemu_config *)q, "machine", "");
	_cleanup_free_ char *raw = NULL;
	size_t raw_len = 0;
	FILE *raw_mem;
	int r;

	if (!machine)
		return errmsg(err, errsize, -EINVAL, "no machine options: this is a bug");
	if (!export_text_clean(qemu_group_get(machine, "append") ?: "") ||
	    !export_text_clean(b->dir))
		return errmsg(err, errsize, -EINVAL,
			      "the kernel command line or the folder %s has a newline, a control "
			      "character or bytes that are not UTF-8: Incus's YAML cannot carry "
			      "it: fix [machine] append or -o",
			      b->dir);
	raw_mem = open_memstream(&raw, &raw_len);
	if (!raw_mem)
		return -ENOMEM;
	shell_word(raw_mem, "-kernel", qemu_group_get(machine, "kernel"));
	shell_word(raw_mem, " -initrd", qemu_group_get(machine, "initrd"));
	shell_word(raw_mem, " -append", qemu_group_get(machine, "append"));
	if (fclose(raw_mem) != 0)
		return -ENOMEM;
	/*
	 * A profile, not `incus config edit NAME`: that replaces the whole
	 * instance, its profiles too, and the VM loses its root disk and eth0
	 * (Incus 6.0: "Invalid root disk device: No root device could be found").
	 */
	fprintf(out,
		"# guestcheck scenario %s as an Incus profile, for a VM:\n"
		"#   incus profile create guestcheck-%s\n"
		"#   incus profile edit guestcheck-%s < THIS_FILE\n"
		"#   incus init --empty --vm NAME --profile default --profile guestcheck-%s\n"
		"# The files named here must be readable by Incus's QEMU: copy %s there.\n"
		"# The agent's KTAP goes to %s/ktap.log.\n"
		"# %s\n"
		"config:\n  security.secureboot: \"false\"\n"
		"  limits.memory: %lluMiB\n  limits.cpu: \"%u\"\n  raw.qemu: ",
		b->guest.scenario.name, b->guest.scenario.name, b->guest.scenario.name,
		b->guest.scenario.name, b->dir, b->dir,
		has_plug_steps(&b->guest.scenario)
			? "The QMP hot-plug steps are in raw.qemu.scriptlet; a remap moves the "
			  "instance's eth0."
			: "This scenario has no hot-plug steps, so no raw.qemu.scriptlet.",
		(unsigned long long)(b->guest.scenario.memory >> 20), b->guest.scenario.cpus);
	yaml_quoted(out, raw);
	fputs("\n  raw.qemu.conf: |\n", out);
	for (size_t i = 0; i < q->ngroups; i++) {
		const struct qemu_group *g = &q->groups[i];
		bool remap = false;

		if (incus_owns(q, g) || (plugged_device(&b->guest.scenario, g, &remap) && remap))
			continue;
		if (g->id[0])
			fprintf(out, "    [%s \"%s\"]\n", g->group, g->id);
		else
			fprintf(out, "    [%s]\n", g->group);
		for (size_t j = 0; j < g->nprops; j++) {
			if ((r = export_qemu_config_value_check(g, j, err, errsize)) < 0)
				return r;
			fprintf(out, "    %s = \"%s\"\n", g->props[j].key, g->props[j].value);
		}
	}
	if (has_plug_steps(&b->guest.scenario))
		write_scriptlet(&b->guest.scenario, out);
	return ferror(out) ? -EIO : 0;
}
