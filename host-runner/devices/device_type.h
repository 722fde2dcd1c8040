/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A kind of device a scenario can attach, as the runner sees it: what both
 * sides know (name, modules, how the guest finds it) is its line in
 * lib/device_types.def; the runner's part (keys, checks, QEMU arguments) is
 * one const struct ID_device in devices/ID.c, as libblkid keeps one idinfo
 * per format. The .def line declares it and lists it in device_types[].
 * Compare types by pointer (d->type == &sd_card_device), never by name.
 */
#ifndef GUESTCHECK_DEVICE_TYPE_H
#define GUESTCHECK_DEVICE_TYPE_H

#include <stdbool.h>
#include <stdio.h>

#include "device_kind.h"
#include "strv.h"

#include "scenario/scenario.h"

enum key_kind { KEY_STRING, KEY_SIZE, KEY_UINT, KEY_BOOL, KEY_MAC, KEY_PATH };

struct key_spec {
	const char *name;
	enum key_kind kind;
	const char *help; /* shown when the key is wrong or unknown */
};

/* Where a run's per-run files live, for the device's QEMU arguments. */
struct run_paths {
	const char *rundir; /* private mkdtemp directory */
};

struct device_type {
	const struct device_kind *kind; /* its .def line: &ID_kind (name, modules, guest facts) */
	const char *summary;
	const struct key_spec *keys; /* NULL-terminated; "type" is implied */
	bool needs_xhci;	     /* sits on the machine's qemu-xhci controller */

	/* Resolve and check the section's values (after generic key checks). */
	int (*validate)(struct scenario_device *dev, const struct scenario *s, char *err,
			size_t errsize);
	/* Append this device's QEMU arguments. `image` is the file to attach. */
	void (*qemu_args)(const struct scenario_device *dev, const struct scenario *s,
			  const char *image, struct strv *argv);
	/* Modules the guest needs for this device beyond its kind's ("a b"), or NULL. */
	const char *(*extra_modules)(const struct scenario_device *dev, const struct scenario *s);
};

#define DEVICE_TYPE(id, name, find, node, driver, modules, made)                                   \
	extern const struct device_type id##_device;
#include "device_types.def"
#undef DEVICE_TYPE

/* Every type, in the .def's order. */
extern const struct device_type *const device_types[];
extern const size_t device_types_count;

const struct device_type *device_type_find(const char *name);
/* "sd-card, nvme-zns, usb-net, ...", from the table, into buf: for error messages. */
const char *device_type_names(char *buf, size_t size);

/* A key's value as written, or NULL. */
const char *device_key(const struct scenario_device *dev, const char *key);
/* Line of a key (or of the section), for messages. */
int device_key_line(const struct scenario_device *dev, const char *key);

/* "FILE:LINE: [device NAME]: what" into err, at the key's line; returns -EINVAL. */
int device_key_error(char *err, size_t errsize, const struct scenario *s,
		     const struct scenario_device *dev, const char *key, const char *what);

/* A size (size = true) or whole-number key's value, or fallback when it is not set. */
uint64_t device_key_number(const struct scenario_device *dev, const char *key, bool size,
			   uint64_t fallback);

/*
 * Sparse files for every device with `size` and no `image`, in dir
 * (devices/image.c). With reuse, a file already there is kept as it is.
 */
int scenario_create_scratch_images(const struct scenario *s, const char *dir, bool reuse, char *err,
				   size_t errsize);

/* Shared by types with a disk image: image/size resolution, in devices/image.c. */
int device_resolve_image(struct scenario_device *dev, const struct scenario *s, char *err,
			 size_t errsize);

#endif
