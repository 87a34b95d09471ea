package org.yolofleet.report;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LineChartTest {
    private static final int FIRST_SERIES = 0x1f77b4;
    private static final int SECOND_SERIES = 0xff7f0e;

    @Test
    void drawsEverySeriesInsideTheFixedRangeAndSkipsNonFinitePoints() throws IOException {
        LineChart chart = new LineChart("val mAP", "epoch", "mAP", List.of(
                new LineChart.Series("rising", new double[] {1, 2, 3}, new double[] {0.1, 0.5, 0.9}),
                new LineChart.Series("with a gap", new double[] {1, 2, 3}, new double[] {0.2, Double.NaN, 0.3})),
                null, LineChart.Range.UNIT);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(chart.png(400, 300)));
        assertThat(image.getWidth()).isEqualTo(400);
        assertThat(image.getHeight()).isEqualTo(300);
        assertThat(count(image, FIRST_SERIES)).isGreaterThan(100);
        assertThat(count(image, SECOND_SERIES)).as("legend only: the gap leaves no segment").isBetween(1, 60);
    }

    @Test
    void refusesSeriesOfUnequalLengthAndEmptyRanges() {
        assertThatThrownBy(() -> new LineChart.Series("bad", new double[] {1, 2}, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad");
        assertThatThrownBy(() -> new LineChart.Range(1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static int count(BufferedImage image, int rgb) {
        int matches = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == rgb) {
                    matches++;
                }
            }
        }
        return matches;
    }
}
