// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The loss-timeline picture (host-runner/usbnet/plot.c) read back with libxml2: a
 * well-formed SVG with one shaded outage per window, bars only where probes
 * were lost, the marks numbered and listed, and text from QEMU escaped.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "kselftest_harness.h"

#include "usbnet/plot.h"

static int count_class(xmlNode *n, const char *name, const char *cls)
{
	int k = 0;

	for (; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name)) {
			xmlChar *c = xmlGetProp(n, (const xmlChar *)"class");

			k += c && !strcmp((const char *)c, cls);
			xmlFree(c);
		}
		k += count_class(n->children, name, cls);
	}
	return k;
}

static xmlDoc *draw(const struct plot_input *in)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	xmlDoc *doc;

	if (!f || plot_svg_write(in, f) < 0)
		return NULL;
	fclose(f);
	doc = xmlReadMemory(buf, len, "plot.svg", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
	free(buf);
	return doc;
}

TEST(outages_bars_and_marks)
{
	struct plot_probe p[600];
	struct plot_span out[2] = { { 1.0, 1.5 }, { 4.0, 4.5 } };
	struct plot_mark m[3] = { { 0.5, "set_link net0 off", false, false },
				  { 7.5, "SHUTDOWN", true, false },
				  { 2.0, "device_del <x> & \"y\"", false, true } };
	struct plot_input in = { .title = "net0 <loss>",
				 .subtitle = "a & b",
				 .probes = p,
				 .nprobes = 600,
				 .duration_s = 6,
				 .outages = out,
				 .noutages = 2,
				 .marks = m,
				 .nmarks = 3 };
	xmlDoc *doc;
	xmlNode *root;

	for (int i = 0; i < 600; i++) {
		double t = i / 100.0;
		bool lost = (t >= 1.0 && t < 1.5) || (t >= 4.0 && t < 4.5);

		p[i] = (struct plot_probe){ .t = t,
					    .rtt_ms = lost ? -1 : 1 + (i % 7) / 10.0,
					    .status = lost ? PLOT_LOST : PLOT_ANSWERED };
	}
	doc = draw(&in);
	ASSERT_NE(NULL, doc);
	root = xmlDocGetRootElement(doc);
	EXPECT_STREQ("svg", (const char *)root->name);
	EXPECT_EQ(2, count_class(root, "rect", "outage"));
	/* 0.1 s bins (ten probes each): 5 bins in each 0.5 s outage, none elsewhere. */
	EXPECT_EQ(10, count_class(root, "rect", "lost"));
	/* The RTT line breaks at each outage: three pieces. */
	EXPECT_EQ(3, count_class(root, "polyline", "rtt"));
	/* Marks inside the probe get a line; all are listed. */
	EXPECT_EQ(2, count_class(root, "line", "mark"));
	EXPECT_EQ(3, count_class(root, "text", "mark-label"));
	xmlFreeDoc(doc);
}

TEST(empty_probe)
{
	struct plot_input in = { .title = "t", .subtitle = "s", .duration_s = 0 };
	xmlDoc *doc = draw(&in);

	ASSERT_NE(NULL, doc);
	xmlFreeDoc(doc);
}

TEST(bins)
{
	EXPECT_TRUE(fabs(plot_bin_seconds(6, 0.01) - 0.05) < 1e-9);
	EXPECT_TRUE(fabs(plot_bin_seconds(5, 0.001) - 0.05) < 1e-9);
	EXPECT_TRUE(fabs(plot_bin_seconds(140, 0.01) - 1) < 1e-9);  /* 20 s up, 120 s down */
	EXPECT_TRUE(fabs(plot_bin_seconds(1, 0.01) - 0.01) < 1e-9); /* never below a probe */
}

TEST_HARNESS_MAIN
