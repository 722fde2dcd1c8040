// SPDX-License-Identifier: GPL-2.0-or-later
#include "modules.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_DEPTH 32

struct module_dep {
	char name[64];
	char *path;  /* relative to /lib/modules/RELEASE */
	char **deps; /* paths */
	size_t ndeps;
};

struct module_dep_table {
	struct module_dep *mods;
	size_t n;
};

void module_name_normalise(const char *in, char *out, size_t size)
{
	const char *base = strrchr(in, '/');
	size_t i;

	base = base ? base + 1 : in;
	for (i = 0; base[i] && i + 1 < size; i++) {
		if (!strncmp(base + i, ".ko", 3))
			break;
		out[i] = base[i] == '-' ? '_' : base[i];
	}
	out[i] = '\0';
}

void module_deps_free(struct module_dep_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		free(t->mods[i].path);
		for (size_t j = 0; j < t->mods[i].ndeps; j++)
			free(t->mods[i].deps[j]);
		free(t->mods[i].deps);
	}
	free(t->mods);
	free(t);
}

static int parse_line(struct module_dep *m, char *line)
{
	char *colon = strchr(line, ':'), *tok, *save;

	if (!colon)
		return -EINVAL;
	*colon = '\0';
	m->path = strdup(line);
	if (!m->path)
		return -ENOMEM;
	module_name_normalise(line, m->name, sizeof(m->name));
	for (tok = strtok_r(colon + 1, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save)) {
		char **d = realloc(m->deps, (m->ndeps + 1) * sizeof(*d));

		if (!d)
			return -ENOMEM;
		m->deps = d;
		m->deps[m->ndeps] = strdup(tok);
		if (!m->deps[m->ndeps++])
			return -ENOMEM;
	}
	return 0;
}

struct module_dep_table *module_deps_parse(const char *text)
{
	struct module_dep_table *t = calloc(1, sizeof(*t));
	_cleanup_free_ char *copy = strdup(text);
	char *line, *save;

	if (!t || !copy) {
		free(t);
		return NULL;
	}
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct module_dep *m = realloc(t->mods, (t->n + 1) * sizeof(*m));

		if (!m)
			goto fail;
		t->mods = m;
		t->mods[t->n] = (struct module_dep){ 0 };
		if (parse_line(&t->mods[t->n++], line) == -ENOMEM)
			goto fail;
	}
	return t;
fail:
	module_deps_free(t);
	return NULL;
}

static const struct module_dep *find(const struct module_dep_table *t, const char *name_or_path)
{
	char name[64];

	module_name_normalise(name_or_path, name, sizeof(name));
	for (size_t i = 0; i < t->n; i++)
		if (t->mods[i].path && !strcmp(t->mods[i].name, name))
			return &t->mods[i];
	return NULL;
}

static int resolve(const struct module_dep_table *t, const struct module_dep *m, const char **order,
		   size_t count, size_t max, int depth)
{
	if (depth > MAX_DEPTH)
		return -ELOOP;
	for (size_t i = 0; i < count; i++)
		if (order[i] == m->path)
			return count;
	/* Each dependency's own line orders its dependencies: recurse first. */
	for (size_t i = 0; i < m->ndeps; i++) {
		const struct module_dep *d = find(t, m->deps[i]);
		int r;

		if (!d)
			return -ENOENT;
		r = resolve(t, d, order, count, max, depth + 1);
		if (r < 0)
			return r;
		count = r;
	}
	for (size_t i = 0; i < count; i++)
		if (order[i] == m->path)
			return count;
	if (count >= max)
		return -E2BIG;
	order[count++] = m->path;
	return count;
}

int module_deps_resolve(const struct module_dep_table *t, const char *name, const char **order,
			size_t count, size_t max)
{
	const struct module_dep *m = find(t, name);

	if (!m)
		return -ENOENT;
	return resolve(t, m, order, count, max, 0);
}

static char *read_file(const char *path)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	char chunk[4096];
	size_t n;

	if (!f)
		return NULL;
	mem = open_memstream(&buf, &len);
	if (!mem)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, n, mem);
	fclose(mem);
	return buf;
}

/* modules.builtin lists modules compiled into the kernel: nothing to load. */
static bool is_builtin(const char *dir, const char *name)
{
	char path[PATH_MAX], want[64], line[PATH_MAX];
	_cleanup_fclose_ FILE *f = NULL;

	if (snprintf(path, sizeof(path), "%s/modules.builtin", dir) >= (int)sizeof(path))
		return false;
	f = fopen(path, "re");
	if (!f)
		return false;
	module_name_normalise(name, want, sizeof(want));
	while (fgets(line, sizeof(line), f)) {
		char got[64];

		line[strcspn(line, "\n")] = '\0';
		module_name_normalise(line, got, sizeof(got));
		if (!strcmp(got, want))
			return true;
	}
	return false;
}

/*
 * finit_module() on dir/relpath. params NULL: none, and a module already
 * loaded is fine; otherwise -EEXIST says it kept the parameters it had.
 */
static int load_file(const char *dir, const char *relpath, const char *params, char *detail,
		     size_t size)
{
	char path[PATH_MAX];
	_cleanup_close_ int fd = -1;
	int r;

	if (snprintf(path, sizeof(path), "%s/%s", dir, relpath) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		snprintf(detail, size, "%s: cannot open: rebuild the initramfs", relpath);
		return r;
	}
	if (syscall(SYS_finit_module, fd, params ?: "", 0) == 0 || (!params && errno == EEXIST))
		return 0;
	r = -errno;
	if (params)
		snprintf(detail, size, "%s %s: finit_module failed%s", relpath, params,
			 r == -EEXIST ? ": already loaded, with other parameters" : "");
	else
		snprintf(detail, size, "%s: finit_module failed", relpath);
	return r;
}

/* The image's modules.dep, parsed once for every module a call loads. */
struct image_modules {
	char dir[PATH_MAX];
	char *text;		    /* NULL: the image has no modules.dep */
	struct module_dep_table *t; /* NULL: out of memory */
};

static void image_modules_open(struct image_modules *im, const char *release)
{
	char path[PATH_MAX + 16];

	snprintf(im->dir, sizeof(im->dir), "/lib/modules/%s", release);
	snprintf(path, sizeof(path), "%s/modules.dep", im->dir);
	im->text = read_file(path);
	im->t = module_deps_parse(im->text ?: "");
}

static void image_modules_close(struct image_modules *im)
{
	module_deps_free(im->t);
	free(im->text);
}

/*
 * Load `name` into *m, its dependencies first, skipping what loaded[] holds
 * already and appending what it loads there. params go to `name` alone
 * (NULL: none, and a module built into the kernel is fine).
 */
static void load_with_deps(const struct image_modules *im, const char *name, const char *params,
			   const char **loaded, size_t *nloaded, size_t max, struct module_load *m)
{
	size_t before = *nloaded;
	int r;

	if (!im->t) {
		m->error = -ENOMEM;
		return;
	}
	r = module_deps_resolve(im->t, name, loaded, *nloaded, max);
	if (r == -ENOENT && !params && is_builtin(im->dir, name))
		return;
	if (r < 0) {
		m->error = r;
		snprintf(m->detail, sizeof(m->detail), "%s",
			 r == -ENOENT ? (im->text ? "not in the image's modules.dep: add it to "
						    "initramfs/modules.list"
						  : "no modules.dep in the image: rebuild it")
				      : "cannot resolve its dependencies");
		return;
	}
	*nloaded = r;
	/* `name` itself comes last in loaded[]: resolve() appends it after its dependencies. */
	for (size_t i = before; i < *nloaded && !m->error; i++)
		m->error = load_file(im->dir, loaded[i], i + 1 == *nloaded ? params : NULL,
				     m->detail, sizeof(m->detail));
}

size_t modules_load(const char *release, const char *names, struct module_load *out, size_t max)
{
	_cleanup_free_ char *list = strdup(names ?: "");
	struct image_modules im;
	const char *loaded[256];
	size_t nloaded = 0, nout = 0;
	char *name, *save;

	image_modules_open(&im, release);
	for (name = strtok_r(list, " ,\t", &save); name && nout < max && list;
	     name = strtok_r(NULL, " ,\t", &save)) {
		struct module_load *m = &out[nout++];

		*m = (struct module_load){ 0 };
		snprintf(m->name, sizeof(m->name), "%s", name);
		load_with_deps(&im, name, NULL, loaded, &nloaded, ARRAY_SIZE(loaded), m);
	}
	image_modules_close(&im);
	return nout;
}

int module_load_params(const char *release, const char *name, const char *params,
		       struct module_load *out)
{
	struct image_modules im;
	const char *loaded[64];
	size_t nloaded = 0;

	*out = (struct module_load){ 0 };
	snprintf(out->name, sizeof(out->name), "%s", name);
	image_modules_open(&im, release);
	load_with_deps(&im, name, params, loaded, &nloaded, ARRAY_SIZE(loaded), out);
	image_modules_close(&im);
	return out->error;
}
