/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * For noninterference.c only, forced in by the Makefile: that file is being
 * rewritten in parallel and still calls the report writers without err. Its
 * two-argument calls compile, and a failure prints its one line on stderr as
 * before. Delete this header and its Makefile line once noninterference.c
 * passes err itself (and turns a report failure into exit status 3).
 */
#ifndef GUESTCHECK_REPORT_CALLS_COMPAT_H
#define GUESTCHECK_REPORT_CALLS_COMPAT_H

#include <limits.h>
#include <stdio.h>
#include "report/report.h"
#include "noninterference/noninterference.h"

#define NI_COMPAT_CALL(call)                                                                       \
	({                                                                                         \
		char _err[PATH_MAX + 256];                                                         \
		int _r = (call);                                                                   \
                                                                                                   \
		if (_r < 0)                                                                        \
			fprintf(stderr, "guestcheck: %s\n", _err);                                 \
		_r;                                                                                \
	})
/* A macro's own name in its expansion is not expanded again: these call the functions. */
#define report_junit_write(r, path) NI_COMPAT_CALL(report_junit_write(r, path, _err, sizeof(_err)))
#define report_json_write(r, path)  NI_COMPAT_CALL(report_json_write(r, path, _err, sizeof(_err)))
#define ni_report_json(n, path)	    NI_COMPAT_CALL(ni_report_json(n, path, _err, sizeof(_err)))

#endif
