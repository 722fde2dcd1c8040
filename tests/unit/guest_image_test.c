// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which architecture a kernel image is for, from its header
 * (host-runner/session/guest_image.c: kernel_arch()), and the runner's refusal of
 * a kernel for another architecture than the scenario's
 * (run_options.c: guest_kernel_fits()): an x86 bzImage given to the zcu102
 * scenarios booted into silence until the boot timeout.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "cli/run_options.h"
#include "scenario/scenario.h"
#include "session/guest_image.h"
#include "session/run_result.h"

/* A file of `size` zero bytes with `magic` at `offset` (magic NULL: none). */
static void write_image(const char *path, size_t size, long offset, const char *magic, size_t len)
{
	char *buf = calloc(1, size);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (magic)
		memcpy(buf + offset, magic, len);
	if (fd >= 0) {
		if (write(fd, buf, size) != (ssize_t)size)
			perror(path);
		close(fd);
	}
	free(buf);
}

FIXTURE(arch)
{
	char dir[64], path[96];
};
FIXTURE_VARIANT(arch)
{
	size_t size;
	long offset;
	const char *magic;
	size_t len;
	const char *arch; /* NULL: not told */
};
FIXTURE_SETUP(arch)
{
	snprintf(self->dir, sizeof(self->dir), "/tmp/guest_image_test.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->path, sizeof(self->path), "%s/vmlinuz", self->dir);
	write_image(self->path, variant->size, variant->offset, variant->magic, variant->len);
}
FIXTURE_TEARDOWN(arch)
{
	unlink(self->path);
	rmdir(self->dir);
}

/* x86 boot protocol: "HdrS" at 0x202 (Documentation/arch/x86/boot.rst). */
FIXTURE_VARIANT_ADD(arch, bzimage){
	.size = 4096,
	.offset = 0x202,
	.magic = "HdrS",
	.len = 4,
	.arch = "x86_64",
};
/* arm64 Image: magic "ARM\x64" at 0x38 (Documentation/arch/arm64/booting.rst). */
FIXTURE_VARIANT_ADD(arch, arm64_image){
	.size = 4096,
	.offset = 0x38,
	.magic = "ARM\x64",
	.len = 4,
	.arch = "aarch64",
};
/* A gzip'd Image (QEMU boots it; its header is inside): not told, not refused. */
FIXTURE_VARIANT_ADD(arch, gzip){
	.size = 4096,
	.offset = 0,
	.magic = "\x1f\x8b\x08",
	.len = 3,
	.arch = NULL,
};
/* The arm64 magic where x86 keeps its own, and vice versa: neither. */
FIXTURE_VARIANT_ADD(arch, magics_misplaced){
	.size = 4096,
	.offset = 0x202,
	.magic = "ARM\x64",
	.len = 4,
	.arch = NULL,
};
/* Shorter than either header. */
FIXTURE_VARIANT_ADD(arch, truncated){
	.size = 0x40,
	.offset = 0x38,
	.magic = "ARM",
	.len = 3,
	.arch = NULL,
};

TEST_F(arch, from_the_header)
{
	const char *arch = kernel_arch(self->path);

	if (variant->arch) {
		ASSERT_STREQ(variant->arch, arch ?: "(null)");
	} else {
		ASSERT_EQ(NULL, arch);
	}
}

TEST(missing_file_is_not_told)
{
	ASSERT_EQ(NULL, kernel_arch("/nonexistent/vmlinuz"));
}

/* Whether a kernel fits a scenario; the refusal is exit status 2 (bad usage). */
TEST(refuses_another_arch)
{
	char dir[] = "/tmp/guest_image_test.XXXXXX", x86[64], a64[64];
	struct scenario *s = calloc(1, sizeof(*s));

	ASSERT_NE(NULL, s);
	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(x86, sizeof(x86), "%s/vmlinuz-x86", dir);
	snprintf(a64, sizeof(a64), "%s/vmlinuz-a64", dir);
	write_image(x86, 4096, 0x202, "HdrS", 4);
	write_image(a64, 4096, 0x38, "ARM\x64", 4);
	snprintf(s->path, sizeof(s->path), "zcu102.ini");
	snprintf(s->arch, sizeof(s->arch), "aarch64");
	snprintf(s->kernel, sizeof(s->kernel), "%s", a64);
	EXPECT_EQ(VERDICT_USAGE, guest_kernel_fits(x86, "--kernel", s));
	EXPECT_EQ(VERDICT_USAGE, guest_kernel_fits(x86, "GUESTCHECK_KERNEL", s));
	EXPECT_EQ(0, guest_kernel_fits(a64, "--kernel", s));
	snprintf(s->arch, sizeof(s->arch), "x86_64");
	EXPECT_EQ(VERDICT_USAGE, guest_kernel_fits(a64, "[machine] kernel", s));
	EXPECT_EQ(0, guest_kernel_fits(x86, "the default kernel", s));
	/* An image that does not tell is left to boot. */
	EXPECT_EQ(0, guest_kernel_fits("/nonexistent/vmlinuz", "--kernel", s));
	unlink(x86);
	unlink(a64);
	rmdir(dir);
	free(s);
}

TEST_HARNESS_MAIN
