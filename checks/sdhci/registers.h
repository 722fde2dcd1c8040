/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SDHCI registers and fields, generated from registers.def, and the decoders
 * that turn them into words. Everything here is pure: it works on a struct
 * sdhci_regs however it was filled (a live read, the agent's snapshot taken
 * before the driver loaded, or a unit test).
 */
#ifndef GUESTCHECK_SDHCI_REGISTERS_H
#define GUESTCHECK_SDHCI_REGISTERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum sdhci_reg {
#define REG(id, offset, width, label) SDHCI_##id,
#define FIELD(reg, name, shift, len, words, dec)
#include "registers.def"
#undef REG
#undef FIELD
	SDHCI_NREGS
};

enum sdhci_field {
#define REG(id, offset, width, label)
#define FIELD(reg, name, shift, len, words, dec) reg##_##name,
#include "registers.def"
#undef REG
#undef FIELD
	SDHCI_NFIELDS
};

/* How a field's value reads in words. */
enum sdhci_decoder {
	DEC_HIDDEN,	 /* folded into another field's words */
	DEC_FLAG,	 /* its words when set, nothing when clear */
	DEC_YESNO,	 /* "words yes" / "words no" */
	DEC_NUM,	 /* decimal */
	DEC_HEX,	 /* 0x.. */
	DEC_MHZ,	 /* N MHz, "0 (none)" */
	DEC_TIMEOUT_CLK, /* kHz or MHz by TIMEOUT_UNIT */
	DEC_MA,		 /* steps of 4 mA */
	DEC_DIVIDER,	 /* 10-bit divider with DIV_HI */
	DEC_SPEC,	 /* spec version names */
	DEC_BLKLEN,
	DEC_SLOT,
	DEC_DMA,
	DEC_VOLTAGE,
	DEC_RETUNE,
};

struct sdhci_reg_info {
	const char *name;  /* "CAPS0" */
	uint16_t offset;   /* within the controller's MMIO window */
	uint8_t width;	   /* bytes: 1, 2 or 4 */
	const char *label; /* the kernel's dump label, "Caps" */
};

struct sdhci_field_info {
	enum sdhci_reg reg;
	const char *name; /* "BASE_CLK" */
	uint8_t shift, len;
	const char *words; /* "base clock" */
	enum sdhci_decoder decoder;
};

extern const struct sdhci_reg_info sdhci_regs_info[SDHCI_NREGS];
extern const struct sdhci_field_info sdhci_fields_info[SDHCI_NFIELDS];

/* The register window as 32-bit words; reads are always aligned dwords. */
#define SDHCI_WINDOW 0x100
#define SDHCI_DWORDS (SDHCI_WINDOW / 4)

struct sdhci_regs {
	uint32_t dw[SDHCI_DWORDS];
	uint64_t valid; /* bit i: dw[i] was read */
};

/* Version register spec field: SDHCI_SPEC_100 (0) to SDHCI_SPEC_420 (5). */
#define SDHCI_SPEC_MAX_KNOWN 5

/* The aligned dword offsets that hold every REG, ascending; returns the count. */
size_t sdhci_dword_offsets(uint16_t *out, size_t max);

bool sdhci_reg_valid(const struct sdhci_regs *r, enum sdhci_reg id);
uint32_t sdhci_reg(const struct sdhci_regs *r, enum sdhci_reg id);
uint32_t sdhci_field(const struct sdhci_regs *r, enum sdhci_field f);
/* The field's value taken out of a raw register value. */
uint32_t sdhci_field_of(enum sdhci_field f, uint32_t reg_value);

/* Every REG read as 0, or as all ones (no device answers). */
bool sdhci_regs_all(const struct sdhci_regs *r, uint32_t value);

/* "2.00", "4.20", or "unknown (7)". */
const char *sdhci_spec_name(unsigned int spec, char *buf, size_t size);

/*
 * One register in words: "base clock 52 MHz, max block 512, ..., 3.3V yes".
 * Returns buf. Flags that are clear are left out; "none" if nothing is set.
 */
char *sdhci_decode_reg(const struct sdhci_regs *r, enum sdhci_reg id, char *buf, size_t size);

/* The same for a raw value (pinned values in messages). */
char *sdhci_decode_value(enum sdhci_reg id, uint32_t value, char *buf, size_t size);

/*
 * Fields that differ between two values of one register, in words:
 * "3.3V: expected yes, saw no; 1.8V: expected yes, saw no".
 */
char *sdhci_diff_value(enum sdhci_reg id, uint32_t expected, uint32_t seen, char *buf, size_t size);

/*
 * The register dump in the layout of the kernel's sdhci_dumpregs(), one line
 * per call of emit (no newline), each prefixed "PREFIX: sdhci: " like the
 * kernel's "mmc0: sdhci: " so the two can be compared line by line.
 */
void sdhci_dump(const struct sdhci_regs *r, const char *prefix,
		void (*emit)(void *arg, const char *line), void *arg);

#endif
