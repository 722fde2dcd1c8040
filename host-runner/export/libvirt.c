// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The scenario as a libvirt domain. libvirt 9.0's schema cannot express an SD
 * host controller and card (bus='sd' targets are rejected), nor a zoned NVMe
 * namespace or usb-net on a chosen bus, so those devices go through
 * <qemu:commandline>; the agent's channel and the console are native.
 *
 * What a real libvirtd 9.0 needs on top (measured, README "Exporting to
 * libvirt"): type='qemu' under TCG; <acpi/>, or libvirt passes -no-acpi and
 * the SD controllers' interrupts are never routed; a <uuid> that stays the
 * same, so defining the export again replaces the domain; and a root-bus slot
 * for every PCI device libvirt does not know, out of the slots it assigns
 * (commandline_slot). The steps that stay by hand are in <description>.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <libxml/xmlwriter.h>

#include "errmsg.h"

#include "export/export.h"
#include "export/export_text.h"
#include "export/peer_steps.h"

#define QEMU_NS "http://libvirt.org/schemas/domain/qemu/1.0"

/*
 * Root-bus slots for the <qemu:commandline> devices that name none (xHCI,
 * NVMe, PCIe root ports): 0x0e down to 0x03. libvirt puts its own devices
 * behind PCIe root ports at slot 1 (functions 0-7), then 2 and up as devices
 * are added; the SD controllers sit at 0x0f-0x1e (devices/sd_card.c) and the
 * q35's ICH9 at 0x1f.
 */
#define SLOT_FIRST 0x0e
#define SLOT_LAST  0x03

struct domain_writer {
	const struct export_bundle *b;
	xmlTextWriterPtr w;
	unsigned int next_slot;
	char *err;
	size_t errsize;
};

/* A device that lands on the root PCI bus, with no slot of its own (none: no PCI). */
static bool needs_slot(const struct qemu_group *g, const char *pci_root)
{
	const char *bus = qemu_group_get(g, "bus");

	return pci_root && !strcmp(g->group, "device") && !qemu_group_get(g, "addr") &&
	       (!bus || !strcmp(bus, pci_root));
}

/* "-device", "driver,id=x,k=v": a group back as command-line arguments. */
static int group_args(const struct qemu_group *g, unsigned int slot, char *buf, size_t size)
{
	const char *implied = !strcmp(g->group, "device")   ? "driver"
			      : !strcmp(g->group, "netdev") ? "type"
							    : NULL;
	size_t len = 0;

	if (implied && qemu_group_get(g, implied))
		len += snprintf(buf + len, size - len, "%s,", qemu_group_get(g, implied));
	len += snprintf(buf + len, size - len, "id=%s", g->id);
	for (size_t i = 0; i < g->nprops && len < size; i++) {
		_cleanup_free_ char *v = qemu_opts_escape(g->props[i].value);

		if (implied && !strcmp(g->props[i].key, implied))
			continue;
		if (!v)
			return -ENOMEM;
		len += snprintf(buf + len, size - len, ",%s=%s", g->props[i].key, v);
	}
	if (slot && len < size)
		len += snprintf(buf + len, size - len, ",addr=0x%x", slot);
	return len < size ? 0 : -E2BIG;
}

static void arg(xmlTextWriterPtr w, const char *value)
{
	xmlTextWriterStartElementNS(w, BAD_CAST "qemu", BAD_CAST "arg", NULL);
	xmlTextWriterWriteAttribute(w, BAD_CAST "value", BAD_CAST value);
	xmlTextWriterEndElement(w);
}

static void element(xmlTextWriterPtr w, const char *name, const char *text)
{
	xmlTextWriterWriteElement(w, BAD_CAST name, BAD_CAST text);
}

static void empty_element(xmlTextWriterPtr w, const char *name, const char *attr, const char *value)
{
	xmlTextWriterStartElement(w, BAD_CAST name);
	if (attr)
		xmlTextWriterWriteAttribute(w, BAD_CAST attr, BAD_CAST value);
	xmlTextWriterEndElement(w);
}

static void file_chardev(xmlTextWriterPtr w, const char *element_name, const char *path)
{
	xmlTextWriterStartElement(w, BAD_CAST element_name);
	xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST "file");
	empty_element(w, "source", "path", path);
}

/* Stable for a scenario and a folder: defining the export again replaces the domain. */
static void domain_uuid(const struct export_bundle *b, char out[37])
{
	char key[sizeof(b->dir) + 128];
	int len = snprintf(key, sizeof(key), "%s\n%s", b->guest.scenario.name, b->dir);
	unsigned char u[16];
	XXH128_canonical_t c;

	XXH128_canonicalFromHash(
		&c, XXH3_128bits(key, len < (int)sizeof(key) ? (size_t)len : sizeof(key) - 1));
	memcpy(u, c.digest, sizeof(u));
	u[6] = (u[6] & 0x0f) | 0x80; /* RFC 9562 version 8: a name's own hash */
	u[8] = (u[8] & 0x3f) | 0x80;
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12],
		 u[13], u[14], u[15]);
}

static bool tcg(const struct export_bundle *b)
{
	const struct qemu_group *machine =
		qemu_config_find((struct qemu_config *)&b->qemu, "machine", "");
	const char *accel = machine ? qemu_group_get(machine, "accel") : NULL;

	return accel && !strcmp(accel, "tcg");
}

/*
 * After `lead`, the files of the drives inside the export's folder (or, with
 * inside false, elsewhere): how many. With out NULL it only counts them.
 */
static size_t drive_files(const struct export_bundle *b, bool inside, const char *lead, FILE *out)
{
	size_t n = 0, dlen = strlen(b->dir);

	for (size_t i = 0; i < b->qemu.ngroups; i++) {
		const struct qemu_group *g = &b->qemu.groups[i];
		const char *file = qemu_group_get(g, "file");

		if (strcmp(g->group, "drive") || !file ||
		    inside != (!strncmp(file, b->dir, dlen) && file[dlen] == '/'))
			continue;
		if (out && !n)
			fputs(lead, out);
		if (out) {
			fputc(' ', out);
			shell_quote(file, out);
		}
		n++;
	}
	return n;
}

/*
 * What stays by hand, as <description> (a comment may not hold "--"): the
 * accelerator, the files libvirt does not chown, the usb-net peers. Each
 * command is a line of its own after four spaces, to be run as written.
 */
static int description(const struct export_bundle *b, FILE *out)
{
	const struct scenario *s = &b->guest.scenario;

	fprintf(out,
		"\nguestcheck scenario %s (guestcheck export --libvirt). The agent's KTAP goes "
		"to %s/ktap.log, the console to %s/console.log; the guest powers off when the "
		"agent is done.\n",
		s->name, b->dir, b->dir);
	if (tcg(b))
		fputs("Accelerator: type='qemu' (TCG), as exported with --accel tcg; where "
		      "/dev/kvm works, type='kvm' is faster.\n",
		      out);
	else
		fputs("Accelerator: type='kvm' needs /dev/kvm: where virsh start says 'Could not "
		      "access KVM kernel module', set domain type='qemu' (TCG) or export again "
		      "with --accel tcg.\n",
		      out);
	fputs("As root, run each line indented by four spaces, in order:\n", out);
	if (drive_files(b, true, NULL, NULL) || drive_files(b, false, NULL, NULL))
		fputs("- libvirt hands its QEMU (user libvirt-qemu, Debian's default) the kernel, "
		      "the initrd and the log files, but not the files named in qemu:commandline; "
		      "every folder above them must be searchable by that user:\n",
		      out);
	if (drive_files(b, true, "    chown libvirt-qemu:", out))
		fputc('\n', out);
	if (drive_files(b, false,
			"  Your own images, which the export leaves as they are: give "
			"libvirt-qemu access to them yourself:",
			out))
		fputc('\n', out);
	fputs("- one probe peer per usb-net adapter, listening where the agent's initrd says; "
	      "each ends when its probe is done and writes its files next to this one:\n",
	      out);
	if (!export_peer_commands(s, b->dir, "    ", out))
		fputs("  (none: no usb-net adapter probes)\n", out);
	fputs("- then define and start the domain:\n    virsh define ", out);
	shell_quote(b->dir, out);
	fprintf(out, "/%s.xml && virsh start guestcheck-%s\n", s->name, s->name);
	return ferror(out) ? -EIO : 0;
}

static void domain_os(xmlTextWriterPtr w, const struct scenario *s,
		      const struct qemu_group *machine)
{
	xmlTextWriterStartElement(w, BAD_CAST "os");
	xmlTextWriterStartElement(w, BAD_CAST "type");
	xmlTextWriterWriteAttribute(w, BAD_CAST "arch", BAD_CAST s->arch);
	xmlTextWriterWriteAttribute(w, BAD_CAST "machine", BAD_CAST s->machine);
	xmlTextWriterWriteString(w, BAD_CAST "hvm");
	xmlTextWriterEndElement(w);
	element(w, "kernel", qemu_group_get(machine, "kernel"));
	element(w, "initrd", qemu_group_get(machine, "initrd"));
	element(w, "cmdline", qemu_group_get(machine, "append"));
	xmlTextWriterEndElement(w); /* os */
}

/* What libvirt can say natively: the console, the agent's KTAP channel. */
static void domain_devices(xmlTextWriterPtr w, const struct export_bundle *b)
{
	char buf[4096];

	xmlTextWriterStartElement(w, BAD_CAST "devices");
	snprintf(buf, sizeof(buf), "%s/console.log", b->dir);
	file_chardev(w, "serial", buf);
	xmlTextWriterEndElement(w);
	snprintf(buf, sizeof(buf), "%s/ktap.log", b->dir);
	file_chardev(w, "channel", buf);
	xmlTextWriterStartElement(w, BAD_CAST "target");
	xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST "virtio");
	xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST "org.guestcheck.ktap");
	xmlTextWriterEndElement(w);
	xmlTextWriterEndElement(w); /* channel */
	/* No xHCI of libvirt's own: the scenario's, if any, is on the command line. */
	xmlTextWriterStartElement(w, BAD_CAST "controller");
	xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST "usb");
	xmlTextWriterWriteAttribute(w, BAD_CAST "model", BAD_CAST "none");
	xmlTextWriterEndElement(w);
	empty_element(w, "memballoon", "model", "none");
	xmlTextWriterEndElement(w); /* devices */
}

/* The rest: the scenario's devices, drives and netdevs as QEMU arguments. 0 or -errno. */
static int domain_commandline(struct domain_writer *d)
{
	const struct export_bundle *b = d->b;
	char buf[4096];

	xmlTextWriterStartElementNS(d->w, BAD_CAST "qemu", BAD_CAST "commandline", NULL);
	for (size_t i = 0; i < b->qemu.ngroups; i++) {
		const struct qemu_group *g = &b->qemu.groups[i];
		unsigned int slot = 0;
		char opt[16];

		if (strcmp(g->group, "device") && strcmp(g->group, "drive") &&
		    strcmp(g->group, "netdev"))
			continue;
		if (export_group_is_plumbing(g))
			continue;
		if (needs_slot(g, b->guest.scenario.pci_root)) {
			if (d->next_slot < SLOT_LAST)
				return errmsg(d->err, d->errsize, -EINVAL,
					      "more than %d PCI devices for qemu:commandline: the "
					      "libvirt export gives them slots 0x%02x-0x%02x, out "
					      "of libvirt's way: remove some devices",
					      SLOT_FIRST - SLOT_LAST + 1, SLOT_LAST, SLOT_FIRST);
			slot = d->next_slot--;
		}
		if (group_args(g, slot, buf, sizeof(buf)) < 0)
			return errmsg(d->err, d->errsize, -EINVAL,
				      "a QEMU option is longer than %zu bytes: shorten the paths",
				      sizeof(buf));
		snprintf(opt, sizeof(opt), "-%s", g->group);
		arg(d->w, opt);
		arg(d->w, buf);
	}
	xmlTextWriterEndElement(d->w); /* qemu:commandline */
	return 0;
}

static int write_domain(struct domain_writer *d)
{
	const struct export_bundle *b = d->b;
	const struct scenario *s = &b->guest.scenario;
	struct qemu_group *machine =
		qemu_config_find((struct qemu_config *)&b->qemu, "machine", "");
	xmlTextWriterPtr w = d->w;
	_cleanup_free_ char *desc = NULL;
	size_t desc_len = 0;
	char buf[256], uuid[37];
	FILE *mem;
	int r;

	mem = open_memstream(&desc, &desc_len);
	if (!mem)
		return -ENOMEM;
	r = description(b, mem);
	if (fclose(mem) != 0 || r < 0)
		return -ENOMEM;
	xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
	xmlTextWriterWriteComment(w, BAD_CAST " guestcheck: the steps before virsh start are "
					      "in description below (virsh desc). ");
	xmlTextWriterStartElement(w, BAD_CAST "domain");
	xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST(tcg(b) ? "qemu" : "kvm"));
	xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns:qemu", BAD_CAST QEMU_NS);
	snprintf(buf, sizeof(buf), "guestcheck-%s", s->name);
	element(w, "name", buf);
	domain_uuid(b, uuid);
	element(w, "uuid", uuid);
	element(w, "description", desc);
	xmlTextWriterStartElement(w, BAD_CAST "memory");
	xmlTextWriterWriteAttribute(w, BAD_CAST "unit", BAD_CAST "MiB");
	xmlTextWriterWriteFormatString(w, "%llu", (unsigned long long)(s->memory >> 20));
	xmlTextWriterEndElement(w);
	xmlTextWriterWriteFormatElement(w, BAD_CAST "vcpu", "%u", s->cpus);
	domain_os(w, s, machine);
	xmlTextWriterStartElement(w, BAD_CAST "features");
	empty_element(w, "acpi", NULL, NULL);
	xmlTextWriterEndElement(w);
	/* -no-reboot: the agent powers off; a reboot means the guest died. */
	element(w, "on_reboot", "destroy");
	domain_devices(w, b);
	r = domain_commandline(d);
	if (r < 0)
		return r;
	xmlTextWriterEndElement(w); /* domain */
	return xmlTextWriterEndDocument(w) < 0 ? -EIO : 0;
}

/* XML 1.0 holds no control characters, and libxml2 refuses bytes that are not UTF-8. */
static int check_values(const struct export_bundle *b, char *err, size_t errsize)
{
	if (!export_text_clean(b->dir))
		return errmsg(err, errsize, -EINVAL,
			      "the folder's name has a newline, a control character or bytes "
			      "that are not UTF-8: libvirt's XML cannot carry it: give another -o");
	for (size_t i = 0; i < b->qemu.ngroups; i++) {
		const struct qemu_group *g = &b->qemu.groups[i];

		for (size_t j = 0; j < g->nprops; j++)
			if (!export_text_clean(g->props[j].value))
				return errmsg(
					err, errsize, -EINVAL,
					"[%s \"%s\"] %s: a value with a newline, a control "
					"character or bytes that are not UTF-8: libvirt's XML "
					"cannot carry it: fix the scenario's value or the path",
					g->group, g->id, g->props[j].key);
	}
	return 0;
}

int export_write_libvirt(const struct export_bundle *b, FILE *out, char *err, size_t errsize)
{
	xmlBufferPtr buf = xmlBufferCreate();
	struct domain_writer d = { .b = b,
				   .w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL,
				   .next_slot = SLOT_FIRST,
				   .err = err,
				   .errsize = errsize };
	int r = check_values(b, err, errsize);

	if (r < 0 || !d.w) {
		xmlFreeTextWriter(d.w);
		xmlBufferFree(buf);
		return r < 0 ? r : -ENOMEM;
	}
	xmlTextWriterSetIndent(d.w, 1);
	xmlTextWriterSetIndentString(d.w, BAD_CAST "  ");
	r = write_domain(&d);
	xmlFreeTextWriter(d.w);
	if (r == 0)
		fputs((const char *)xmlBufferContent(buf), out);
	xmlBufferFree(buf);
	return r ?: (ferror(out) ? -EIO : 0);
}
