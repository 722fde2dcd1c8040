// SPDX-License-Identifier: GPL-2.0-or-later
#include "usbnet/plot.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"

#define W		 1000.0
#define LEFT		 70.0
#define RIGHT		 20.0
#define TOP		 84.0
#define LOSS_H		 170.0
#define GAP		 50.0
#define RTT_H		 170.0
#define BOTTOM		 60.0
#define MARK_ROW	 14.0
#define MAX_LISTED_MARKS 40
#define MAX_BINS	 200

/* The loss panel on top, the RTT panel under it. */
#define LOSS_Y TOP
#define RTT_Y  (TOP + LOSS_H + GAP)

static const double steps[] = { 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1,
				2,     5,     10,    20,   30,	 60,   120, 300, 600 };

double plot_bin_seconds(double duration_s, double min_s)
{
	for (size_t i = 0; i < ARRAY_SIZE(steps); i++)
		if (steps[i] >= min_s - 1e-12 && duration_s / steps[i] <= MAX_BINS)
			return steps[i];
	return steps[ARRAY_SIZE(steps) - 1];
}

/* A round tick step giving about `want` ticks over range. */
static double tick_step(double range, int want)
{
	double raw = range / want, mag = pow(10, floor(log10(raw > 0 ? raw : 1)));

	if (raw / mag < 1.5)
		return mag;
	if (raw / mag < 3.5)
		return 2 * mag;
	if (raw / mag < 7.5)
		return 5 * mag;
	return 10 * mag;
}

/* Text from the scenario or QEMU goes into XML: escape it. */
static void put_text(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '&':
			fputs("&amp;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		default:
			if ((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f)
				fputc(*s, out);
			else
				fputc('?', out);
		}
	}
}

struct frame {
	double x0, x1, duration;
};

static double xpos(const struct frame *f, double t)
{
	if (t < 0)
		t = 0;
	if (t > f->duration)
		t = f->duration;
	return f->x0 + (f->x1 - f->x0) * t / f->duration;
}

static double lost_step(double max)
{
	double step = tick_step(max, 4);

	return step < 1 ? 1 : step;
}

static void axis_y(FILE *out, double y0, double h, double max, double step, const char *unit)
{

	for (double v = 0; v <= max * 1.0001; v += step) {
		double y = y0 + h - h * v / max;

		fprintf(out,
			"<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n"
			"<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" "
			"text-anchor=\"end\">%g</text>\n",
			LEFT, y, W - RIGHT, y, LEFT - 6, y + 4, v);
	}
	fprintf(out,
		"<text x=\"14\" y=\"%.1f\" font-size=\"12\" transform=\"rotate(-90 14 %.1f)\" "
		"text-anchor=\"middle\">%s</text>\n",
		y0 + h / 2, y0 + h / 2, unit);
}

static void shade(FILE *out, const struct frame *f, const struct plot_span *s, size_t n,
		  const char *cls, const char *fill, double y, double h)
{
	for (size_t i = 0; i < n; i++) {
		double a = xpos(f, s[i].start), b = xpos(f, s[i].end);

		fprintf(out,
			"<rect class=\"%s\" x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" "
			"fill=\"%s\"/>\n",
			cls, a, y, b - a < 0.8 ? 0.8 : b - a, h, fill);
	}
}

/* The probes counted into bins along the time axis. */
struct bins {
	size_t n;
	double width; /* seconds */
	uint32_t *lost, *sent, *rtt_n;
	double *rtt_sum, *rtt_max;
	double max_lost, max_rtt; /* the tops of the two y axes */
};

static void bins_free(struct bins *b)
{
	free(b->lost);
	free(b->sent);
	free(b->rtt_sum);
	free(b->rtt_max);
	free(b->rtt_n);
}

static int bins_count(struct bins *b, const struct plot_input *in, const struct frame *f)
{
	double interval = in->nprobes ? f->duration / in->nprobes : 1;

	/* Ten probes a bin at least: fewer, and send-time jitter draws a comb. */
	b->width = plot_bin_seconds(f->duration, 10 * interval);
	b->n = (size_t)ceil(f->duration / b->width);
	b->lost = calloc(b->n + 1, sizeof(*b->lost));
	b->sent = calloc(b->n + 1, sizeof(*b->sent));
	b->rtt_sum = calloc(b->n + 1, sizeof(*b->rtt_sum));
	b->rtt_max = calloc(b->n + 1, sizeof(*b->rtt_max));
	b->rtt_n = calloc(b->n + 1, sizeof(*b->rtt_n));
	if (!b->lost || !b->sent || !b->rtt_sum || !b->rtt_max || !b->rtt_n)
		return -ENOMEM;
	for (size_t i = 0; i < in->nprobes; i++) {
		const struct plot_probe *p = &in->probes[i];
		size_t k = p->t < 0 ? 0 : (size_t)(p->t / b->width);

		if (p->status == PLOT_UNSENT)
			continue;
		if (k >= b->n)
			k = b->n - 1;
		b->sent[k]++;
		b->lost[k] += p->status == PLOT_LOST;
		if (p->status == PLOT_ANSWERED && p->rtt_ms >= 0) {
			b->rtt_sum[k] += p->rtt_ms;
			b->rtt_n[k]++;
			if (p->rtt_ms > b->rtt_max[k])
				b->rtt_max[k] = p->rtt_ms;
		}
	}
	return 0;
}

/* The y axes' tops: the largest bin, up to a whole tick. */
static void bins_scale(struct bins *b)
{
	b->max_lost = 1;
	b->max_rtt = 0;
	for (size_t k = 0; k < b->n; k++) {
		if (b->lost[k] > b->max_lost)
			b->max_lost = b->lost[k];
		if (b->rtt_max[k] > b->max_rtt)
			b->max_rtt = b->rtt_max[k];
	}
	/* Whole probes: no tick below one. */
	b->max_lost = lost_step(b->max_lost) * ceil(b->max_lost / lost_step(b->max_lost));
	if (b->max_rtt > 0)
		b->max_rtt = tick_step(b->max_rtt, 4) * ceil(b->max_rtt / tick_step(b->max_rtt, 4));
	else
		b->max_rtt = 1;
}

static void write_head(FILE *out, const struct plot_input *in, double height)
{
	fprintf(out,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
		"viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\">\n",
		W, height, W, height);
	fprintf(out, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
	fprintf(out, "<text x=\"%.0f\" y=\"24\" font-size=\"16\" font-weight=\"bold\">", LEFT);
	put_text(out, in->title);
	fprintf(out, "</text>\n<text x=\"%.0f\" y=\"44\" font-size=\"12\" fill=\"#444\">", LEFT);
	put_text(out, in->subtitle);
	fputs("</text>\n", out);
}

static void write_axes(FILE *out, const struct frame *f, const struct bins *b)
{
	double tstep = tick_step(f->duration, 10);

	axis_y(out, LOSS_Y, LOSS_H, b->max_lost, lost_step(b->max_lost), "probes lost per bin");
	axis_y(out, RTT_Y, RTT_H, b->max_rtt, tick_step(b->max_rtt, 4), "RTT (ms)");
	for (double t = 0; t <= f->duration * 1.0001; t += tstep)
		fprintf(out,
			"<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>\n"
			"<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" "
			"text-anchor=\"middle\">%g</text>\n",
			xpos(f, t), LOSS_Y, xpos(f, t), RTT_Y + RTT_H, xpos(f, t),
			RTT_Y + RTT_H + 16, t);
	fprintf(out,
		"<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\">seconds since "
		"the probe started (bins of %g s)</text>\n",
		(f->x0 + f->x1) / 2, RTT_Y + RTT_H + 34, b->width);
}

static void write_loss_bars(FILE *out, const struct frame *f, const struct bins *b)
{
	for (size_t k = 0; k < b->n; k++) {
		double x = xpos(f, k * b->width), w = xpos(f, (k + 1) * b->width) - x;
		double h = LOSS_H * b->lost[k] / b->max_lost;

		if (b->lost[k])
			fprintf(out,
				"<rect class=\"lost\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
				"height=\"%.2f\" fill=\"#c0392b\"><title>%g s: %u of %u "
				"lost</title>"
				"</rect>\n",
				x, LOSS_Y + LOSS_H - h, w > 1.5 ? w - 0.5 : w, h, k * b->width,
				b->lost[k], b->sent[k]);
	}
}

/* RTT: the bin's average as a line, its maximum as dots. */
static void write_rtt(FILE *out, const struct frame *f, const struct bins *b)
{
	/* A bin without answers breaks the line: no RTT is drawn across an outage. */
	for (size_t k = 0; k < b->n; k++) {
		if (!b->rtt_n[k])
			continue;
		if (!k || !b->rtt_n[k - 1])
			fputs("<polyline class=\"rtt\" fill=\"none\" stroke=\"#2c6fbb\" "
			      "stroke-width=\"1.5\" points=\"",
			      out);
		fprintf(out, "%.2f,%.2f ", xpos(f, (k + 0.5) * b->width),
			RTT_Y + RTT_H - RTT_H * (b->rtt_sum[k] / b->rtt_n[k]) / b->max_rtt);
		if (k + 1 == b->n || !b->rtt_n[k + 1])
			fputs("\"/>\n", out);
	}
	for (size_t k = 0; k < b->n; k++)
		if (b->rtt_n[k])
			fprintf(out,
				"<circle cx=\"%.2f\" cy=\"%.2f\" r=\"1.5\" fill=\"#7fa7d6\"/>\n",
				xpos(f, (k + 0.5) * b->width),
				RTT_Y + RTT_H - RTT_H * b->rtt_max[k] / b->max_rtt);
}

/* Marks: a numbered line each, the numbers explained below the plot. */
static void write_marks(FILE *out, const struct frame *f, const struct plot_mark *marks,
			size_t listed)
{
	for (size_t i = 0; i < listed; i++) {
		const struct plot_mark *m = &marks[i];
		double x = xpos(f, m->t), ylist = RTT_Y + RTT_H + BOTTOM + 10 + i * MARK_ROW;
		const char *color = m->failed ? "#c00" : "#333";
		bool inside = m->t >= 0 && m->t <= f->duration;

		if (inside)
			fprintf(out,
				"<line class=\"mark\" x1=\"%.2f\" y1=\"%.1f\" x2=\"%.2f\" "
				"y2=\"%.1f\" stroke=\"%s\" stroke-dasharray=\"%s\"/>\n"
				"<text x=\"%.2f\" y=\"%.1f\" font-size=\"10\" "
				"text-anchor=\"middle\" fill=\"%s\">%zu</text>\n",
				x, LOSS_Y, x, RTT_Y + RTT_H, color, m->event ? "2,3" : "6,3", x,
				LOSS_Y - 2, color, i + 1);
		fprintf(out,
			"<text class=\"mark-label\" x=\"%.0f\" y=\"%.1f\" font-size=\"11\" "
			"fill=\"%s\">%zu: %.3f s%s, %s ",
			LEFT, ylist, color, i + 1, m->t,
			inside	   ? ""
			: m->t < 0 ? " (before the probe)"
				   : " (after the probe)",
			m->event ? "QEMU event" : "QMP");
		put_text(out, m->label);
		fputs("</text>\n", out);
	}
}

static void write_legend(FILE *out)
{
	fprintf(out,
		"<g font-size=\"11\" transform=\"translate(%.0f %.0f)\">"
		"<rect width=\"12\" height=\"10\" fill=\"#c0392b\"/><text x=\"16\" "
		"y=\"9\">lost</text>"
		"<rect x=\"60\" width=\"12\" height=\"10\" fill=\"#f6c8c8\"/><text x=\"76\" "
		"y=\"9\">outage</text>"
		"<rect x=\"135\" width=\"12\" height=\"10\" fill=\"#ffe9a8\"/><text x=\"151\" "
		"y=\"9\">injected by the peer</text>"
		"<line x1=\"290\" y1=\"5\" x2=\"310\" y2=\"5\" stroke=\"#2c6fbb\"/><text x=\"314\" "
		"y=\"9\">RTT average (dots: maximum)</text>"
		"<line x1=\"500\" y1=\"5\" x2=\"520\" y2=\"5\" stroke=\"#333\" "
		"stroke-dasharray=\"6,3\"/><text x=\"524\" y=\"9\">QMP command</text>"
		"<line x1=\"620\" y1=\"5\" x2=\"640\" y2=\"5\" stroke=\"#333\" "
		"stroke-dasharray=\"2,3\"/><text x=\"644\" y=\"9\">QMP event</text>"
		"<rect x=\"720\" width=\"12\" height=\"10\" fill=\"#c9b3e6\"/><text x=\"736\" "
		"y=\"9\">host: guest's MAC unresolved</text></g>\n",
		LEFT, 56.0);
}

int plot_svg_write(const struct plot_input *in, FILE *out)
{
	struct frame f = { LEFT, W - RIGHT, in->duration_s > 0 ? in->duration_s : 1 };
	size_t listed = in->nmarks < MAX_LISTED_MARKS ? in->nmarks : MAX_LISTED_MARKS;
	double height = RTT_Y + RTT_H + BOTTOM + (listed ? 10 + listed * MARK_ROW : 0);
	struct bins b = { 0 };
	int r = bins_count(&b, in, &f);

	if (r < 0)
		goto out;
	bins_scale(&b);
	write_head(out, in, height);
	/* Shading first, so bars and lines sit on top. */
	shade(out, &f, in->injected, in->ninjected, "injected", "#ffe9a8", LOSS_Y - 8, 6);
	shade(out, &f, in->unresolved, in->nunresolved, "unresolved", "#c9b3e6", LOSS_Y - 16, 6);
	shade(out, &f, in->outages, in->noutages, "outage", "#f6c8c8", LOSS_Y,
	      RTT_Y + RTT_H - LOSS_Y);
	write_axes(out, &f, &b);
	write_loss_bars(out, &f, &b);
	write_rtt(out, &f, &b);
	write_marks(out, &f, in->marks, listed);
	write_legend(out);
	fputs("</svg>\n", out);
	if (ferror(out))
		r = -EIO;
out:
	bins_free(&b);
	return r;
}
