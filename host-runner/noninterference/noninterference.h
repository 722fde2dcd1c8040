/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `guestcheck run` on a scenario of kind = non-interference: three boots on
 * the same disks (README, "Non-interference runs"):
 *
 *   baseline   the agent fingerprints every protected card (mmc.fingerprint)
 *   installer  the user's installer, unattended, with all disks attached
 *   verify     the agent again; its fingerprints must equal the baseline's
 *
 * Each protected card is attached through its own qcow2 overlay per phase,
 * chained (pristine <- baseline <- installer <- verify), so the pristine
 * image is only ever a read-only backing file and every write of every
 * phase is in that phase's overlay, located to the sector. QEMU's own
 * counters (query-blockstats) and, in the installer, the guest kernel's
 * counters (phase_wrap.h) are read too: the report shows both sides.
 */
#ifndef GUESTCHECK_NONINTERFERENCE_H
#define GUESTCHECK_NONINTERFERENCE_H

#include <limits.h>
#include <stdbool.h>

#include "cli/run_options.h"
#include "noninterference/blockstats.h"
#include "noninterference/installer_boot.h"
#include "noninterference/installer_plan.h"
#include "noninterference/overlay.h"
#include "noninterference/phase_fingerprint.h"
#include "session/ktap_parse.h"
#include "session/run_result.h"

enum ni_phase { NI_BASELINE, NI_INSTALLER, NI_VERIFY, NI_PHASES };

extern const char *const ni_phase_names[NI_PHASES];

/* Everything known about one protected card, phase by phase. */
struct ni_card {
	size_t index;	  /* into the scenario's devices */
	const char *name; /* "emmc" */
	const char *node; /* its guest node, "mmcblk0" */
	char pristine[PATH_MAX];
	bool pristine_made; /* a zero-filled scratch image made for this run */
	char digest_before[33], digest_after[33]; /* host XXH3-128 of the pristine file */
	char digest_error[256];
	char overlay[NI_PHASES][PATH_MAX];
	struct overlay_map map[NI_PHASES];
	char map_error[NI_PHASES][256]; /* "" when map[] is valid */
	struct blockstats stats[NI_PHASES];
	struct phase_fingerprint fp[NI_PHASES]; /* baseline and verify */
	bool have_fp[NI_PHASES];
};

struct ni_run {
	const struct run_options *o;
	const struct guest *g;
	struct installer_plan plan;
	struct scenario sc; /* the guest's view: images redirected to overlays */
	char out[PATH_MAX]; /* results directory */
	char workdir[PATH_MAX];
	int workdir_owner; /* vm/run_dir.h: held while this runner lives */
	const char *accel;
	char accel_reason[512];
	struct ni_card cards[SCENARIO_MAX_DEVICES];
	size_t ncards;
	enum ni_phase phase; /* the one running, for the area's at_end (area.c) */
	bool ran[NI_PHASES];
	struct run_result agent[NI_PHASES]; /* baseline and verify */
	struct ktap_parser *parser[NI_PHASES];
	struct installer_outcome installer;
	char infra_error[512]; /* a phase could not run at all */
	int interrupted;       /* the signal that stopped the run, 0 if none */
	/* The first report of any phase that could not be written, with its fix; 0 if none. */
	int report_status;
	char report_error[PATH_MAX + 256];
	double start;
	char started_at[32];
};

/* Run the phases and write the reports; returns the exit status (0, 1, 3). */
int noninterference_run(const struct run_options *o, const struct guest *g);

/* The verdicts as KTAP, one test per verdict (noninterference_report.c). */
void ni_report_ktap(const struct ni_run *n, FILE *out);
/* The evidence as JSON: non-interference.json in the results directory. 0 or -errno, err says. */
int ni_report_json(const struct ni_run *n, const char *path, char *err, size_t errsize);

#endif
