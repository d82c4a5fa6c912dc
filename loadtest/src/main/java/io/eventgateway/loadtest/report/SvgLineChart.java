package io.eventgateway.loadtest.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A line chart as inline SVG, so a report page needs no script and no network. */
public final class SvgLineChart {

	private static final String[] COLORS = { "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b" };

	private static final int WIDTH = 760;

	private static final int HEIGHT = 300;

	private static final int LEFT = 70;

	private static final int RIGHT = 36;

	private static final int TOP = 30;

	private static final int BOTTOM = 46;

	private record Series(String name, double[] x, double[] y) {
	}

	private final String title;

	private final String xLabel;

	private final String yLabel;

	private final List<Series> series = new ArrayList<>();

	private double[] xTicks;

	private String[] xTickLabels;

	public SvgLineChart(String title, String xLabel, String yLabel) {
		this.title = title;
		this.xLabel = xLabel;
		this.yLabel = yLabel;
	}

	public SvgLineChart series(String name, double[] x, double[] y) {
		if (x.length != y.length) {
			throw new IllegalArgumentException("x and y differ in length");
		}
		this.series.add(new Series(name, x.clone(), y.clone()));
		return this;
	}

	/** Ticks at chosen places with chosen labels, for an axis that is not linear in what it shows. */
	public SvgLineChart xTicks(double[] positions, String[] labels) {
		this.xTicks = positions.clone();
		this.xTickLabels = labels.clone();
		return this;
	}

	public boolean isEmpty() {
		return this.series.stream().allMatch(s -> s.x().length == 0);
	}

	public String render() {
		double xMin = Double.MAX_VALUE;
		double xMax = -Double.MAX_VALUE;
		double yMax = 0;
		for (Series s : this.series) {
			for (int i = 0; i < s.x().length; i++) {
				xMin = Math.min(xMin, s.x()[i]);
				xMax = Math.max(xMax, s.x()[i]);
				yMax = Math.max(yMax, s.y()[i]);
			}
		}
		if (xMin > xMax) {
			xMin = 0;
			xMax = 1;
		}
		if (this.xTicks != null) {
			xMax = Math.max(xMax, this.xTicks[this.xTicks.length - 1]);
			xMin = Math.min(xMin, this.xTicks[0]);
		}
		if (xMax == xMin) {
			xMax = xMin + 1;
		}
		double yStep = niceStep(yMax > 0 ? yMax : 1);
		double yTop = Math.ceil((yMax > 0 ? yMax : 1) / yStep) * yStep;
		Scale scale = new Scale(xMin, xMax, yTop);

		StringBuilder svg = new StringBuilder();
		svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
				+ "font-family=\"sans-serif\" font-size=\"11\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
		svg.append(text(WIDTH / 2.0, 16, "middle", "bold", this.title));
		for (double y = 0; y <= yTop + yStep / 2; y += yStep) {
			double py = scale.y(y);
			svg.append(line(LEFT, py, WIDTH - RIGHT, py, "#e4e4e4"));
			svg.append(text(LEFT - 6, py + 4, "end", "normal", number(y)));
		}
		if (this.xTicks != null) {
			for (int i = 0; i < this.xTicks.length; i++) {
				xTick(svg, scale, this.xTicks[i], this.xTickLabels[i]);
			}
		}
		else {
			double xStep = niceStep(xMax - xMin);
			for (double x = Math.ceil(xMin / xStep) * xStep; x <= xMax + xStep / 1e6; x += xStep) {
				xTick(svg, scale, x, number(x));
			}
		}
		svg.append(line(LEFT, TOP, LEFT, HEIGHT - BOTTOM, "#444"));
		svg.append(line(LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM, "#444"));
		svg.append(text((LEFT + WIDTH - RIGHT) / 2.0, HEIGHT - 8, "middle", "normal", this.xLabel));
		svg.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 14 %.1f)\">%s</text>%n",
				(TOP + HEIGHT - BOTTOM) / 2.0, (TOP + HEIGHT - BOTTOM) / 2.0, escape(this.yLabel)));
		for (int i = 0; i < this.series.size(); i++) {
			Series s = this.series.get(i);
			String color = COLORS[i % COLORS.length];
			StringBuilder points = new StringBuilder();
			for (int p = 0; p < s.x().length; p++) {
				points.append(String.format(Locale.ROOT, "%.1f,%.1f ", scale.x(s.x()[p]), scale.y(s.y()[p])));
			}
			svg.append(String.format("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\" points=\"%s\"/>%n", color, points.toString().trim()));
			double legendY = TOP + 6 + i * 15;
			svg.append(line(WIDTH - RIGHT - 150, legendY, WIDTH - RIGHT - 130, legendY, color));
			svg.append(text(WIDTH - RIGHT - 125, legendY + 4, "start", "normal", s.name()));
		}
		return svg.append("</svg>\n").toString();
	}

	private static void xTick(StringBuilder svg, Scale scale, double x, String label) {
		double px = scale.x(x);
		svg.append(line(px, HEIGHT - BOTTOM, px, HEIGHT - BOTTOM + 4, "#444"));
		svg.append(text(px, HEIGHT - BOTTOM + 16, "middle", "normal", label));
	}

	/** 1, 2 or 5 times a power of ten, giving about five steps over the range. */
	static double niceStep(double range) {
		double rough = range / 5;
		double power = Math.pow(10, Math.floor(Math.log10(rough)));
		double fraction = rough / power;
		return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
	}

	private static String number(double value) {
		return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.format(Locale.ROOT, "%,d", (long) value)
				: String.format(Locale.ROOT, "%.3g", value);
	}

	private static String line(double x1, double y1, double x2, double y2, String color) {
		return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n", x1, y1, x2, y2, color);
	}

	private static String text(double x, double y, String anchor, String weight, String content) {
		return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-weight=\"%s\">%s</text>%n", x, y, anchor,
				weight, escape(content));
	}

	static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
	}

	private record Scale(double xMin, double xMax, double yTop) {

		double x(double value) {
			return LEFT + (value - this.xMin) / (this.xMax - this.xMin) * (WIDTH - LEFT - RIGHT);
		}

		double y(double value) {
			return HEIGHT - BOTTOM - value / this.yTop * (HEIGHT - TOP - BOTTOM);
		}

	}

}
