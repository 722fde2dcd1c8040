// SPDX-License-Identifier: GPL-2.0-or-later
/* Where the scenario's cards are in the guest, and what sysfs says about them. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmc.h"

#include "devices/locate.h"

/* The card's identity attributes (drivers/mmc/core/bus.c, sd.c, mmc.c). */
static const struct {
	const char *attr;
	size_t offset, size;
} card_attrs[] = {
#define ATTR(name)                                                                                 \
	{                                                                                          \
#name, offsetof(struct mmc_card, name), sizeof(((struct mmc_card *)0)->name)       \
	}
	ATTR(type),   ATTR(name), ATTR(manfid), ATTR(oemid),
	ATTR(serial), ATTR(date), ATTR(cid),	ATTR(csd),
#undef ATTR
};

size_t mmc_scenario_cards(const struct check_env *env, struct check_device *out, size_t max)
{
	return check_devices(env, &sd_card_kind, out, max);
}

void mmc_expected_node(const struct sysroot *root, const struct check_device *dev, size_t index,
		       char *buf, size_t size)
{
	char fallback[32];

	snprintf(fallback, sizeof(fallback), "mmcblk%zu", index);
	sd_card_node(root, dev, fallback, buf, size);
}

int mmc_card_read(const struct sysroot *root, const char *node, struct mmc_card *card)
{
	char *colon;
	int r;

	*card = (struct mmc_card){ 0 };
	snprintf(card->node, sizeof(card->node), "%s", node);
	if (!sysroot_exists(root, "/sys/class/block/%s", node))
		return -ENOENT;
	/* Only an MMC/SD card's device has a `type` next to its `cid`. */
	r = sysroot_read_line(root, card->type, sizeof(card->type),
			      "/sys/class/block/%s/device/type", node);
	if (r < 0 || !sysroot_exists(root, "/sys/class/block/%s/device/cid", node))
		return -ENOENT;
	r = sysroot_link_name(root, card->card, sizeof(card->card), "/sys/class/block/%s/device",
			      node);
	if (r < 0)
		return r;
	snprintf(card->host, sizeof(card->host), "%s", card->card);
	colon = strchr(card->host, ':');
	if (colon)
		*colon = '\0';
	sysroot_link_name(root, card->controller, sizeof(card->controller),
			  "/sys/class/mmc_host/%s/device", card->host);
	for (size_t i = 0; i < ARRAY_SIZE(card_attrs); i++)
		sysroot_read_line(root, (char *)card + card_attrs[i].offset, card_attrs[i].size,
				  "/sys/class/block/%s/device/%s", node, card_attrs[i].attr);
	return 0;
}

/* The card a host holds: the one entry of its directory named "HOST:RCA". */
static void host_card(const struct sysroot *root, struct mmc_host *h)
{
	_cleanup_closedir_ DIR *dir = NULL;
	char path[PATH_MAX];
	size_t len = strlen(h->host);
	struct dirent *de;

	if (sysroot_path(root, path, sizeof(path), "/sys/class/mmc_host/%s", h->host) < 0)
		return;
	dir = opendir(path);
	while (dir && (de = readdir(dir))) {
		if (strncmp(de->d_name, h->host, len) || de->d_name[len] != ':')
			continue;
		snprintf(h->card, sizeof(h->card), "%.31s", de->d_name);
		break;
	}
	if (!h->card[0] || sysroot_path(root, path, sizeof(path), "/sys/class/mmc_host/%s/%s/block",
					h->host, h->card) < 0)
		return;
	closedir(dir);
	dir = opendir(path);
	while (dir && (de = readdir(dir)))
		if (de->d_name[0] != '.') {
			snprintf(h->node, sizeof(h->node), "%.63s", de->d_name);
			break;
		}
}

static int host_cmp(const void *a, const void *b)
{
	return strverscmp(((const struct mmc_host *)a)->host, ((const struct mmc_host *)b)->host);
}

size_t mmc_hosts(const struct sysroot *root, struct mmc_host *out, size_t max)
{
	_cleanup_closedir_ DIR *dir = NULL;
	char path[PATH_MAX];
	struct dirent *de;
	size_t n = 0;

	if (sysroot_path(root, path, sizeof(path), "/sys/class/mmc_host") < 0)
		return 0;
	dir = opendir(path);
	while (dir && (de = readdir(dir))) {
		struct mmc_host *h;

		if (de->d_name[0] == '.')
			continue;
		if (n++ >= max)
			continue;
		h = &out[n - 1];
		*h = (struct mmc_host){ 0 };
		snprintf(h->host, sizeof(h->host), "%.15s", de->d_name);
		sysroot_link_name(root, h->controller, sizeof(h->controller),
				  "/sys/class/mmc_host/%s/device", h->host);
		host_card(root, h);
	}
	qsort(out, n < max ? n : max, sizeof(*out), host_cmp);
	return n;
}

/* "mmc0 on 0000:00:02.0 (card mmc0:4567 = mmcblk0), mmc1 on ... (empty)" */
static void list_hosts(const struct mmc_host *h, size_t n, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && len < size; i++)
		len += snprintf(buf + len, size - len, "%s%s on %s (%s%s%s)", i ? ", " : "",
				h[i].host, h[i].controller[0] ? h[i].controller : "?",
				h[i].card[0] ? h[i].card : "empty", h[i].node[0] ? " = " : "",
				h[i].node);
}

void mmc_explain_missing(const struct sysroot *root, const char *node, size_t expected_cards,
			 char *buf, size_t size)
{
	struct mmc_host hosts[MMC_MAX_HOSTS];
	size_t n = mmc_hosts(root, hosts, ARRAY_SIZE(hosts)), cards = 0;
	char list[512];

	if (n > ARRAY_SIZE(hosts))
		n = ARRAY_SIZE(hosts);
	for (size_t i = 0; i < n; i++)
		cards += hosts[i].card[0] != '\0';
	list_hosts(hosts, n, list, sizeof(list));
	if (n == 0)
		snprintf(buf, size,
			 "the guest has no SD/MMC host controller at all: check -device sdhci-pci "
			 "and that sdhci_pci loaded (agent.modules); RHEL-family QEMU builds have "
			 "SD support disabled and refuse -device sd-card");
	else if (cards == 0)
		snprintf(buf, size,
			 "the guest has %zu SD host controller%s but no card on any (%s): check "
			 "-device sd-card,drive=...,bus=<controller>/sd-bus and its -drive",
			 n, n == 1 ? "" : "s", list);
	else if (cards < expected_cards)
		snprintf(buf, size,
			 "only %zu card%s for the scenario's %zu (%s): several cards without an "
			 "explicit bus= (or with the same one) land on one controller and only one "
			 "is used, and a missing -device sd-card gives none: give each card its "
			 "own sdhci-pci and bus=<controller>/sd-bus",
			 cards, cards == 1 ? "" : "s", expected_cards, list);
	else
		snprintf(buf, size,
			 "the guest's cards are elsewhere (%s): set node = to the one "
			 "meant",
			 list);
}

int mmc_stat_parse(const char *line, struct mmc_stat *st)
{
	uint64_t v[17] = { 0 };
	unsigned int n = 0;
	const char *p = line;

	*st = (struct mmc_stat){ 0 };
	while (n < ARRAY_SIZE(v)) {
		char *end;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (*p < '0' || *p > '9')
			return -EINVAL;
		errno = 0;
		v[n] = strtoull(p, &end, 10);
		if (errno || (*end && *end != ' ' && *end != '\t' && *end != '\n'))
			return -EINVAL;
		n++;
		p = end;
	}
	/* Documentation/block/stat.rst: 11 fields, 15 since 4.19, 17 since 5.5. */
	if (n < 11)
		return -EINVAL;
	*st = (struct mmc_stat){
		.rd_ios = v[0],
		.rd_sectors = v[2],
		.wr_ios = v[4],
		.wr_sectors = v[6],
		.discard_ios = v[11],
		.discard_sectors = v[13],
		.flush_ios = v[15],
		.fields = n,
	};
	return 0;
}

int mmc_stat_read(const struct sysroot *root, const char *node, struct mmc_stat *st)
{
	char line[512];
	int r = sysroot_read_line(root, line, sizeof(line), "/sys/class/block/%s/stat", node);

	return r < 0 ? r : mmc_stat_parse(line, st);
}

int mmc_for_each_card(struct check_ctx *ctx, bool explain, mmc_card_fn fn)
{
	struct check_device devs[MMC_MAX_CARDS];
	size_t n = mmc_scenario_cards(ctx->env, devs, ARRAY_SIZE(devs));

	if (n == 0) {
		check_skip(ctx, "the scenario attaches no sd-card");
		return 0;
	}
	if (n > ARRAY_SIZE(devs)) {
		check_fail(ctx,
			   "the scenario attaches %zu sd-cards: only the first %zu are checked", n,
			   ARRAY_SIZE(devs));
		n = ARRAY_SIZE(devs);
	}
	for (size_t i = 0; i < n; i++) {
		struct mmc_card card;
		char node[64], why[1024];

		mmc_expected_node(ctx->env->root, &devs[i], i, node, sizeof(node));
		if (mmc_card_read(ctx->env->root, node, &card) == 0) {
			fn(ctx, &devs[i], &card);
			continue;
		}
		if (!explain) {
			check_fail(ctx, "%s (sd-card): /dev/%s is no MMC/SD card: see mmc.identity",
				   devs[i].name, node);
			continue;
		}
		mmc_explain_missing(ctx->env->root, node, n, why, sizeof(why));
		check_fail(ctx, "%s (sd-card): expected an MMC/SD card as /dev/%s, saw %s: %s",
			   devs[i].name, node,
			   sysroot_exists(ctx->env->root, "/sys/class/block/%s", node)
				   ? "a block device that is no MMC/SD card"
				   : "no such device",
			   why);
	}
	return 0;
}
