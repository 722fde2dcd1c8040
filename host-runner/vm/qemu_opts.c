// SPDX-License-Identifier: GPL-2.0-or-later
#include "vm/qemu_opts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Command-line options that map to a group, and the key their first word implies. */
static const struct {
	const char *option, *group, *implied;
} grouped[] = {
	{ "-device", "device", "driver" }, { "-drive", "drive", NULL },
	{ "-netdev", "netdev", "type" },   { "-chardev", "chardev", "backend" },
	{ "-machine", "machine", "type" }, { "-mon", "mon", NULL },
};

/* Options with one argument that become a key of an unnamed group. */
static const struct {
	const char *option, *group, *key;
} keyed[] = {
	{ "-m", "memory", "size" },	    { "-smp", "smp-opts", "cpus" },
	{ "-kernel", "machine", "kernel" }, { "-initrd", "machine", "initrd" },
	{ "-append", "machine", "append" }, { "-cpu", "cpu", "model" },
};

const char *qemu_group_get(const struct qemu_group *g, const char *key)
{
	for (size_t i = 0; i < g->nprops; i++)
		if (!strcmp(g->props[i].key, key))
			return g->props[i].value;
	return NULL;
}

int qemu_group_set(struct qemu_group *g, const char *key, const char *value)
{
	struct qemu_prop *p;
	char *v = strdup(value);

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < g->nprops; i++)
		if (!strcmp(g->props[i].key, key)) {
			free(g->props[i].value);
			g->props[i].value = v;
			return 0;
		}
	p = realloc(g->props, (g->nprops + 1) * sizeof(*p));
	if (!p || !(key = strdup(key))) {
		free(v);
		if (p)
			g->props = p;
		return -ENOMEM;
	}
	g->props = p;
	g->props[g->nprops++] = (struct qemu_prop){ .key = (char *)key, .value = v };
	return 0;
}

void qemu_group_del(struct qemu_group *g, const char *key)
{
	for (size_t i = 0; i < g->nprops; i++)
		if (!strcmp(g->props[i].key, key)) {
			free(g->props[i].key);
			free(g->props[i].value);
			g->props[i] = g->props[--g->nprops];
			return;
		}
}

static void group_free(struct qemu_group *g)
{
	for (size_t i = 0; i < g->nprops; i++) {
		free(g->props[i].key);
		free(g->props[i].value);
	}
	free(g->props);
	free(g->group);
	free(g->id);
}

/* Next element of an option string, unescaping ",,". */
static char *next_element(const char **s)
{
	char *out = malloc(strlen(*s) + 1), *o = out;

	if (!out)
		return NULL;
	while (**s) {
		if (**s == ',' && (*s)[1] == ',') {
			*o++ = ',';
			*s += 2;
			continue;
		}
		if (**s == ',') {
			(*s)++;
			break;
		}
		*o++ = *(*s)++;
	}
	*o = '\0';
	return out;
}

int qemu_opts_split(const char *opts, const char *implied_key, struct qemu_group *out)
{
	const char *s = opts;
	bool first = true;
	int r = 0;

	while (*s && r == 0) {
		_cleanup_free_ char *el = next_element(&s);
		char *eq;

		if (!el)
			return -ENOMEM;
		eq = strchr(el, '=');
		if (!eq && first && implied_key) {
			r = qemu_group_set(out, implied_key, el);
		} else if (!eq) {
			r = -EINVAL;
		} else {
			*eq = '\0';
			if (!strcmp(el, "id")) {
				free(out->id);
				out->id = strdup(eq + 1);
				r = out->id ? 0 : -ENOMEM;
			} else {
				r = qemu_group_set(out, el, eq + 1);
			}
		}
		first = false;
	}
	return r;
}

struct qemu_group *qemu_config_find(struct qemu_config *cfg, const char *group, const char *id)
{
	for (size_t i = 0; i < cfg->ngroups; i++)
		if (!strcmp(cfg->groups[i].group, group) && !strcmp(cfg->groups[i].id, id))
			return &cfg->groups[i];
	return NULL;
}

static struct qemu_group *add_group(struct qemu_config *cfg, const char *group)
{
	struct qemu_group *g = realloc(cfg->groups, (cfg->ngroups + 1) * sizeof(*g));

	if (!g)
		return NULL;
	cfg->groups = g;
	g = &cfg->groups[cfg->ngroups++];
	*g = (struct qemu_group){ .group = strdup(group), .id = strdup("") };
	return g->group && g->id ? g : NULL;
}

static int add_grouped(struct qemu_config *cfg, const char *group, const char *implied,
		       const char *opts)
{
	struct qemu_group *g = add_group(cfg, group);
	int r;

	if (!g)
		return -ENOMEM;
	r = qemu_opts_split(opts, implied, g);
	if (r < 0)
		return r;
	/* An unnamed device still needs a section name: make one from its driver. */
	if (!g->id[0] && strcmp(group, "machine")) {
		char id[96];

		snprintf(id, sizeof(id), "%s%zu", qemu_group_get(g, "driver") ?: group,
			 cfg->ngroups);
		free(g->id);
		g->id = strdup(id);
	}
	/* -machine holds kernel, initrd, append too: keep one machine group. */
	if (!strcmp(group, "machine")) {
		struct qemu_group *first = qemu_config_find(cfg, "machine", "");

		if (first != g) {
			for (size_t i = 0; i < g->nprops; i++)
				qemu_group_set(first, g->props[i].key, g->props[i].value);
			group_free(g);
			cfg->ngroups--;
		}
	}
	return g->id ? 0 : -ENOMEM;
}

static int add_keyed(struct qemu_config *cfg, const char *group, const char *key, const char *value)
{
	struct qemu_group *g = qemu_config_find(cfg, group, "") ?: add_group(cfg, group);

	return g ? qemu_group_set(g, key, value) : -ENOMEM;
}

int qemu_config_from_argv(char *const *argv, struct qemu_config *cfg)
{
	*cfg = (struct qemu_config){ 0 };
	for (size_t i = 1; argv[i]; i++) {
		const char *opt = argv[i], *arg = argv[i + 1];
		bool done = false;
		int r = 0;

		for (size_t j = 0; j < ARRAY_SIZE(grouped) && !done; j++)
			if (!strcmp(opt, grouped[j].option) && arg) {
				r = add_grouped(cfg, grouped[j].group, grouped[j].implied, arg);
				done = true;
			}
		for (size_t j = 0; j < ARRAY_SIZE(keyed) && !done; j++)
			if (!strcmp(opt, keyed[j].option) && arg) {
				r = add_keyed(cfg, keyed[j].group, keyed[j].key, arg);
				done = true;
			}
		if (r < 0)
			return r;
		if (done) {
			i++;
			continue;
		}
		/* -global DRIVER.PROPERTY=VALUE: a [global] group of its own (unnamed, as QEMU's).
		 */
		if (!strcmp(opt, "-global") && arg && strchr(arg, '.') &&
		    strchr(arg, '=') > strchr(arg, '.')) {
			const char *dot = strchr(arg, '.'), *eq = strchr(dot, '=');
			struct qemu_group *g = add_group(cfg, "global");
			char *driver = strndup(arg, dot - arg),
			     *prop = strndup(dot + 1, eq - dot - 1);

			r = g && driver && prop ? qemu_group_set(g, "driver", driver) : -ENOMEM;
			if (r == 0)
				r = qemu_group_set(g, "property", prop);
			if (r == 0)
				r = qemu_group_set(g, "value", eq + 1);
			free(driver);
			free(prop);
			if (r < 0)
				return r;
			i++;
			continue;
		}
		/* -serial chardev:ID: an isa-serial device on that chardev. */
		if (!strcmp(opt, "-serial") && arg && !strncmp(arg, "chardev:", 8)) {
			struct qemu_group *g = add_group(cfg, "device");

			if (!g || qemu_group_set(g, "driver", "isa-serial") < 0 ||
			    qemu_group_set(g, "chardev", arg + 8) < 0)
				return -ENOMEM;
			free(g->id);
			g->id = strdup("serial0");
			i++;
			continue;
		}
		strv_add(&cfg->flags, opt);
		if (!strcmp(opt, "-display") && arg)
			strv_add(&cfg->flags, argv[++i]);
	}
	return cfg->flags.error;
}

void qemu_config_free(struct qemu_config *cfg)
{
	for (size_t i = 0; i < cfg->ngroups; i++)
		group_free(&cfg->groups[i]);
	free(cfg->groups);
	strv_free(&cfg->flags);
	*cfg = (struct qemu_config){ 0 };
}

char *qemu_opts_escape(const char *value)
{
	size_t n = strlen(value), commas = 0;
	char *out, *o;

	for (size_t i = 0; i < n; i++)
		commas += value[i] == ',';
	out = o = malloc(n + commas + 1);
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		*o++ = value[i];
		if (value[i] == ',')
			*o++ = ',';
	}
	*o = '\0';
	return out;
}
