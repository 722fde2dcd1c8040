// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * OVMF's shell seen on the console (userdisk/firmware_shell.h): from the
 * console's last lines as the runner keeps them (printable ASCII, escape
 * bytes dropped), as Debian 12's OVMF printed them for a disk with no EFI
 * boot loader.
 */
#include <string.h>

#include "kselftest_harness.h"

#include "userdisk/firmware_shell.h"

static const char no_loader[] =
	"[2J[01;01H[=3h[2J[01;01HBdsDxe: failed to load Boot0001 \"UEFI Misc Device\" from "
	"PciRoot(0x0)/Pci(0x1,0x0): Not Found \n"
	"BdsDxe: loading Boot0002 \"EFI Internal Shell\" from "
	"Fv(7CB8BDC9-F8EB-4F34)/FvFile(7C04A583) \n"
	"BdsDxe: starting Boot0002 \"EFI Internal Shell\" from "
	"Fv(7CB8BDC9-F8EB-4F34)/FvFile(7C04A583) \n"
	"[2J[01;01H[01;01HUEFI Interactive Shell v2.2 \n"
	"EDK II \n"
	"UEFI v2.70 (EDK II, 0x00010000) \n";

TEST(the_shell_with_the_last_failed_boot_option)
{
	char why[256];

	EXPECT_TRUE(ovmf_in_shell(no_loader, why, sizeof(why)));
	EXPECT_STREQ("BdsDxe: failed to load Boot0001 \"UEFI Misc Device\" from "
		     "PciRoot(0x0)/Pci(0x1,0x0): Not Found",
		     why);
}

TEST(the_shell_without_a_failure_line)
{
	char why[16] = "stale";

	EXPECT_TRUE(ovmf_in_shell("UEFI Interactive Shell v2.2\nShell> ", why, sizeof(why)));
	EXPECT_STREQ("", why);
}

/* A booting guest: the loader found, the kernel's own lines; and nothing yet. */
TEST(a_boot_that_goes_on_is_not_the_shell)
{
	char why[64];

	EXPECT_FALSE(ovmf_in_shell("BdsDxe: loading Boot0001 \"UEFI Misc Device\"\n"
				   "EFI stub: Loaded initrd from LINUX_EFI_INITRD_MEDIA_GUID\n"
				   "[    0.000000] Linux version 6.1.0-50-amd64\n",
				   why, sizeof(why)));
	EXPECT_STREQ("", why);
	EXPECT_FALSE(ovmf_in_shell(NULL, why, sizeof(why)));
	EXPECT_FALSE(ovmf_in_shell("", why, sizeof(why)));
}

/* A long failure line is cut to the buffer, never past it. */
TEST(a_long_failure_line_is_cut)
{
	char why[24];

	EXPECT_TRUE(ovmf_in_shell(no_loader, why, sizeof(why)));
	EXPECT_EQ(sizeof(why) - 1, strlen(why));
	EXPECT_EQ(0, strncmp(why, "BdsDxe: failed to load", 22));
}

TEST_HARNESS_MAIN
