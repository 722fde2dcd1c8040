// SPDX-License-Identifier: GPL-2.0-or-later
/* What to do about a report that could not be written: said the same way by every command. */
#include <errno.h>

#include "errmsg.h"

#include "report/report.h"

int report_write_fix(char *err, size_t errsize, int code, const char *dir)
{
	if (code == -ENOSPC || code == -EDQUOT)
		return errmsg_prefix(err, errsize, code, "free space in %s or pass -o elsewhere",
				     dir);
	return errmsg_prefix(err, errsize, code,
			     "check that %s exists and is writable, or pass -o elsewhere", dir);
}
