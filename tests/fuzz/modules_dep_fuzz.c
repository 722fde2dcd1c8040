// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A kernel's modules.dep as the agent reads it to load modules
 * (agent/modules.h): parsed, then the load order resolved for the first
 * module it names and for the modules the initramfs lists most often.
 */
#include "fuzz.h"
#include "modules.h"

static void resolve(const struct module_dep_table *t, const char *name)
{
	const char *order[64];

	module_deps_resolve(t, name, order, 0, 64);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size), first[256], name[256];
	struct module_dep_table *t = module_deps_parse(text);

	if (t) {
		snprintf(first, sizeof(first), "%.*s", (int)strcspn(text, ":\n"), text);
		module_name_normalise(first, name, sizeof(name));
		resolve(t, name);
		resolve(t, "sdhci-pci");
		resolve(t, "usbnet");
		module_deps_free(t);
	}
	free(text);
	return 0;
}
