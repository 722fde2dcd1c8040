// SPDX-License-Identifier: GPL-2.0-or-later
/* A run's report files, written the same way by `run` and by every non-interference boot. */
#include <limits.h>
#include <stdio.h>

#include "errmsg.h"
#include "macro.h"

#include "report/report.h"

int report_write_run_files(const struct run_result *r, const char *dir, char *err, size_t errsize)
{
	static const struct {
		const char *file;
		int (*write)(const struct run_result *r, const char *path, char *err,
			     size_t errsize);
	} reports[] = {
		{ "junit.xml", report_junit_write },
		{ "results.json", report_json_write },
		{ "results.ktap", report_ktap_write },
	};
	char path[PATH_MAX], why[PATH_MAX + 128];
	int ret = 0;

	for (size_t i = 0; i < ARRAY_SIZE(reports); i++) {
		int rc;

		snprintf(path, sizeof(path), "%s/%s", dir, reports[i].file);
		rc = reports[i].write(r, path, why, sizeof(why));
		if (rc < 0 && !ret)
			ret = errmsg(err, errsize, rc, "%s", why);
	}
	return ret;
}
