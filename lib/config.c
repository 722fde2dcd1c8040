// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "errmsg.h"

/*
 * inih tells the handler nothing about lines: the reader counts them, and
 * notes where each section header is, since the handler only hears of a
 * section with its first key (so "[a] x=1 [a] y=2" would look like one [a]).
 */
struct line_reader {
	FILE *f;
	const char *text;
	int line;
	int header_line; /* of the last "[section]" line */
	/* A key since that header: inih then takes an indented line as a continuation. */
	bool key_seen;
	/* A line longer than inih's buffer, which it would split in two. */
	int overlong_line;
	int max_len;
};

struct parse_state {
	struct config *cfg;
	struct line_reader *reader;
	char *err;
	size_t errsize;
	int failed;
	int section_header; /* header_line when the last section was added */
};

/* The same test inih applies: '[' first, unless an indented line continues a value. */
static void note_header(struct line_reader *r, const char *buf)
{
	const char *p = buf;

	if (r->line == 1 && !strncmp(p, "\xEF\xBB\xBF", 3))
		p += 3;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '[' && strchr(p, ']') && (p == buf || !r->key_seen)) {
		r->header_line = r->line;
		r->key_seen = false;
	}
}

static char *read_line(char *buf, int size, void *stream)
{
	struct line_reader *r = stream;

	if (r->f) {
		size_t len;
		int c;

		if (!fgets(buf, size, r->f))
			return NULL;
		len = strlen(buf);
		if (len == (size_t)size - 1 && buf[len - 1] != '\n' && (c = getc(r->f)) != EOF) {
			ungetc(c, r->f);
			r->overlong_line = r->line + 1;
			r->max_len = size - 2; /* room for '\n' and '\0' */
			return NULL;
		}
	} else {
		const char *nl;
		size_t len;

		if (!*r->text)
			return NULL;
		nl = strchr(r->text, '\n');
		len = nl ? (size_t)(nl - r->text) + 1 : strlen(r->text);
		if (len >= (size_t)size) {
			r->overlong_line = r->line + 1;
			r->max_len = size - 2; /* room for '\n' and '\0' */
			return NULL;
		}
		memcpy(buf, r->text, len);
		buf[len] = '\0';
		r->text += len;
	}
	r->line++;
	note_header(r, buf);
	return buf;
}

static struct config_section *add_section(struct config *cfg, const char *name, int line)
{
	struct config_section *s;

	s = realloc(cfg->sections, (cfg->nsections + 1) * sizeof(*s));
	if (!s)
		return NULL;
	cfg->sections = s;
	s = &cfg->sections[cfg->nsections++];
	*s = (struct config_section){ .name = strdup(name), .line = line };
	return s->name ? s : NULL;
}

static int on_entry(void *user, const char *section, const char *key, const char *value)
{
	struct parse_state *st = user;
	struct config *cfg = st->cfg;
	struct config_section *sec = NULL;
	const struct config_section *first;
	struct config_entry *e;
	int line = st->reader->line;

	st->reader->key_seen = true;
	if (st->failed)
		return 0;
	if (cfg->nsections && !strcmp(cfg->sections[cfg->nsections - 1].name, section) &&
	    st->section_header == st->reader->header_line)
		sec = &cfg->sections[cfg->nsections - 1];
	else if ((first = config_section(cfg, section))) {
		errmsg(st->err, st->errsize, -EINVAL,
		       "%s:%d: section [%s] appears twice (first on line %d): merge the two "
		       "into one",
		       cfg->path, st->reader->header_line, section, first->line);
		st->failed = 1;
		return 0;
	}
	if (!sec) {
		/* Keys before any header form the section "", from their first line. */
		sec = add_section(cfg, section, st->reader->header_line ?: line);
		if (!sec)
			return 0;
		st->section_header = st->reader->header_line;
	}
	if (!key) /* INI_CALL_HANDLER_ON_NEW_SECTION builds only */
		return 1;
	if (config_entry(sec, key)) {
		errmsg(st->err, st->errsize, -EINVAL,
		       "%s:%d: '%s' is set twice in [%s] (first on line %d): keep one", cfg->path,
		       line, key, section, config_entry(sec, key)->line);
		st->failed = 1;
		return 0;
	}
	e = realloc(sec->entries, (sec->nentries + 1) * sizeof(*e));
	if (!e)
		return 0;
	sec->entries = e;
	e = &sec->entries[sec->nentries++];
	*e = (struct config_entry){ .key = strdup(key), .value = strdup(value), .line = line };
	return e->key && e->value;
}

static int parse(struct config *cfg, struct line_reader *reader, char *err, size_t errsize)
{
	struct parse_state st = { .cfg = cfg, .reader = reader, .err = err, .errsize = errsize };
	int r;

	err[0] = '\0';
	r = ini_parse_stream(read_line, reader, on_entry, &st);
	if (reader->overlong_line && !st.failed && r == 0) {
		errmsg(err, errsize, -EINVAL, "%s:%d: line longer than %d characters: shorten it",
		       cfg->path, reader->overlong_line, reader->max_len);
		st.failed = 1;
		r = reader->overlong_line;
	}
	if (r == 0)
		return 0;
	if (!st.failed && r > 0)
		errmsg(err, errsize, -EINVAL,
		       "%s:%d: not 'key = value', '[section]' or a '#'/';' comment: fix the line",
		       cfg->path, r);
	else if (!st.failed)
		errmsg(err, errsize, -ENOMEM, "%s: out of memory while parsing", cfg->path);
	config_free(cfg);
	return r > 0 ? -EINVAL : -ENOMEM;
}

int config_load_file(struct config *cfg, const char *path, char *err, size_t errsize)
{
	struct line_reader reader = { 0 };
	int r;

	*cfg = (struct config){ 0 };
	snprintf(cfg->path, sizeof(cfg->path), "%s", path);
	reader.f = fopen(path, "re");
	if (!reader.f) {
		r = -errno;
		return errmsg(err, errsize, r, "%s: cannot open: %s", path, strerror(-r));
	}
	r = parse(cfg, &reader, err, errsize);
	fclose(reader.f);
	return r;
}

int config_load_string(struct config *cfg, const char *text, char *err, size_t errsize)
{
	struct line_reader reader = { .text = text };

	*cfg = (struct config){ 0 };
	snprintf(cfg->path, sizeof(cfg->path), "<string>");
	return parse(cfg, &reader, err, errsize);
}

void config_free(struct config *cfg)
{
	for (size_t i = 0; i < cfg->nsections; i++) {
		struct config_section *s = &cfg->sections[i];

		for (size_t j = 0; j < s->nentries; j++) {
			free(s->entries[j].key);
			free(s->entries[j].value);
		}
		free(s->entries);
		free(s->name);
	}
	free(cfg->sections);
	cfg->sections = NULL;
	cfg->nsections = 0;
}

const struct config_section *config_section(const struct config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->nsections; i++)
		if (!strcmp(cfg->sections[i].name, name))
			return &cfg->sections[i];
	return NULL;
}

const struct config_entry *config_entry(const struct config_section *sec, const char *key)
{
	for (size_t i = 0; sec && i < sec->nentries; i++)
		if (!strcmp(sec->entries[i].key, key))
			return &sec->entries[i];
	return NULL;
}

const char *config_get(const struct config *cfg, const char *section, const char *key)
{
	const struct config_entry *e = config_entry(config_section(cfg, section), key);

	return e ? e->value : NULL;
}

const char *config_section_suffix(const struct config_section *sec, const char *kind)
{
	size_t n = strlen(kind);

	if (strncmp(sec->name, kind, n) || sec->name[n] != ' ' || !sec->name[n + 1])
		return NULL;
	return sec->name + n + 1;
}
