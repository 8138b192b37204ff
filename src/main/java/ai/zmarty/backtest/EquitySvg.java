package ai.zmarty.backtest;

import ai.zmarty.backtest.Backtest.Point;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws the equity curves as a self-contained SVG line chart: time on x (year or month ticks),
 * equity on a log scale on y (compounded curves span orders of magnitude), one polyline per curve
 * and a legend. Curves are thinned to at most {@value #MAX_POINTS} points each.
 */
public final class EquitySvg {
  static final int MAX_POINTS = 2_000;
  private static final int W = 960;
  private static final int H = 480;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 40;
  private static final int BOTTOM = 50;

  public record Series(String name, String colour, List<Point> points) {}

  private EquitySvg() {}

  public static String chart(String title, List<Series> series) {
    Instant t0 = series.stream().flatMap(s -> s.points().stream()).map(Point::time).min(Instant::compareTo).orElseThrow();
    Instant t1 = series.stream().flatMap(s -> s.points().stream()).map(Point::time).max(Instant::compareTo).orElseThrow();
    double lo = series.stream().flatMap(s -> s.points().stream()).mapToDouble(Point::equity).filter(e -> e > 0).min().orElse(1);
    double hi = series.stream().flatMap(s -> s.points().stream()).mapToDouble(Point::equity).max().orElse(1);
    double yLo = Math.floor(Math.log10(Math.min(lo, 1)) * 2) / 2;
    double yHi = Math.ceil(Math.log10(Math.max(hi, 1)) * 2) / 2;
    if (yHi - yLo < 0.5) {
      yHi = yLo + 0.5;
    }
    long span = Math.max(1, t1.toEpochMilli() - t0.toEpochMilli());
    double plotW = W - LEFT - RIGHT;
    double plotH = H - TOP - BOTTOM;
    final double fyLo = yLo;
    final double fyHi = yHi;
    java.util.function.ToDoubleFunction<Instant> x = t -> LEFT + plotW * (t.toEpochMilli() - t0.toEpochMilli()) / span;
    java.util.function.DoubleUnaryOperator y = e -> TOP + plotH * (1 - (Math.log10(Math.max(e, 1e-12)) - fyLo) / (fyHi - fyLo));

    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", W, H, W, H));
    svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", W, H));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s</text>%n", LEFT, escape(title)));
    // y grid: every half decade (1, 3.16, 10, …), labelled with the equity multiple
    for (double k = yLo; k <= yHi + 1e-9; k += 0.5) {
      double yy = y.applyAsDouble(Math.pow(10, k));
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", LEFT, yy, W - RIGHT, yy));
      svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 6, yy + 4, multiple(Math.pow(10, k))));
    }
    // x ticks: years, or months when the period is under two years
    ZonedDateTime start = t0.atZone(ZoneOffset.UTC);
    boolean years = span > 2L * 365 * 86_400_000L;
    ZonedDateTime tick = years ? start.withDayOfYear(1).toLocalDate().atStartOfDay(ZoneOffset.UTC).plusYears(1) : start.withDayOfMonth(1).toLocalDate().atStartOfDay(ZoneOffset.UTC).plusMonths(1);
    int step = years ? 1 : Math.max(1, (int) (span / (30L * 86_400_000L) / 12));
    while (!tick.toInstant().isAfter(t1)) {
      double xx = x.applyAsDouble(tick.toInstant());
      svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>%n", xx, TOP, xx, H - BOTTOM));
      String label = years ? String.valueOf(tick.getYear()) : String.format(Locale.ROOT, "%d-%02d", tick.getYear(), tick.getMonthValue());
      svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", xx, H - BOTTOM + 18, label));
      tick = years ? tick.plusYears(1) : tick.plusMonths(step);
    }
    // axes and their names
    svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM));
    svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, TOP, LEFT, H - BOTTOM));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">time (UTC)</text>%n", LEFT + (int) plotW / 2, H - 10));
    svg.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 16 %d)\">equity, × start (log scale)</text>%n", TOP + (int) plotH / 2, TOP + (int) plotH / 2));
    // curves and legend
    int legendY = TOP + 16;
    for (Series s : series) {
      StringBuilder pts = new StringBuilder();
      for (Point p : thin(s.points())) {
        pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x.applyAsDouble(p.time()), y.applyAsDouble(p.equity())));
      }
      svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"/>%n", s.colour(), pts.toString().trim()));
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>%n", LEFT + 12, legendY - 4, LEFT + 36, legendY - 4, s.colour()));
      svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT + 42, legendY, escape(s.name())));
      legendY += 18;
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  static List<Point> thin(List<Point> points) {
    if (points.size() <= MAX_POINTS) {
      return points;
    }
    List<Point> out = new ArrayList<>(MAX_POINTS + 1);
    double step = (points.size() - 1) / (double) (MAX_POINTS - 1);
    for (int i = 0; i < MAX_POINTS; i++) {
      out.add(points.get((int) Math.round(i * step)));
    }
    return out;
  }

  private static String multiple(double m) {
    return m >= 100 ? String.format(Locale.ROOT, "%,.0f×", m) : m >= 1 ? String.format(Locale.ROOT, "%.3g×", m) : String.format(Locale.ROOT, "%.2g×", m);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
