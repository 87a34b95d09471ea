package org.yolofleet.publish.report;

import org.junit.jupiter.api.Test;
import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.eval.ClassEvaluation;
import org.yolofleet.core.eval.Evaluation;
import org.yolofleet.core.release.ArtifactEntry;
import org.yolofleet.core.release.ReleaseManifest;
import org.yolofleet.publish.ParityResult;
import org.yolofleet.publish.compile.CompileOutcome;
import org.yolofleet.publish.compile.Target;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ModelCardHtmlTest {
    private static final Pattern DATA_URI = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"");

    @Test
    void classNamesAndEveryOtherTextAreEscaped() {
        String html = ModelCardHtml.render(card(false, List.of()));

        assertThat(html).doesNotContain("<script", "R&D \"cells\"", "alert('x')")
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", "R&amp;D &quot;cells&quot;", "Platelets");
        // the escaped names are in the model table, the metrics table and each chart
        assertThat(count(html, "R&amp;D &quot;cells&quot;")).isGreaterThanOrEqualTo(3);
        assertThat(html).contains("<td>mvNCCompile not found on PATH &lt;stderr&gt;</td>");
    }

    @Test
    void thereIsOnePrCurvePerClassAndAMetricsRowPerClass() {
        Evaluation evaluation = ReportFixtures.evaluation();
        String html = ModelCardHtml.render(card(false, List.of()));

        assertThat(count(html, "<svg class=\"pr\"")).isEqualTo(ReportFixtures.CLASSES.size());
        for (ClassEvaluation classEvaluation : evaluation.classes()) {
            String name = HtmlText.escape(ReportFixtures.CLASSES.get(classEvaluation.classId()));
            assertThat(html).contains("<tr><td>" + name + "</td><td class=\"number\">" + classEvaluation.positives() + "</td>");
            assertThat(html).contains("aria-label=\"precision/recall curve of " + name + "\"");
        }
        assertThat(html).contains(String.format(java.util.Locale.ROOT, "%.4f", evaluation.areaMeanAveragePrecision().getAsDouble()),
                String.format(java.util.Locale.ROOT, "%.4f", evaluation.elevenPointMeanAveragePrecision().getAsDouble()), "0.4100");
    }

    @Test
    void theThumbnailsAreEmbeddedAsPngDataUris() throws IOException {
        List<DetectionGrid.Thumbnail> thumbnails = new ArrayList<>();
        for (int index = 0; index < 3; index++) {
            thumbnails.add(new DetectionGrid.Thumbnail("BloodImage_0000" + index + "<x>.jpg", 40, 30, png(new Color(40 * index, 90, 200)),
                    List.of(new Detection(1, 0.87, new BoundingBox(1, 2, 20, 20)))));
        }
        String html = ModelCardHtml.render(card(false, thumbnails));

        Matcher images = DATA_URI.matcher(html);
        List<byte[]> embedded = new ArrayList<>();
        while (images.find()) {
            embedded.add(Base64.getDecoder().decode(images.group(1)));
        }
        assertThat(embedded).hasSize(3);
        for (int index = 0; index < 3; index++) {
            assertThat(embedded.get(index)).isEqualTo(thumbnails.get(index).png());
        }
        assertThat(html).contains("BloodImage_00000&lt;x&gt;.jpg: 1 detection (R&amp;D &quot;cells&quot; 0.87)</figcaption>");
        List<Detection> many = java.util.stream.IntStream.range(0, DetectionGrid.MOST_DRAWN + 2)
                .mapToObj(index -> new Detection(2, 0.9 - index * 0.01, new BoundingBox(index, index, index + 10, index + 10))).toList();
        String crowded = ModelCardHtml.render(card(false, List.of(new DetectionGrid.Thumbnail("crowded", 40, 30, png(Color.GRAY), many))));
        assertThat(crowded).contains("crowded: 12 detections (Platelets 0.90, Platelets 0.89, Platelets 0.88, …), the 10 best drawn");
        // self-contained: nothing is fetched, nothing runs
        assertThat(html).doesNotContainPattern("(?i)<script|<link|<iframe|@import|url\\(|src=\"(?!data:)|href=");
    }

    @Test
    void theArtifactsTableGivesEachFilesSizeAndShortHashAndTheMissingOnesTheirReason() {
        ReleaseManifest manifest = ReportFixtures.manifest(false);
        String html = ModelCardHtml.render(card(false, List.of()));

        for (ArtifactEntry artifact : manifest.artifacts()) {
            assertThat(html).contains("<code>" + artifact.name() + "</code>", ModelCardHtml.size(artifact.size()),
                    "<code title=\"" + artifact.sha256() + "\">" + artifact.sha256().substring(0, 16) + "…</code>");
        }
        assertThat(html).contains("63,091,686 B (60.2 MiB)", "3,209 B (3.1 KiB)");
        assertThat(html).contains("<li><code>ncs-graph</code> for ncs: ncsdk: mvNCCompile not found on PATH</li>");
        assertThat(ModelCardHtml.size(512)).isEqualTo("512 B");
    }

    @Test
    void theParityAndTheGateAreShown() {
        String html = ModelCardHtml.render(card(true, List.of()));

        assertThat(html).contains("<code>model.onnx</code></td><td class=\"number\">16</td><td class=\"number\">3.74e-06</td>");
        assertThat(html).contains("published with --force", "class=\"refused\"", "AP@0.5 night-1 (current)");
        // the refused gate's table: the new AP of the first class against the current one's
        assertThat(html).contains(String.format(java.util.Locale.ROOT, "%+.4f", ReportFixtures.evaluation().classes().get(0)
                .areaAveragePrecision().getAsDouble() - 0.9));
    }

    private static ModelCard card(boolean refused, List<DetectionGrid.Thumbnail> thumbnails) {
        ModelCard.Gate gate = refused
                ? new ModelCard.Gate(false, "refused: val mAP@0.5 lower than release night-1's", Optional.of("night-1"),
                        List.of(OptionalDouble.of(0.9), OptionalDouble.of(0.5), OptionalDouble.empty()))
                : new ModelCard.Gate(true, "the channel has no release yet", Optional.empty(), List.of());
        List<ParityResult> parity = List.of(new ParityResult("model.onnx", 16, 3.74e-6, "img-1", "anchor 0 x at cell (x 1, y 2)", 1f, 1f, 210, "", 1e-4));
        List<CompileOutcome> compiled = List.of(new CompileOutcome("ncsdk", Target.NCS, "model.graph", CompileOutcome.Status.SKIPPED, Optional.empty(),
                0, Optional.empty(), "mvNCCompile not found on PATH <stderr>", Duration.ofMillis(3), Optional.empty()));
        return new ModelCard(ReportFixtures.manifest(refused), gate, ReportFixtures.evaluation(), parity, compiled, thumbnails);
    }

    private static byte[] png(Color colour) throws IOException {
        BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.setColor(colour);
        graphics.fillRect(0, 0, 40, 30);
        graphics.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return bytes.toByteArray();
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int index = text.indexOf(part); index >= 0; index = text.indexOf(part, index + part.length())) {
            count++;
        }
        return count;
    }
}
