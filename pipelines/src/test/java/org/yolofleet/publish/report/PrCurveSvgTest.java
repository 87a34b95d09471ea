package org.yolofleet.publish.report;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.yolofleet.core.eval.ClassEvaluation;
import org.yolofleet.core.eval.PrecisionRecallCurve;
import org.xml.sax.InputSource;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PrCurveSvgTest {
    private static final Pattern STEP = Pattern.compile("([MVHZ])([-0-9.]*)(?:,([-0-9.]*))?");

    @Test
    void theFilledEnvelopeHasTheAreaOfTheAveragePrecisionAndTheLineOnePointPerDetection() throws Exception {
        ClassEvaluation evaluation = ReportFixtures.evaluation().classes().get(0);
        String svg = PrCurveSvg.render("WBC", evaluation.curve(), evaluation.areaAveragePrecision(), evaluation.positives());

        Document document = parse(svg);
        Element polyline = (Element) document.getElementsByTagName("polyline").item(0);
        assertThat(polyline.getAttribute("points").split(" ")).hasSize(evaluation.curve().size());
        Element envelope = (Element) document.getElementsByTagName("path").item(0);
        // the area under the drawn step, in data units, is the VOC2010+ AP the evaluator computed (up to the 0.1 px rounding)
        assertThat(area(envelope.getAttribute("d"))).isCloseTo(evaluation.areaAveragePrecision().getAsDouble(), within(0.005));
        assertThat(svg).contains("AP " + String.format(java.util.Locale.ROOT, "%.3f", evaluation.areaAveragePrecision().getAsDouble()));
    }

    @Test
    void aClassNameIsTextAndTheSvgStaysWellFormed() throws Exception {
        ClassEvaluation evaluation = ReportFixtures.evaluation().classes().get(1);
        String svg = PrCurveSvg.render("<b>R&D</b>", evaluation.curve(), evaluation.areaAveragePrecision(), evaluation.positives());

        assertThat(svg).doesNotContain("<b>").contains("&lt;b&gt;R&amp;D&lt;/b&gt;");
        assertThat(parse(svg).getElementsByTagName("title").item(0).getTextContent()).isEqualTo("precision/recall curve of <b>R&D</b>");
    }

    @Test
    void aClassWithoutPositivesOrDetectionsSaysSoInsteadOfACurve() throws Exception {
        String none = PrCurveSvg.render("Platelets", PrecisionRecallCurve.EMPTY, OptionalDouble.empty(), 0);
        assertThat(parse(none).getElementsByTagName("polyline").getLength()).isZero();
        assertThat(none).contains("no positives in the val split", "AP n/a");

        String missed = PrCurveSvg.render("Platelets", PrecisionRecallCurve.EMPTY, OptionalDouble.of(0), 3);
        assertThat(missed).contains("no detections").doesNotContain("<polyline");
    }

    @Test
    void aLongCurveIsThinnedButKeepsItsEnds() throws Exception {
        int points = 2_000;
        double[] scores = new double[points];
        double[] recall = new double[points];
        double[] precision = new double[points];
        for (int index = 0; index < points; index++) {
            scores[index] = 1 - index / (double) points;
            recall[index] = (index + 1) / (double) points;
            precision[index] = 1 - 0.5 * index / points;
        }
        String svg = PrCurveSvg.render("car", new PrecisionRecallCurve(scores, recall, precision), OptionalDouble.of(0.75), points);

        String[] drawn = ((Element) parse(svg).getElementsByTagName("polyline").item(0)).getAttribute("points").split(" ");
        assertThat(drawn.length).isBetween(PrCurveSvg.MAXIMUM_POINTS / 2, PrCurveSvg.MAXIMUM_POINTS + 1);
        assertThat(drawn[drawn.length - 1]).isEqualTo(String.format(java.util.Locale.ROOT, "%.1f,%.1f", (double) PrCurveSvg.WIDTH - PrCurveSvg.RIGHT,
                y(precision[points - 1])));
        assertThat(svg.length()).isLessThan(20_000);
        // the thinned envelope still has the area of the curve's AP (here 0.75), to within its half-pixel steps
        double expected = 0;
        for (int index = 0; index < points; index++) {
            expected += precision[index] / points;
        }
        assertThat(area(((Element) parse(svg).getElementsByTagName("path").item(0)).getAttribute("d"))).isCloseTo(expected, within(0.005));
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
    }

    /** The area enclosed by an {@code M x,y V y H x ... Z} step path, converted back to recall x precision units. */
    private static double area(String path) {
        double plotWidth = PrCurveSvg.WIDTH - PrCurveSvg.LEFT - PrCurveSvg.RIGHT;
        double plotHeight = PrCurveSvg.HEIGHT - PrCurveSvg.TOP - PrCurveSvg.BOTTOM;
        double bottom = PrCurveSvg.HEIGHT - PrCurveSvg.BOTTOM;
        Matcher matcher = STEP.matcher(path);
        double x = 0;
        double y = 0;
        double area = 0;
        while (matcher.find()) {
            switch (matcher.group(1)) {
                case "M" -> {
                    x = Double.parseDouble(matcher.group(2));
                    y = Double.parseDouble(matcher.group(3));
                }
                case "V" -> y = Double.parseDouble(matcher.group(2));
                case "H" -> {
                    double next = Double.parseDouble(matcher.group(2));
                    area += (next - x) * (bottom - y);
                    x = next;
                }
                default -> {
                }
            }
        }
        return area / (plotWidth * plotHeight);
    }

    private static double y(double precision) {
        return Double.parseDouble(String.format(java.util.Locale.ROOT, "%.1f", PrCurveSvg.HEIGHT - PrCurveSvg.BOTTOM - precision * (PrCurveSvg.HEIGHT - PrCurveSvg.TOP - PrCurveSvg.BOTTOM)));
    }
}
