package org.yolofleet.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * The look every report chart shares, and its PNG encoding, so that classes.png, boxes.png, loss.png, map.png and
 * pr.png read as one family: white background, light grid, the legend outside the plot on the right (it never hides
 * data), {@link Locale#ROOT} number formats whatever the machine's locale, and the colours of matplotlib's tab20 in
 * class order (class i has the same colour in every chart). Rendering is headless and carries no timestamp, so equal
 * inputs give equal PNG bytes.
 */
public final class ChartStyle {
    /** matplotlib's tab20 reordered: the ten strong colours first, then their light partners. */
    private static final List<Color> PALETTE = List.of(
            new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
            new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf),
            new Color(0xaec7e8), new Color(0xffbb78), new Color(0x98df8a), new Color(0xff9896), new Color(0xc5b0d5),
            new Color(0xc49c94), new Color(0xf7b6d2), new Color(0xc7c7c7), new Color(0xdbdb8d), new Color(0x9edae5));
    private static final Font BASE = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private ChartStyle() {
    }

    /** The colour of the series (or class) at {@code index}; the palette repeats after 20. */
    public static Color color(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("colour index must not be negative: " + index);
        }
        return PALETTE.get(index % PALETTE.size());
    }

    /** How many distinct colours there are before {@link #color} repeats. */
    public static int colorCount() {
        return PALETTE.size();
    }

    /** Applies the shared look to an axes chart's styler and returns it, for further chart-specific settings. */
    public static <S extends AxesChartStyler> S apply(S styler) {
        requireNonNull(styler, "styler");
        styler.setLocale(Locale.ROOT);
        styler.setBaseFont(BASE);
        styler.setChartTitleFont(BASE.deriveFont(Font.BOLD, 14f));
        styler.setAxisTitleFont(BASE.deriveFont(13f));
        styler.setAxisTickLabelsFont(BASE.deriveFont(11f));
        styler.setLegendFont(BASE);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderColor(Color.DARK_GRAY);
        styler.setPlotGridLinesColor(new Color(0xe0e0e0));
        styler.setChartTitleBoxVisible(false);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setLegendBorderColor(Color.LIGHT_GRAY);
        styler.setSeriesColors(PALETTE.toArray(Color[]::new));
        styler.setAntiAlias(true);
        styler.setTextAntiAlias(true);
        return styler;
    }

    /** The chart drawn at its own size, as PNG bytes. */
    public static byte[] png(Chart<?, ?> chart) {
        requireNonNull(chart, "chart");
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException failure) {
            throw new YoloFleetException(ErrorCode.IO, "cannot encode the chart '" + chart.getTitle() + "' as PNG: " + failure.getMessage(), failure);
        }
    }
}
