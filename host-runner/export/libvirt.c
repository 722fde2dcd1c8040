// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The scenario as a libvirt domain. libvirt's schema cannot express an SD
 * host controller and card (bus='sd' targets are rejected), nor a zoned NVMe
 * namespace or usb-net on a chosen bus, so those devices go through
 * <qemu:commandline>; the agent's channel and the console are native.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "errmsg.h"

#include "export/export.h"

#define QEMU_NS "http://libvirt.org/schemas/domain/qemu/1.0"

/* "-device", "driver,id=x,k=v": a group back as command-line arguments. */
static int group_args(const struct qemu_group *g, char *buf, size_t size)
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

static void file_chardev(xmlTextWriterPtr w, const char *element_name, const char *path)
{
	xmlTextWriterStartElement(w, BAD_CAST element_name);
	xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST "file");
	xmlTextWriterStartElement(w, BAD_CAST "source");
	xmlTextWriterWriteAttribute(w, BAD_CAST "path", BAD_CAST path);
	xmlTextWriterEndElement(w);
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
	xmlTextWriterStartElement(w, BAD_CAST "memballoon");
	xmlTextWriterWriteAttribute(w, BAD_CAST "model", BAD_CAST "none");
	xmlTextWriterEndElement(w);
	xmlTextWriterEndElement(w); /* devices */
}

/* The rest: the scenario's devices, drives and netdevs as QEMU arguments. 0 or -E2BIG. */
static int domain_commandline(xmlTextWriterPtr w, const struct export_bundle *b)
{
	char buf[4096];

	xmlTextWriterStartElementNS(w, BAD_CAST "qemu", BAD_CAST "commandline", NULL);
	for (size_t i = 0; i < b->qemu.ngroups; i++) {
		const struct qemu_group *g = &b->qemu.groups[i];
		char opt[16];

		if (strcmp(g->group, "device") && strcmp(g->group, "drive") &&
		    strcmp(g->group, "netdev"))
			continue;
		if (export_group_is_plumbing(g))
			continue;
		if (group_args(g, buf, sizeof(buf)) < 0)
			return -E2BIG;
		snprintf(opt, sizeof(opt), "-%s", g->group);
		arg(w, opt);
		arg(w, buf);
	}
	xmlTextWriterEndElement(w); /* qemu:commandline */
	return 0;
}

static int write_domain(const struct export_bundle *b, xmlTextWriterPtr w)
{
	const struct scenario *s = &b->guest.scenario;
	struct qemu_group *machine =
		qemu_config_find((struct qemu_config *)&b->qemu, "machine", "");
	char buf[4096];

	xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
	snprintf(buf, sizeof(buf),
		 " guestcheck scenario %s. By hand: make the files in %s readable by libvirt's "
		 "QEMU (e.g. chown libvirt-qemu: %s/*): libvirt does not know about files "
		 "named in qemu:commandline, so it neither relabels nor chowns them. The "
		 "agent's KTAP goes to %s/ktap.log. ",
		 s->name, b->dir, b->dir, b->dir);
	xmlTextWriterWriteComment(w, BAD_CAST buf);
	xmlTextWriterStartElement(w, BAD_CAST "domain");
	xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST "kvm");
	xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns:qemu", BAD_CAST QEMU_NS);
	snprintf(buf, sizeof(buf), "guestcheck-%s", s->name);
	element(w, "name", buf);
	xmlTextWriterStartElement(w, BAD_CAST "memory");
	xmlTextWriterWriteAttribute(w, BAD_CAST "unit", BAD_CAST "MiB");
	xmlTextWriterWriteFormatString(w, "%llu", (unsigned long long)(s->memory >> 20));
	xmlTextWriterEndElement(w);
	xmlTextWriterWriteFormatElement(w, BAD_CAST "vcpu", "%u", s->cpus);
	domain_os(w, s, machine);
	/* -no-reboot: the agent powers off; a reboot means the guest died. */
	element(w, "on_reboot", "destroy");
	domain_devices(w, b);
	if (domain_commandline(w, b) < 0)
		return -E2BIG;
	xmlTextWriterEndElement(w); /* domain */
	return xmlTextWriterEndDocument(w) < 0 ? -EIO : 0;
}

int export_write_libvirt(const struct export_bundle *b, FILE *out, char *err, size_t errsize)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	int r;

	if (!w) {
		xmlBufferFree(buf);
		return -ENOMEM;
	}
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterSetIndentString(w, BAD_CAST "  ");
	r = write_domain(b, w);
	xmlFreeTextWriter(w);
	if (r == 0)
		fputs((const char *)xmlBufferContent(buf), out);
	else
		errmsg(err, errsize, r,
		       "a QEMU option is too long for the export: shorten the paths");
	xmlBufferFree(buf);
	return r ?: (ferror(out) ? -EIO : 0);
}
