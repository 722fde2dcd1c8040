/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An INI document held as sections of key = value entries, each remembering
 * its line, parsed with inih. The runner reads scenarios with it and the
 * agent its configuration; both validate the keys against their own tables,
 * so an error can always name the file and the line.
 */
#ifndef GUESTCHECK_CONFIG_H
#define GUESTCHECK_CONFIG_H

#include <stddef.h>

struct config_entry {
	char *key;
	char *value;
	int line;
};

struct config_section {
	char *name; /* "machine", "device sd0", ... */
	int line;
	struct config_entry *entries;
	size_t nentries;
};

struct config {
	char path[512]; /* for messages; "<string>" when parsed from memory */
	struct config_section *sections;
	size_t nsections;
};

/*
 * Parse a file or a string. On a syntax error returns -EINVAL and writes a
 * one-line message "PATH:LINE: ..." to err. A repeated key in one section is
 * an error too: silently taking the last one hides typos.
 */
int config_load_file(struct config *cfg, const char *path, char *err, size_t errsize);
int config_load_string(struct config *cfg, const char *text, char *err, size_t errsize);
void config_free(struct config *cfg);

const struct config_section *config_section(const struct config *cfg, const char *name);
const struct config_entry *config_entry(const struct config_section *sec, const char *key);
/* Value of key in section, or NULL. */
const char *config_get(const struct config *cfg, const char *section, const char *key);

/* "device sd0" -> "sd0" when the section starts with "device "; else NULL. */
const char *config_section_suffix(const struct config_section *sec, const char *kind);

#endif
