package dev.weft.bench.report;

import dev.weft.bench.Result;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The report's chart of one case and metric: a PNG bar chart with one bar per implementation,
 * weft's in one strong colour and the peers' in grey, the medians scaled to a readable unit that
 * the value axis names. Drawn with XChart, without a display ({@code java.awt.headless}).
 *
 * <p>PNG rather than SVG: XChart draws every letter as an outline, so its SVG carries no text
 * and is several times the size of the PNG of the same chart, and needs one more library.
 */
final class BarChart {

    /** weft's bars. */
    static final Color WEFT = new Color(0xD9480F);
    /** The peers' bars. */
    static final Color PEER = new Color(0x868E96);

    static final int WIDTH = 800;
    static final int HEIGHT = 450;

    static {
        // Charts are drawn off screen: no display is needed, and none may be there.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private BarChart() {
    }

    /**
     * Writes the chart of {@code m} to {@code file} as PNG, replacing it.
     *
     * @throws IOException when the file cannot be written
     */
    static void writePng(CaseMetric m, Path file) throws IOException {
        CategoryChart chart = draw(m);
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapFormat.PNG);
        }
    }

    /** The chart of {@code m}: one series for weft's bars and one for the peers', overlapped. */
    static CategoryChart draw(CaseMetric m) {
        double max = m.rows().stream().mapToDouble(Result::value).max().orElse(0);
        Scale scale = Scale.of(m.unit(), max);
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title(m.suite() + " " + m.caseName() + ": " + m.metric() + " ("
                        + (m.higherIsBetter() ? "higher" : "lower") + " is better)")
                .xAxisTitle("implementation")
                .yAxisTitle(m.metric() + " (" + scale.unit() + ")")
                .build();
        CategoryStyler styler = chart.getStyler();
        styler.setOverlapped(true);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotGridVerticalLinesVisible(false);
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setYAxisMin(0.0);
        List<String> impls = m.rows().stream().map(Result::impl).toList();
        addSeries(chart, "weft", impls, m.rows(), true, scale, WEFT);
        addSeries(chart, "peers", impls, m.rows(), false, scale, PEER);
        return chart;
    }

    /**
     * Adds the bars of weft's rows ({@code weft} true) or the peers', each at its implementation's
     * place and zero elsewhere; nothing when there are none.
     */
    private static void addSeries(CategoryChart chart, String name, List<String> impls, List<Result> rows,
                                  boolean weft, Scale scale, Color colour) {
        if (rows.stream().noneMatch(r -> CaseMetric.isWeft(r.impl()) == weft)) {
            return;
        }
        List<Double> values = rows.stream()
                .map(r -> CaseMetric.isWeft(r.impl()) == weft ? r.value() / scale.divisor() : 0.0).toList();
        CategorySeries series = chart.addSeries(name, impls, values);
        series.setFillColor(colour);
    }

    /**
     * A unit to draw values in, and what to divide them by: nanoseconds become µs or ms when
     * large; other units take k, M or G; bytes, shares of a core and microseconds stay as they are.
     *
     * @param divisor what to divide a value by
     * @param unit    the unit of the divided values, for the axis title
     */
    record Scale(double divisor, String unit) {

        /** The scale for values of {@code unit} up to {@code max}. */
        static Scale of(String unit, double max) {
            if (unit.equals("ns")) {
                return max >= 1e6 ? new Scale(1e6, "ms") : max >= 1e4 ? new Scale(1e3, "µs") : new Scale(1, "ns");
            }
            if (unit.equals("B") || unit.equals("%core") || unit.equals("µs")) {
                return new Scale(1, unit);
            }
            if (max >= 1e9) {
                return new Scale(1e9, "G " + unit);
            }
            if (max >= 1e6) {
                return new Scale(1e6, "M " + unit);
            }
            if (max >= 1e4) {
                return new Scale(1e3, "k " + unit);
            }
            return new Scale(1, unit);
        }
    }
}
