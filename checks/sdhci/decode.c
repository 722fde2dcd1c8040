// SPDX-License-Identifier: GPL-2.0-or-later
/* SDHCI registers in words and in the kernel's dump layout: tables, then the code that walks them.
 */
#include <stdio.h>
#include <string.h>

#include "buf_append.h"
#include "cleanup.h"
#include "registers.h"

const struct sdhci_reg_info sdhci_regs_info[SDHCI_NREGS] = {
#define REG(id, off, w, lbl)                                                                       \
	[SDHCI_##id] = { .name = #id, .offset = off, .width = w, .label = lbl },
#define FIELD(reg, name, shift, len, words, dec)
#include "registers.def"
#undef REG
#undef FIELD
};

const struct sdhci_field_info sdhci_fields_info[SDHCI_NFIELDS] = {
#define REG(id, off, w, lbl)
#define FIELD(r, n, s, l, w, d)                                                                    \
	[r##_##n] = {                                                                              \
		.reg = SDHCI_##r, .name = #n, .shift = s, .len = l, .words = w, .decoder = d       \
	},
#include "registers.def"
#undef REG
#undef FIELD
};

/* Enumerated fields, indexed by the field's value. */
static const char *const spec_names[] = { "1.00", "2.00", "3.00", "4.00", "4.10", "4.20" };
static const char *const blklen_names[] = { "512", "1024", "2048", "reserved (3)" };
static const char *const slot_names[] = { "removable", "embedded", "shared bus", "UHS-II" };
static const char *const dma_names[] = { "SDMA", "ADMA1 (32-bit)", "ADMA2 (32-bit)",
					 "ADMA2 (64-bit)" };
static const char *const voltage_names[8] = { [5] = "1.8V", [6] = "3.0V", [7] = "3.3V" };
static const char *const retune_names[] = { "mode 1", "mode 2", "mode 3", "reserved (3)" };

static const struct {
	const char *const *names;
	size_t count;
} enum_tables[] = {
	[DEC_SPEC] = { spec_names, ARRAY_SIZE(spec_names) },
	[DEC_BLKLEN] = { blklen_names, ARRAY_SIZE(blklen_names) },
	[DEC_SLOT] = { slot_names, ARRAY_SIZE(slot_names) },
	[DEC_DMA] = { dma_names, ARRAY_SIZE(dma_names) },
	[DEC_VOLTAGE] = { voltage_names, ARRAY_SIZE(voltage_names) },
	[DEC_RETUNE] = { retune_names, ARRAY_SIZE(retune_names) },
};

/* The kernel's sdhci_dumpregs() rows: left and right register of each line. */
#define NONE SDHCI_NREGS
static const struct {
	enum sdhci_reg left, right;
} dump_rows[] = {
	{ SDHCI_DMA_ADDR, SDHCI_VERSION },
	{ SDHCI_BLK_SIZE, SDHCI_BLK_COUNT },
	{ SDHCI_ARGUMENT, SDHCI_TRANSFER_MODE },
	{ SDHCI_PRESENT, SDHCI_HOST_CTL },
	{ SDHCI_POWER, SDHCI_BLK_GAP },
	{ SDHCI_WAKE_UP, SDHCI_CLOCK },
	{ SDHCI_TIMEOUT, SDHCI_INT_STATUS },
	{ SDHCI_INT_ENABLE, SDHCI_SIG_ENABLE },
	{ SDHCI_ACMD_STATUS, SDHCI_SLOT_INT },
	{ SDHCI_CAPS0, SDHCI_CAPS1 },
	{ SDHCI_COMMAND, SDHCI_MAX_CURRENT },
	{ SDHCI_RESP0, SDHCI_RESP1 },
	{ SDHCI_RESP2, SDHCI_RESP3 },
	{ SDHCI_HOST_CTL2, NONE },
};

size_t sdhci_dword_offsets(uint16_t *out, size_t max)
{
	size_t n = 0;

	for (uint16_t off = 0; off < SDHCI_WINDOW; off += 4) {
		bool wanted = false;

		for (size_t i = 0; i < SDHCI_NREGS; i++)
			wanted |= (sdhci_regs_info[i].offset & ~3u) == off;
		if (wanted && n < max)
			out[n++] = off;
	}
	return n;
}

bool sdhci_reg_valid(const struct sdhci_regs *r, enum sdhci_reg id)
{
	return r->valid & (1ull << (sdhci_regs_info[id].offset / 4));
}

uint32_t sdhci_reg(const struct sdhci_regs *r, enum sdhci_reg id)
{
	const struct sdhci_reg_info *ri = &sdhci_regs_info[id];
	uint32_t v = r->dw[ri->offset / 4] >> (8 * (ri->offset & 3));

	return ri->width == 4 ? v : v & ((1u << (8 * ri->width)) - 1);
}

uint32_t sdhci_field_of(enum sdhci_field f, uint32_t reg_value)
{
	const struct sdhci_field_info *fi = &sdhci_fields_info[f];

	return (reg_value >> fi->shift) & (fi->len == 32 ? ~0u : (1u << fi->len) - 1);
}

uint32_t sdhci_field(const struct sdhci_regs *r, enum sdhci_field f)
{
	return sdhci_field_of(f, sdhci_reg(r, sdhci_fields_info[f].reg));
}

bool sdhci_regs_all(const struct sdhci_regs *r, uint32_t value)
{
	bool any = false;

	for (size_t i = 0; i < SDHCI_DWORDS; i++) {
		if (!(r->valid & (1ull << i)))
			continue;
		if (r->dw[i] != value)
			return false;
		any = true;
	}
	return any;
}

const char *sdhci_spec_name(unsigned int spec, char *buf, size_t size)
{
	if (spec < ARRAY_SIZE(spec_names))
		snprintf(buf, size, "%s", spec_names[spec]);
	else
		snprintf(buf, size, "unknown (%u)", spec);
	return buf;
}

/* One field in words into out; false when it says nothing (a clear flag, a hidden field). */
static bool field_words(enum sdhci_field f, uint32_t reg_value, char *out, size_t size)
{
	const struct sdhci_field_info *fi = &sdhci_fields_info[f];
	uint32_t v = sdhci_field_of(f, reg_value);

	switch (fi->decoder) {
	case DEC_HIDDEN:
		return false;
	case DEC_FLAG:
		if (!v)
			return false;
		snprintf(out, size, "%s", fi->words);
		return true;
	case DEC_YESNO:
		snprintf(out, size, "%s %s", fi->words, v ? "yes" : "no");
		return true;
	case DEC_NUM:
		snprintf(out, size, "%s %u", fi->words, v);
		return true;
	case DEC_HEX:
		snprintf(out, size, "%s 0x%x", fi->words, v);
		return true;
	case DEC_MHZ:
		snprintf(out, size, v ? "%s %u MHz" : "%s %u (not reported)", fi->words, v);
		return true;
	case DEC_TIMEOUT_CLK: {
		bool mhz = sdhci_field_of(CAPS0_TIMEOUT_UNIT, reg_value);

		snprintf(out, size, v ? "%s %u %s" : "%s %u (not reported)", fi->words, v,
			 mhz ? "MHz" : "kHz");
		return true;
	}
	case DEC_MA:
		snprintf(out, size, "%s %u mA", fi->words, v * 4);
		return true;
	case DEC_DIVIDER:
		snprintf(out, size, "%s %u", fi->words,
			 (sdhci_field_of(CLOCK_DIV_HI, reg_value) << 8) | v);
		return true;
	case DEC_SPEC:
	case DEC_BLKLEN:
	case DEC_SLOT:
	case DEC_DMA:
	case DEC_VOLTAGE:
	case DEC_RETUNE: {
		const char *name = v < enum_tables[fi->decoder].count
					   ? enum_tables[fi->decoder].names[v]
					   : NULL;

		if (name)
			snprintf(out, size, "%s %s", fi->words, name);
		else if (fi->decoder == DEC_VOLTAGE && !v)
			snprintf(out, size, "%s none", fi->words);
		else
			snprintf(out, size, "%s unknown (%u)", fi->words, v);
		return true;
	}
	}
	return false;
}

char *sdhci_decode_value(enum sdhci_reg id, uint32_t value, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t f = 0; f < SDHCI_NFIELDS; f++) {
		char words[96];

		if (sdhci_fields_info[f].reg != id || !field_words(f, value, words, sizeof(words)))
			continue;
		buf_append(buf, size, &len, "%s%s", len ? ", " : "", words);
	}
	if (!len)
		snprintf(buf, size, "none");
	return buf;
}

char *sdhci_decode_reg(const struct sdhci_regs *r, enum sdhci_reg id, char *buf, size_t size)
{
	return sdhci_decode_value(id, sdhci_reg(r, id), buf, size);
}

char *sdhci_diff_value(enum sdhci_reg id, uint32_t expected, uint32_t seen, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t f = 0; f < SDHCI_NFIELDS; f++) {
		const struct sdhci_field_info *fi = &sdhci_fields_info[f];
		char want[96] = "clear", got[96] = "clear";

		if (fi->reg != id || sdhci_field_of(f, expected) == sdhci_field_of(f, seen))
			continue;
		field_words(f, expected, want, sizeof(want));
		field_words(f, seen, got, sizeof(got));
		buf_append(buf, size, &len, "%s%s: expected '%s', saw '%s'", len ? "; " : "",
			   fi->words, want, got);
	}
	if (!len)
		snprintf(buf, size, "reserved bits differ (0x%08x)", expected ^ seen);
	return buf;
}

void sdhci_dump(const struct sdhci_regs *r, const char *prefix,
		void (*emit)(void *arg, const char *line), void *arg)
{
	char line[160], left[16], right[16];
	unsigned int dma = sdhci_field(r, HOST_CTL_DMA_SELECT);

	snprintf(line, sizeof(line),
		 "%s: sdhci: ============ SDHCI REGISTER DUMP ===========", prefix);
	emit(arg, line);
	for (size_t i = 0; i < ARRAY_SIZE(dump_rows); i++) {
		enum sdhci_reg a = dump_rows[i].left, b = dump_rows[i].right;

		snprintf(left, sizeof(left), "%s:", sdhci_regs_info[a].label);
		if (b == NONE) {
			snprintf(line, sizeof(line), "%s: sdhci: %-11s0x%08x", prefix, left,
				 sdhci_reg(r, a));
		} else {
			snprintf(right, sizeof(right), "%s:", sdhci_regs_info[b].label);
			snprintf(line, sizeof(line), "%s: sdhci: %-11s0x%08x | %-10s0x%08x", prefix,
				 left, sdhci_reg(r, a), right, sdhci_reg(r, b));
		}
		emit(arg, line);
	}
	/* Like the kernel, only when the host is set up for ADMA. */
	if (dma >= 2) {
		if (dma == 3)
			snprintf(line, sizeof(line),
				 "%s: sdhci: ADMA Err:  0x%08x | ADMA Ptr: 0x%08x%08x", prefix,
				 sdhci_reg(r, SDHCI_ADMA_ERROR), sdhci_reg(r, SDHCI_ADMA_ADDR_HI),
				 sdhci_reg(r, SDHCI_ADMA_ADDR));
		else
			snprintf(line, sizeof(line),
				 "%s: sdhci: ADMA Err:  0x%08x | ADMA Ptr: 0x%08x", prefix,
				 sdhci_reg(r, SDHCI_ADMA_ERROR), sdhci_reg(r, SDHCI_ADMA_ADDR));
		emit(arg, line);
	}
	snprintf(line, sizeof(line),
		 "%s: sdhci: ============================================", prefix);
	emit(arg, line);
}
