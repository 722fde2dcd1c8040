// SPDX-License-Identifier: GPL-2.0-or-later
#include "noninterference/installer_plan.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "errmsg.h"
#include "units.h"

#include "devices/device_type.h"

const struct key_spec installer_keys[] = {
	{ "kernel", KEY_PATH,
	  "the installer's kernel (default: the kernel of the agent's phases)" },
	{ "initrd", KEY_PATH, "the installer's initrd, e.g. installer/initrd.gz" },
	{ "image", KEY_PATH,
	  "instead of kernel and initrd: a disk image the firmware boots, e.g. installer.img" },
	{ "format", KEY_STRING, "the image's format: raw (default) or qcow2" },
	{ "append", KEY_STRING, "the installer's kernel command line (console=ttyS0 is added)" },
	{ "timeout", KEY_STRING, "how long the installer may run until it powers off, e.g. 10m" },
	{ "watch", KEY_BOOL,
	  "wrap the initrd with guestcheck's write monitor (default yes; no for an image)" },
	{ "protect", KEY_STRING, "the devices it must not write (default: every sd-card)" },
	{ 0 },
};

static int key_line(const struct config_section *sec, const char *key)
{
	const struct config_entry *e = config_entry(sec, key);

	return e ? e->line : sec->line;
}

static void resolve_path(const struct scenario *s, const char *v, char *buf, size_t size)
{
	if (v[0] == '/')
		snprintf(buf, size, "%s", v);
	else
		snprintf(buf, size, "%s/%s", s->dir, v);
}

static int load_protect(const struct scenario *s, const struct config_section *sec,
			struct installer_plan *p, char *err, size_t errsize)
{
	const char *list = config_get(&s->cfg, "installer", "protect");
	char copy[512], *tok, *save;

	if (!list) {
		for (size_t i = 0; i < s->ndevices; i++)
			if (s->devices[i].type == &sd_card_device)
				p->protect[p->nprotect++] = i;
		if (!p->nprotect)
			return errmsg(err, errsize, -EINVAL,
				      "%s:%d: [installer]: nothing to protect: add the eMMC as a "
				      "[device NAME] with type = sd-card",
				      s->path, sec->line);
		return 0;
	}
	snprintf(copy, sizeof(copy), "%s", list);
	for (tok = strtok_r(copy, " ,", &save); tok; tok = strtok_r(NULL, " ,", &save)) {
		size_t i = 0;

		while (i < s->ndevices && strcmp(s->devices[i].name, tok))
			i++;
		if (i == s->ndevices)
			return errmsg(
				err, errsize, -EINVAL,
				"%s:%d: [installer] protect = %s: no [device %s] in the scenario",
				s->path, key_line(sec, "protect"), tok, tok);
		if (s->devices[i].type != &sd_card_device)
			return errmsg(
				err, errsize, -EINVAL,
				"%s:%d: [installer] protect = %s: a %s; only sd-card devices can "
				"be protected (the guest-side fingerprint is mmc.fingerprint)",
				s->path, key_line(sec, "protect"), tok,
				s->devices[i].type->kind->name);
		for (size_t j = 0; j < p->nprotect; j++)
			if (p->protect[j] == i)
				return errmsg(err, errsize, -EINVAL,
					      "%s:%d: [installer] protect names %s twice", s->path,
					      key_line(sec, "protect"), tok);
		p->protect[p->nprotect++] = i;
	}
	if (!p->nprotect)
		return errmsg(err, errsize, -EINVAL,
			      "%s:%d: [installer] protect is empty: name a device", s->path,
			      key_line(sec, "protect"));
	return 0;
}

/*
 * [installer] image: booted by the machine's firmware from a disk of its
 * own. The kernel and its command line are inside the image, so kernel,
 * initrd and append have nothing to act on, and there is no initrd to wrap
 * with the write monitor.
 */
static int load_image(const struct scenario *s, const struct config_section *sec,
		      struct installer_plan *p, char *err, size_t errsize)
{
	static const char *const direct[] = { "kernel", "initrd", "append" };
	const char *v = config_get(&s->cfg, "installer", "image");
	int b;

	for (size_t i = 0; i < ARRAY_SIZE(direct); i++)
		if (config_get(&s->cfg, "installer", direct[i]))
			return errmsg(
				err, errsize, -EINVAL,
				"%s:%d: [installer] has both image and %s: a disk image is "
				"booted by the firmware with its own kernel and command line: "
				"remove one",
				s->path, key_line(sec, direct[i]), direct[i]);
	resolve_path(s, v, p->image, sizeof(p->image));
	if (access(p->image, R_OK) < 0)
		return errmsg(err, errsize, -EINVAL,
			      "%s:%d: [installer] image %s: %s: fix the path "
			      "(relative paths start at the scenario's folder)",
			      s->path, key_line(sec, "image"), p->image, strerror(errno));
	snprintf(p->image_format, sizeof(p->image_format), "%s",
		 config_get(&s->cfg, "installer", "format") ?: "raw");
	if (strcmp(p->image_format, "raw") && strcmp(p->image_format, "qcow2"))
		return errmsg(err, errsize, -EINVAL,
			      "%s:%d: [installer] format = %s: write raw or qcow2", s->path,
			      key_line(sec, "format"), config_get(&s->cfg, "installer", "format"));
	if ((v = config_get(&s->cfg, "installer", "watch")) && parse_bool(v, &b) == 0 && b)
		return errmsg(err, errsize, -EINVAL,
			      "%s:%d: [installer] watch = yes: the write monitor wraps an initrd, "
			      "and a disk-image installer's initrd is inside its image: remove "
			      "watch (the host side is the evidence)",
			      s->path, key_line(sec, "watch"));
	p->watch = false;
	if (strncmp(s->machine, "q35", 3))
		return errmsg(err, errsize, -EINVAL,
			      "%s:%d: [installer] image: machine %s: a disk-image installer is "
			      "booted by SeaBIOS from the q35's AHCI controller: use machine = "
			      "q35, or kernel and initrd",
			      s->path, key_line(sec, "image"), s->machine);
	for (size_t i = 0; i < s->ndevices; i++)
		if (s->devices[i].type == &hdd_device)
			p->image_port++;
	if (p->image_port >= INSTALLER_AHCI_PORTS)
		return errmsg(err, errsize, -EINVAL,
			      "%s:%d: [installer] image: the %d hdd devices take every port of "
			      "the q35's AHCI controller: remove one to make room for the "
			      "installer's disk",
			      s->path, key_line(sec, "image"), p->image_port);
	return 0;
}

int installer_plan_load(const struct scenario *s, struct installer_plan *p, char *err,
			size_t errsize)
{
	const struct config_section *sec = config_section(&s->cfg, "installer");
	const char *v;
	int b, r;

	*p = (struct installer_plan){ .timeout_ms = INSTALLER_DEFAULT_TIMEOUT_MS, .watch = true };
	if (!sec)
		return errmsg(err, errsize, -EINVAL,
			      "%s: kind = non-interference needs an [installer] section with at "
			      "least 'initrd = FILE' or 'image = FILE'",
			      s->path);
	if (config_get(&s->cfg, "installer", "image")) {
		if ((r = load_image(s, sec, p, err, errsize)) < 0)
			return r;
		goto common;
	}
	if (config_get(&s->cfg, "installer", "format"))
		return errmsg(err, errsize, -EINVAL,
			      "%s:%d: [installer] format is the format of an image: add 'image = "
			      "FILE' or remove it",
			      s->path, key_line(sec, "format"));
	if ((v = config_get(&s->cfg, "installer", "kernel"))) {
		resolve_path(s, v, p->kernel, sizeof(p->kernel));
		if (access(p->kernel, R_OK) < 0)
			return errmsg(err, errsize, -EINVAL,
				      "%s:%d: [installer] kernel %s: %s: fix the path "
				      "(relative paths start at the scenario's folder)",
				      s->path, key_line(sec, "kernel"), p->kernel, strerror(errno));
	}
	v = config_get(&s->cfg, "installer", "initrd");
	if (!v)
		return errmsg(
			err, errsize, -EINVAL,
			"%s:%d: [installer] has no initrd: add 'initrd = FILE' "
			"(the installer's initramfs) or 'image = FILE' (a disk it boots from)",
			s->path, sec->line);
	resolve_path(s, v, p->initrd, sizeof(p->initrd));
	if (access(p->initrd, R_OK) < 0)
		return errmsg(err, errsize, -EINVAL,
			      "%s:%d: [installer] initrd %s: %s: fix the path "
			      "(relative paths start at the scenario's folder)",
			      s->path, key_line(sec, "initrd"), p->initrd, strerror(errno));
	snprintf(p->append, sizeof(p->append), "%s",
		 config_get(&s->cfg, "installer", "append") ?: "");
	if ((v = config_get(&s->cfg, "installer", "watch")) && parse_bool(v, &b) == 0)
		p->watch = b;
common:
	if ((v = config_get(&s->cfg, "installer", "timeout")) &&
	    (parse_duration_ms(v, &p->timeout_ms) < 0 || !p->timeout_ms))
		return errmsg(err, errsize, -EINVAL,
			      "%s:%d: [installer] timeout = '%s' is not a duration: "
			      "write e.g. 10m or 90s",
			      s->path, key_line(sec, "timeout"), v);
	return load_protect(s, sec, p, err, errsize);
}
