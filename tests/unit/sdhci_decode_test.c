// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * checks/sdhci/decode.c and registers.def: the tables are consistent, the
 * decoders read real controllers' values right (QEMU's sdhci-pci and the
 * ZynqMP's Arasan as QEMU models it), and the dump lines up with the
 * kernel's sdhci_dumpregs() format.
 */
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"

#include "sdhci/registers.h"

static void set(struct sdhci_regs *r, enum sdhci_reg id, uint32_t v)
{
	const struct sdhci_reg_info *ri = &sdhci_regs_info[id];
	unsigned int shift = 8 * (ri->offset & 3);
	uint32_t mask = ri->width == 4 ? ~0u : ((1u << (8 * ri->width)) - 1) << shift;

	r->dw[ri->offset / 4] = (r->dw[ri->offset / 4] & ~mask) | ((v << shift) & mask);
	r->valid |= 1ull << (ri->offset / 4);
}

TEST(tables_are_consistent)
{
	for (size_t f = 0; f < SDHCI_NFIELDS; f++) {
		const struct sdhci_field_info *fi = &sdhci_fields_info[f];

		/* Every field fits in its register... */
		EXPECT_LE((unsigned int)(fi->shift + fi->len), 8u * sdhci_regs_info[fi->reg].width)
		TH_LOG("%s.%s", sdhci_regs_info[fi->reg].name, fi->name);
		/* ...and no two fields of a register overlap. */
		for (size_t g = f + 1; g < SDHCI_NFIELDS; g++) {
			const struct sdhci_field_info *gi = &sdhci_fields_info[g];
			uint64_t a = ((1ull << fi->len) - 1) << fi->shift;
			uint64_t b = ((1ull << gi->len) - 1) << gi->shift;

			if (gi->reg == fi->reg)
				EXPECT_EQ(0ull, a & b)
			TH_LOG("%s and %s overlap", fi->name, gi->name);
		}
	}
	for (size_t i = 0; i < SDHCI_NREGS; i++) {
		const struct sdhci_reg_info *ri = &sdhci_regs_info[i];

		EXPECT_EQ(0, ri->offset % ri->width) TH_LOG("%s misaligned", ri->name);
		EXPECT_LT(ri->offset, SDHCI_WINDOW);
	}
}

TEST(dword_offsets_skip_the_data_port)
{
	uint16_t offs[SDHCI_DWORDS];
	size_t n = sdhci_dword_offsets(offs, SDHCI_DWORDS);
	bool has_fc = false;

	ASSERT_GT(n, 10U);
	for (size_t i = 0; i < n; i++) {
		EXPECT_NE(0x20, offs[i]); /* reading the buffer data port pops the FIFO */
		EXPECT_EQ(0, offs[i] & 3);
		if (i)
			EXPECT_LT(offs[i - 1], offs[i]);
		has_fc |= offs[i] == 0xfc;
	}
	EXPECT_TRUE(has_fc);
}

TEST(qemu_sdhci_pci)
{
	struct sdhci_regs r = { 0 };
	char buf[512];

	set(&r, SDHCI_VERSION, 0x2401);
	set(&r, SDHCI_CAPS0, 0x057834b4);
	set(&r, SDHCI_PRESENT, 0x01ff0000);
	EXPECT_EQ(1u, sdhci_field(&r, VERSION_SPEC));
	EXPECT_EQ(0x24u, sdhci_field(&r, VERSION_VENDOR));
	EXPECT_STREQ("spec 2.00, vendor 0x24",
		     sdhci_decode_reg(&r, SDHCI_VERSION, buf, sizeof(buf)));
	EXPECT_EQ(52u, sdhci_field(&r, CAPS0_BASE_CLK));
	EXPECT_EQ(1u, sdhci_field(&r, CAPS0_VDD_330));
	EXPECT_EQ(0u, sdhci_field(&r, CAPS0_VDD_300));
	EXPECT_EQ(1u, sdhci_field(&r, CAPS0_VDD_180));
	sdhci_decode_reg(&r, SDHCI_CAPS0, buf, sizeof(buf));
	EXPECT_NE(NULL, strstr(buf, "timeout clock 52 MHz, base clock 52 MHz, max block 512"));
	EXPECT_NE(NULL, strstr(buf, "ADMA2 yes, ADMA1 yes, high speed yes, SDMA yes"));
	EXPECT_NE(NULL, strstr(buf, "3.3V yes, 3.0V no, 1.8V yes, 64-bit DMA no"));
	EXPECT_NE(NULL, strstr(buf, "slot removable"));
	sdhci_decode_reg(&r, SDHCI_PRESENT, buf, sizeof(buf));
	EXPECT_STREQ("card-inserted, card-stable, card-detect-pin, write-enabled, DAT[3:0] 0xf, "
		     "CMD-high",
		     buf);
	EXPECT_STREQ("none", sdhci_decode_reg(&r, SDHCI_INT_STATUS, buf, sizeof(buf)));
}

TEST(zynqmp_arasan)
{
	char buf[512];

	/* QEMU's xlnx-zynqmp sets capareg 0x280737ec6481 and spec 3. */
	sdhci_decode_value(SDHCI_CAPS0, 0x37ec6481, buf, sizeof(buf));
	EXPECT_NE(NULL, strstr(buf, "timeout clock 1 MHz, base clock 100 MHz, max block 512, "
				    "8-bit bus yes, ADMA2 yes, ADMA1 no"));
	EXPECT_NE(NULL, strstr(buf, "3.3V yes, 3.0V yes, 1.8V yes, 64-bit DMA yes"));
	sdhci_decode_value(SDHCI_VERSION, 0x2402, buf, sizeof(buf));
	EXPECT_STREQ("spec 3.00, vendor 0x24", buf);
	sdhci_decode_value(SDHCI_CAPS1, 0x2807, buf, sizeof(buf));
	EXPECT_NE(NULL, strstr(buf, "SDR50 yes, SDR104 yes, DDR50 yes"));
	EXPECT_NE(NULL, strstr(buf, "re-tuning timer 8, SDR50 tuning yes"));
}

TEST(other_registers_in_words)
{
	char buf[256];

	EXPECT_STREQ("bus-power-on, voltage 3.3V",
		     sdhci_decode_value(SDHCI_POWER, 0x0f, buf, sizeof(buf)));
	EXPECT_STREQ("voltage none", sdhci_decode_value(SDHCI_POWER, 0, buf, sizeof(buf)));
	EXPECT_STREQ("internal-clock-on, internal-clock-stable, SD-clock-on, divider 2",
		     sdhci_decode_value(SDHCI_CLOCK, 0x0207, buf, sizeof(buf)));
	EXPECT_STREQ("divider 768", sdhci_decode_value(SDHCI_CLOCK, 0x00c0, buf, sizeof(buf)));
	EXPECT_STREQ("4-bit, DMA ADMA2 (32-bit)",
		     sdhci_decode_value(SDHCI_HOST_CTL, 0x12, buf, sizeof(buf)));
	EXPECT_STREQ("command-complete, error, command-timeout",
		     sdhci_decode_value(SDHCI_INT_STATUS, 0x00018001, buf, sizeof(buf)));
	EXPECT_STREQ("3.3V 800 mA, 3.0V 0 mA, 1.8V 4 mA",
		     sdhci_decode_value(SDHCI_MAX_CURRENT, 0x0100c8, buf, sizeof(buf)));
	EXPECT_STREQ("spec unknown (9), vendor 0xff",
		     sdhci_decode_value(SDHCI_VERSION, 0xff09, buf, sizeof(buf)));
}

TEST(diff_names_the_fields)
{
	char buf[512];

	/* capareg without voltage bits, against QEMU's default. */
	sdhci_diff_value(SDHCI_CAPS0, 0x057834b4, 0x007834b4, buf, sizeof(buf));
	EXPECT_STREQ("3.3V: expected '3.3V yes', saw '3.3V no'; 1.8V: expected '1.8V yes', saw "
		     "'1.8V no'",
		     buf);
	sdhci_diff_value(SDHCI_VERSION, 0x2401, 0x2402, buf, sizeof(buf));
	EXPECT_STREQ("spec: expected 'spec 2.00', saw 'spec 3.00'", buf);
	/* Bit 27 of Caps is reserved: no field, but the values still differ. */
	sdhci_diff_value(SDHCI_CAPS0, 0, 1u << 27, buf, sizeof(buf));
	EXPECT_STREQ("reserved bits differ (0x08000000)", buf);
}

TEST(all_zero_and_all_ones)
{
	struct sdhci_regs r = { 0 };

	EXPECT_FALSE(sdhci_regs_all(&r, 0)); /* nothing read says nothing */
	set(&r, SDHCI_CAPS0, 0);
	set(&r, SDHCI_VERSION, 0);
	EXPECT_TRUE(sdhci_regs_all(&r, 0));
	set(&r, SDHCI_VERSION, 0x2401);
	EXPECT_FALSE(sdhci_regs_all(&r, 0));
	set(&r, SDHCI_CAPS0, 0xffffffff);
	set(&r, SDHCI_VERSION, 0xffff);
	r.dw[0xfc / 4] = 0xffffffff;
	EXPECT_TRUE(sdhci_regs_all(&r, ~0u));
}

struct lines {
	char text[32][128];
	size_t n;
};

static void collect(void *arg, const char *line)
{
	struct lines *l = arg;

	if (l->n < 32)
		snprintf(l->text[l->n++], sizeof(l->text[0]), "%s", line);
}

TEST(dump_in_the_kernels_layout)
{
	struct sdhci_regs r = { 0 };
	struct lines l = { 0 };

	set(&r, SDHCI_VERSION, 0x2401);
	set(&r, SDHCI_CAPS0, 0x057834b4);
	set(&r, SDHCI_PRESENT, 0x01ff0000);
	set(&r, SDHCI_CLOCK, 0x0207);
	set(&r, SDHCI_HOST_CTL2, 0);
	sdhci_dump(&r, "mmc0", collect, &l);
	ASSERT_EQ(16U, l.n);
	EXPECT_STREQ("mmc0: sdhci: ============ SDHCI REGISTER DUMP ===========", l.text[0]);
	EXPECT_STREQ("mmc0: sdhci: Sys addr:  0x00000000 | Version:  0x00002401", l.text[1]);
	EXPECT_STREQ("mmc0: sdhci: Present:   0x01ff0000 | Host ctl: 0x00000000", l.text[4]);
	EXPECT_STREQ("mmc0: sdhci: Wake-up:   0x00000000 | Clock:    0x00000207", l.text[6]);
	EXPECT_STREQ("mmc0: sdhci: ACmd stat: 0x00000000 | Slot int: 0x00000000", l.text[9]);
	EXPECT_STREQ("mmc0: sdhci: Caps:      0x057834b4 | Caps_1:   0x00000000", l.text[10]);
	EXPECT_STREQ("mmc0: sdhci: Cmd:       0x00000000 | Max curr: 0x00000000", l.text[11]);
	EXPECT_STREQ("mmc0: sdhci: Host ctl2: 0x00000000", l.text[14]);
	EXPECT_STREQ("mmc0: sdhci: ============================================", l.text[15]);

	/* With ADMA2 64-bit selected the kernel adds the ADMA line. */
	memset(&l, 0, sizeof(l));
	set(&r, SDHCI_HOST_CTL, 0x18);
	set(&r, SDHCI_ADMA_ADDR, 0x1000);
	set(&r, SDHCI_ADMA_ADDR_HI, 0x1);
	sdhci_dump(&r, "mmc0", collect, &l);
	ASSERT_EQ(17U, l.n);
	EXPECT_STREQ("mmc0: sdhci: ADMA Err:  0x00000000 | ADMA Ptr: 0x0000000100001000",
		     l.text[15]);
}

TEST_HARNESS_MAIN
