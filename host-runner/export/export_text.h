/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef GUESTCHECK_EXPORT_TEXT_H
#define GUESTCHECK_EXPORT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "vm/qemu_opts.h"

/*
 * What a scenario's values may carry into a configuration file. Every format
 * written by `export` is text with its own quoting: a newline, a control byte
 * or bytes that are not UTF-8 either break the file (YAML, XML) or end the
 * value and start a new one (a -readconfig line).
 */

/* s is valid UTF-8 with no control characters (tab neither). */
bool export_text_clean(const char *s);

/*
 * s on out with each control byte written as \n, \t or \xNN: a message that
 * names a refused folder or value stays one line, and no escape sequence of
 * it reaches the terminal.
 */
void export_text_put_visible(FILE *out, const char *s);

/*
 * The prop-th value of g can be written as KEY = "VALUE" in a QEMU config file
 * (-readconfig, Incus's raw.qemu.conf): clean text, no '"' (QEMU's parser has
 * no escape), at most 1023 bytes. 0, or -EINVAL with err naming the group, the
 * key and the fix.
 */
int export_qemu_config_value_check(const struct qemu_group *g, size_t prop, char *err,
				   size_t errsize);

#endif
