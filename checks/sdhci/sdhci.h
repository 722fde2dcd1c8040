/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the sdhci.* checks and by the agent's early snapshot: where the
 * guest's SD host controllers are (PCI class 0x0805, device-tree nodes,
 * addresses the scenario names), what the scenario expects of each, and
 * their registers, read live or from the snapshot the agent took before any
 * SDHCI driver loaded.
 *
 * Reading without racing the driver: with CONFIG_IO_STRICT_DEVMEM (Debian's
 * kernels) neither /dev/mem nor a PCI resource file maps a region a driver
 * holds. So the agent, as init, reads every controller before it loads
 * modules (sdhci_early_snapshot()); later reads are live when the kernel
 * allows it (no driver bound, or the guest booted with iomem=relaxed) and
 * come from that snapshot otherwise. Each report says which.
 */
#ifndef GUESTCHECK_SDHCI_H
#define GUESTCHECK_SDHCI_H

#include <stdbool.h>
#include <stdint.h>

#include "check.h"
#include "dt.h"
#include "mmio.h"
#include "registers.h"

#define SDHCI_MAX_CONTROLLERS 8
#define SDHCI_SNAPSHOT_DIR    "/run/guestcheck/sdhci"
/* The kernel's wait for "internal clock stable" (sdhci_enable_clk()). */
#define SDHCI_CLOCK_LIMIT_MS 150

enum sdhci_kind { SDHCI_KIND_PCI, SDHCI_KIND_DT, SDHCI_KIND_ADDRESS };

/* What a scenario's sd-card device says about its controller. */
struct sdhci_expect {
	char device[32]; /* the scenario's device name, "" when none maps here */
	bool has_base;
	uint64_t base; /* sdhci_base */
	bool pinned[SDHCI_NREGS];
	uint32_t value[SDHCI_NREGS];	  /* sdhci_version, sdhci_caps, ... */
	const char *pin_key[SDHCI_NREGS]; /* the key that pinned it, for messages */
	bool card;			  /* a card is in the slot */
	int readonly;			  /* -1 not said, 0, 1 */
	bool clock_test;		  /* sdhci_clock_test = yes */
	int dma_coherent;		  /* -1 not said, 0, 1 */
	char node[64];			  /* the card's block device, "mmcblk0" */
	char pci[16];			  /* pci_address the runner pinned, "" when none */
	char bad_key[160];		  /* a key the guest could not parse: the message */
};

struct sdhci_controller {
	enum sdhci_kind kind;
	char name[64];	 /* "0000:00:01.0", "ff170000.mmc", "0xff180000" */
	char sysfs[160]; /* "/sys/bus/pci/devices/0000:00:01.0"; "" when the kernel has no device */
	uint64_t base;	 /* physical address of the register window */
	uint32_t pci_class;
	char driver[64]; /* bound driver, "" when none */
	char host[16];	 /* "mmc0" once a driver registered the host */
	int irq;	 /* sysfs irq of a PCI function, -1 */
	bool has_dt;
	struct sdhci_dt_node dt;
	struct mmio_window window;
	struct sdhci_expect expect;
};

/* Where register values came from. */
enum sdhci_source { SDHCI_SRC_NONE, SDHCI_SRC_LIVE, SDHCI_SRC_SNAPSHOT };

struct sdhci_readout {
	enum sdhci_source source;
	int error;	/* 0, or -errno of the read that produced regs (partial on a fault) */
	int live_error; /* why a live read was not used (-EPERM: the kernel refused) */
	struct mmio_fault fault;
	struct sdhci_regs regs;
	bool have_clock_test; /* the snapshot holds an active clock test */
	int clock_error;
	struct mmio_clock_test clock;
};

/*
 * Every SD host controller of the guest with the scenario's expectations
 * attached; returns how many (only max are filled). Scenario devices that
 * map to no controller are counted in *unmatched (their names in
 * unmatched_names, comma-separated) so a check can say so.
 */
size_t sdhci_find(const struct check_env *env, struct sdhci_controller *out, size_t max,
		  size_t *unmatched, char *unmatched_names, size_t names_size);

/* A line naming the controller: "0000:00:01.0 (PCI 0x080501, sdhci-pci, mmc0, sd0)". */
const char *sdhci_describe(const struct sdhci_controller *c, char *buf, size_t size);

/* Read live, falling back to the agent's snapshot; never fails silently: see out->error. */
void sdhci_read(const struct check_env *env, const struct sdhci_controller *c,
		struct sdhci_readout *out);

/* Raw register read of the controller's window (no fallback). */
int sdhci_read_live(const struct sdhci_controller *c, struct sdhci_readout *out);

/* "read live (iomem=relaxed)" and friends, for reports. */
const char *sdhci_source_words(const struct check_env *env, const struct sdhci_controller *c,
			       const struct sdhci_readout *r, char *buf, size_t size);

/* A failed read in words: "SIGBUS reading 0x00: nothing answers at 0xff180000". */
const char *sdhci_read_error_words(const struct sdhci_controller *c, const struct sdhci_readout *r,
				   char *buf, size_t size);

/*
 * Not the guest's init, so no snapshot from before drivers loaded, and the
 * kernel refuses a live read while a driver holds the controller (strict
 * devmem): nothing is wrong with the controller, the registers cannot be
 * read from here. Says why in buf (for check_skip) and returns true.
 */
bool sdhci_unreadable_as_command(const struct check_env *env, const struct sdhci_controller *c,
				 const struct sdhci_readout *r, char *buf, size_t size);

/* Snapshot files: one per controller, named by base address. */
int sdhci_snapshot_write(const char *path, const struct sdhci_controller *c,
			 const struct sdhci_readout *r);
int sdhci_snapshot_read(const char *path, struct sdhci_readout *r);

/*
 * The agent's hook, called as init before it loads any module: read every
 * controller it can find into SDHCI_SNAPSHOT_DIR, and run the active clock
 * test where the scenario allows it (no driver can hold a controller yet).
 */
void sdhci_early_snapshot(const struct sysroot *root, const struct config *config);

/* Parse the scenario keys of one device; 0 or -EINVAL (message in e->bad_key). */
int sdhci_expect_parse(const struct check_device *dev, struct sdhci_expect *e);

#endif
