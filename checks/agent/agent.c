// SPDX-License-Identifier: GPL-2.0-or-later
/* agent.*: the agent itself got what it needs: its configuration, its modules. */
#include <string.h>

#include "check.h"

int check_agent_modules(struct check_ctx *ctx)
{
	const struct check_env *env = ctx->env;
	size_t failed = 0;

	if (!env->pid1) {
		check_skip(ctx, "the agent is not the guest's init: it loaded no modules");
		return 0;
	}
	for (size_t i = 0; i < env->nmodules; i++) {
		const struct module_load *m = &env->modules[i];

		if (m->error) {
			check_fail(ctx, "%s: load failed: %s: %s", m->name, strerror(-m->error),
				   m->detail[0] ? m->detail : "see the serial console for dmesg");
			failed++;
		}
	}
	check_note(ctx, "%zu of %zu modules loaded", env->nmodules - failed, env->nmodules);
	return 0;
}

int check_agent_config(struct check_ctx *ctx)
{
	const char *name = config_get(ctx->env->config, "scenario", "name");

	if (ctx->env->config_error) {
		check_fail(ctx, "%s", ctx->env->config_error);
		return 0;
	}
	check_note(ctx, "scenario %s: %zu sections", name ? name : "(unnamed)",
		   ctx->env->config->nsections);
	return 0;
}
