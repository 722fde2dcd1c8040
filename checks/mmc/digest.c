// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The whole-device digest: XXH3-128 from libxxhash (header-only, so the
 * static agent needs no library), in its canonical big-endian form, the one
 * `xxhsum -H2` prints, so a host can check an image with stock tools.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "clock.h"
#include "errmsg.h"
#include "mmc.h"

/* Large reads: under TCG every request costs emulated controller work. */
#define DIGEST_CHUNK (1u << 20)

static void hex128(XXH128_hash_t h, char *buf, size_t size)
{
	XXH128_canonical_t c;

	XXH128_canonicalFromHash(&c, h);
	for (size_t i = 0; i < sizeof(c.digest) && 2 * i + 2 < size; i++)
		snprintf(buf + 2 * i, 3, "%02x", c.digest[i]);
}

int mmc_digest(const struct mmc_guard *g, struct mmc_fingerprint *f, char *err, size_t errsize)
{
	_cleanup_free_ unsigned char *buf = NULL;
	XXH3_state_t *state = XXH3_createState();
	uint64_t off = 0;
	double start = now_s();
	bool direct;
	int r = 0;

	if (!state || posix_memalign((void **)&buf, 4096, DIGEST_CHUNK)) {
		XXH3_freeState(state);
		return errmsg(err, errsize, -ENOMEM, "out of memory for a %u KiB read buffer",
			      DIGEST_CHUNK >> 10);
	}
	XXH3_128bits_reset(state);
	/*
	 * O_DIRECT: the card's own bytes rather than the page cache's, in
	 * 1 MiB requests (under TCG each request is emulated controller work,
	 * and readahead's are smaller). Buffered, with readahead ahead of the
	 * hash, where the file refuses it (a captured image).
	 */
	direct = g->blockdev && fcntl(g->fd, F_SETFL, fcntl(g->fd, F_GETFL) | O_DIRECT) == 0;
	if (!direct)
		posix_fadvise(g->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	while (off < g->bytes) {
		size_t want = g->bytes - off < DIGEST_CHUNK ? g->bytes - off : DIGEST_CHUNK;
		ssize_t n = pread(g->fd, buf, want, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			r = n < 0 ? -errno : -EIO;
			errmsg(err, errsize, r,
			       "/dev/%s: read at byte %llu of %llu failed: %s: see "
			       "dmesg for mmc errors",
			       f->node, (unsigned long long)off, (unsigned long long)g->bytes,
			       n < 0 ? strerror(errno) : "unexpected end of device");
			break;
		}
		if (!direct)
			posix_fadvise(g->fd, off + n, 2 * DIGEST_CHUNK, POSIX_FADV_WILLNEED);
		XXH3_128bits_update(state, buf, n);
		off += n;
	}
	f->bytes = off;
	f->seconds = now_s() - start;
	if (r == 0)
		hex128(XXH3_128bits_digest(state), f->digest, sizeof(f->digest));
	XXH3_freeState(state);
	return r;
}

void mmc_layout_digest(const char *summary, char *buf, size_t size)
{
	hex128(XXH3_128bits(summary, strlen(summary)), buf, size);
}

void mmc_fingerprint_format(const struct mmc_fingerprint *f, char *buf, size_t size)
{
	double mib = f->bytes / 1048576.0;

	snprintf(buf, size,
		 MMC_FINGERPRINT_TAG
		 " %s node=%s bytes=%llu xxh3-128=%s layout-xxh3-128=%s "
		 "wr-ios=%llu wr-sectors=%llu discard-ios=%llu discard-sectors=%llu "
		 "ro-before=%d ro=%d seconds=%.3f mib-per-s=%.1f",
		 f->device, f->node, (unsigned long long)f->bytes, f->digest, f->layout_digest,
		 (unsigned long long)f->stat.wr_ios, (unsigned long long)f->stat.wr_sectors,
		 (unsigned long long)f->stat.discard_ios,
		 (unsigned long long)f->stat.discard_sectors, f->ro_before, f->ro, f->seconds,
		 f->seconds > 0 ? mib / f->seconds : 0.0);
}
