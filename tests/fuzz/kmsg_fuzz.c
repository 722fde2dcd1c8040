// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The guest kernel's log as the SD host controller checks read it
 * (sdhci/kmsg.h): a captured /dev/kmsg read into a buffer smaller than it
 * may be (the oldest lines dropped), each record's text found and matched
 * against the known causes; and the same bytes as /proc/interrupts, looked
 * up by handler name and by number.
 */
#include <stdio.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "sysroot.h"

#include "sdhci/kmsg.h"

static struct sysroot root;

static void put(const char *rel, const uint8_t *data, size_t size)
{
	char path[512];

	snprintf(path, sizeof(path), "%s%s", root.prefix, rel);
	fuzz_put_file(path, data, size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[4096];
	struct irq_line l;
	int n;

	if (!root.prefix[0]) {
		char path[512];

		snprintf(root.prefix, sizeof(root.prefix), "%s", fuzz_scratch());
		snprintf(path, sizeof(path), "%s/dev", root.prefix);
		mkdir(path, 0755);
		snprintf(path, sizeof(path), "%s/proc", root.prefix);
		mkdir(path, 0755);
	}
	put("/dev/kmsg", data, size);
	put("/proc/interrupts", data, size);
	n = kmsg_read(&root, buf, sizeof(buf));
	for (char *line = n > 0 ? buf : NULL, *nl; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		kmsg_known(kmsg_text(line));
	}
	if (irq_read(&root, buf, sizeof(buf)) >= 0) {
		irq_find(buf, "mmc0", -1, &l);
		irq_find(buf, "mmc1", 53, &l);
	}
	return 0;
}
