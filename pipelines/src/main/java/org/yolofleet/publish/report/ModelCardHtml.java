package org.yolofleet.publish.report;

import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.eval.ClassEvaluation;
import org.yolofleet.core.release.ArtifactEntry;
import org.yolofleet.core.release.ArtifactFormat;
import org.yolofleet.core.release.ClassMetrics;
import org.yolofleet.core.release.DecodeSpec;
import org.yolofleet.core.release.DeviceTarget;
import org.yolofleet.core.release.MissingArtifact;
import org.yolofleet.core.release.ReleaseManifest;
import org.yolofleet.core.release.ReleaseMetrics;
import org.yolofleet.publish.ParityResult;
import org.yolofleet.publish.compile.CompileOutcome;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Renders a {@link ModelCard} as one self-contained HTML page, readable offline: inline CSS, charts as inline SVG
 * ({@link PrCurveSvg}), thumbnails as base64 PNG {@code data:} URIs; no script, no font, no image or style sheet
 * fetched from anywhere. Every text that comes from users or tools (class names, image keys, versions, reasons, logs)
 * is escaped by {@link HtmlText}.
 */
public final class ModelCardHtml {
    private static final String STYLE = """
            body{font-family:sans-serif;margin:1.5em auto;max-width:1100px;color:#222;line-height:1.35}
            h1{margin-bottom:.2em}h2{border-bottom:1px solid #ccc;padding-bottom:.15em;margin-top:1.4em}
            table{border-collapse:collapse;margin:.4em 0}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}
            th{background:#f0f0f0}td.number{text-align:right;font-variant-numeric:tabular-nums}code{font-size:.95em}
            .passed{color:#176117;font-weight:bold}.refused{color:#a01818;font-weight:bold}
            .charts,.grid{display:flex;flex-wrap:wrap;gap:.6em}figure{margin:0;font-size:.8em;max-width:170px;word-break:break-all}
            figure img{display:block;border:1px solid #ccc}""";

    private ModelCardHtml() {}

    /** The page. */
    public static String render(ModelCard card) {
        requireNonNull(card, "card");
        ReleaseManifest manifest = card.manifest();
        StringBuilder html = new StringBuilder(64 * 1024);
        String title = escape(manifest.model() + " " + manifest.version());
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").append(title)
                .append(" — model card</title>\n<style>\n").append(STYLE).append("\n</style>\n</head>\n<body>\n");
        html.append("<h1>").append(title).append("</h1>\n<p>Model card of release <code>").append(title).append("</code>, sequence ")
                .append(manifest.sequence()).append(", written by yolofleet ").append(escape(manifest.projectVersion())).append(".</p>\n");
        model(html, manifest);
        gate(html, card);
        metrics(html, card);
        curves(html, card);
        detections(html, card);
        artifacts(html, manifest);
        parity(html, card.parity());
        compiled(html, card.compiled(), manifest.missingArtifacts());
        html.append("</body>\n</html>\n");
        return html.toString();
    }

    /** The page's UTF-8 bytes. */
    public static byte[] renderBytes(ModelCard card) {
        return render(card).getBytes(StandardCharsets.UTF_8);
    }

    private static void model(StringBuilder html, ReleaseManifest manifest) {
        DecodeSpec decode = manifest.decode();
        html.append("<h2 id=\"model\">Model</h2>\n<table>\n");
        row(html, "model", manifest.model());
        row(html, "version", manifest.version());
        row(html, "sequence", Long.toString(manifest.sequence()));
        row(html, "training run", manifest.trainingRunId());
        row(html, "dataset version", manifest.datasetVersion());
        row(html, "created at", manifest.createdAt().toString());
        row(html, "parent release", manifest.parentVersion().orElse("none (the model's first release)"));
        row(html, "classes (" + manifest.classes().size() + ")", String.join(", ", manifest.classes()));
        row(html, "input", String.format(Locale.ROOT, "%d x %d RGB [0, 1], %s, %s filter; output grid %d x %d", decode.width(), decode.height(),
                decode.resizeMode().name().toLowerCase(Locale.ROOT), decode.resizeFilter().name().toLowerCase(Locale.ROOT), decode.gridWidth(),
                decode.gridHeight()));
        row(html, "anchors (grid cells)", decode.anchors().stream().map(anchor -> decimal(anchor.width()) + " x " + decimal(anchor.height()))
                .collect(Collectors.joining(", ")));
        row(html, "default thresholds", String.format(Locale.ROOT, "score %s, NMS IoU %s", decode.thresholds().score(), decode.thresholds().nmsIou()));
        html.append("</table>\n");
    }

    private static void gate(StringBuilder html, ModelCard card) {
        ModelCard.Gate gate = card.gate();
        ReleaseManifest manifest = card.manifest();
        html.append("<h2 id=\"gate\">Regression gate</h2>\n<p><span class=\"").append(gate.passed() ? "passed\">passed" : "refused\">refused")
                .append("</span>").append(manifest.forced() ? " — <strong>published with --force</strong>" : "").append(": ")
                .append(escape(gate.reason())).append("</p>\n");
        if (gate.currentAveragePrecision().isEmpty()) {
            return;
        }
        String current = escape(gate.currentVersion().orElse("current"));
        html.append("<table class=\"gate\">\n<tr><th>class</th><th>AP@0.5 ").append(escape(manifest.version())).append(" (new)</th><th>AP@0.5 ")
                .append(current).append(" (current)</th><th>change</th></tr>\n");
        List<ClassMetrics> classes = manifest.metrics().classes();
        for (int classId = 0; classId < classes.size(); classId++) {
            OptionalDouble now = classes.get(classId).averagePrecisionArea();
            OptionalDouble before = gate.currentAveragePrecision().get(classId);
            String change = now.isPresent() && before.isPresent() ? String.format(Locale.ROOT, "%+.4f", now.getAsDouble() - before.getAsDouble()) : "n/a";
            html.append("<tr><td>").append(escape(classes.get(classId).className())).append("</td>").append(numberCell(fraction(now)))
                    .append(numberCell(fraction(before))).append(numberCell(change)).append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private static void metrics(StringBuilder html, ModelCard card) {
        ReleaseMetrics metrics = card.manifest().metrics();
        String iou = String.format(Locale.ROOT, "%.2g", metrics.iouThreshold());
        html.append("<h2 id=\"metrics\">Metrics on the val split</h2>\n<p>The FP32 ONNX export in ONNX Runtime, VOC AP at IoU ").append(iou)
                .append(": the area under the precision envelope (VOC2010+) and the 11-point interpolation (VOC2007).</p>\n");
        html.append("<table class=\"metrics\">\n<tr><th>class</th><th>positives</th><th>true positives</th><th>false positives</th><th>AP@")
                .append(iou).append(" area</th><th>AP@").append(iou).append(" 11-point</th></tr>\n");
        for (int classId = 0; classId < metrics.classes().size(); classId++) {
            ClassMetrics metric = metrics.classes().get(classId);
            ClassEvaluation evaluation = card.evaluation().classes().get(classId);
            html.append("<tr><td>").append(escape(metric.className())).append("</td>").append(numberCell(Integer.toString(evaluation.positives())))
                    .append(numberCell(Integer.toString(evaluation.truePositives()))).append(numberCell(Integer.toString(evaluation.falsePositives())))
                    .append(numberCell(fraction(metric.averagePrecisionArea()))).append(numberCell(fraction(metric.averagePrecisionElevenPoint())))
                    .append("</tr>\n");
        }
        html.append("<tr><th>mean</th><td></td><td></td><td></td>").append(numberCell(fraction(OptionalDouble.of(metrics.meanAveragePrecisionArea()))))
                .append(numberCell(fraction(OptionalDouble.of(metrics.meanAveragePrecisionElevenPoint())))).append("</tr>\n");
        html.append("<tr><th>FP16 export</th><td></td><td></td><td></td>").append(numberCell(fraction(metrics.fp16MeanAveragePrecisionArea())))
                .append("<td></td></tr>\n</table>\n");
    }

    private static void curves(StringBuilder html, ModelCard card) {
        html.append("<h2 id=\"curves\">Precision/recall per class</h2>\n<div class=\"charts\">\n");
        List<ClassMetrics> classes = card.manifest().metrics().classes();
        for (int classId = 0; classId < classes.size(); classId++) {
            ClassEvaluation evaluation = card.evaluation().classes().get(classId);
            html.append(PrCurveSvg.render(classes.get(classId).className(), evaluation.curve(), classes.get(classId).averagePrecisionArea(),
                    evaluation.positives())).append('\n');
        }
        html.append("</div>\n");
    }

    private static void detections(StringBuilder html, ModelCard card) {
        DecodeSpec decode = card.manifest().decode();
        html.append("<h2 id=\"detections\">Detections on val images</h2>\n<p>Drawn by the FP32 ONNX export itself, run in ONNX Runtime and decoded"
                + " with the release's decode spec (score ").append(decode.thresholds().score()).append(", NMS IoU ").append(decode.thresholds().nmsIou())
                .append("), as a device decoding <code>decode.json</code> would.</p>\n<div class=\"grid\">\n");
        for (DetectionGrid.Thumbnail thumbnail : card.thumbnails()) {
            String key = escape(thumbnail.imageKey());
            html.append("<figure><img width=\"").append(thumbnail.width()).append("\" height=\"").append(thumbnail.height()).append("\" alt=\"val image ")
                    .append(key).append(" with ").append(thumbnail.detections().size()).append(" detections\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(thumbnail.png())).append("\"><figcaption>").append(key).append(": ")
                    .append(describe(thumbnail.detections(), decode.classes())).append("</figcaption></figure>\n");
        }
        html.append("</div>\n");
    }

    private static String describe(List<Detection> detections, List<String> classes) {
        if (detections.isEmpty()) {
            return "no detections";
        }
        return detections.size() + (detections.size() == 1 ? " detection" : " detections") + " (" + detections.stream().limit(3)
                .map(detection -> escape(classes.get(detection.classId())) + String.format(Locale.ROOT, " %.2f", detection.score()))
                .collect(Collectors.joining(", ")) + (detections.size() > 3 ? ", …" : "") + ")"
                + (detections.size() > DetectionGrid.MOST_DRAWN ? ", the " + DetectionGrid.MOST_DRAWN + " best drawn" : "");
    }

    private static void artifacts(StringBuilder html, ReleaseManifest manifest) {
        html.append("<h2 id=\"artifacts\">Artifacts</h2>\n<table class=\"artifacts\">\n<tr><th>file</th><th>format</th><th>device</th><th>size</th>"
                + "<th>SHA-256</th><th>producer</th></tr>\n");
        for (ArtifactEntry artifact : manifest.artifacts()) {
            html.append("<tr><td><code>").append(escape(artifact.name())).append("</code></td><td>").append(escape(artifact.format().key()))
                    .append("</td><td>").append(escape(target(artifact.format(), artifact.target().map(DeviceTarget::key).orElse(""))))
                    .append("</td>").append(numberCell(size(artifact.size()))).append("<td><code title=\"").append(escape(artifact.sha256())).append("\">")
                    .append(escape(artifact.sha256().substring(0, 16))).append("…</code></td><td>").append(escape(artifact.producer() + " "
                            + artifact.producerVersion())).append("</td></tr>\n");
        }
        html.append("</table>\n<p>This page, <code>").append(ModelCard.FILE).append("</code>, is listed in <code>manifest.json</code> too (format <code>")
                .append(ArtifactFormat.MODEL_CARD.key()).append("</code>, no device), so its SHA-256 is verified with the release's.</p>\n");
    }

    private static String target(ArtifactFormat format, String target) {
        if (!target.isEmpty()) {
            return target;
        }
        return format.document() ? "none (a document)" : "none";
    }

    private static void parity(StringBuilder html, List<ParityResult> parity) {
        html.append("<h2 id=\"parity\">Faithfulness: each export against the checkpoint</h2>\n<table class=\"parity\">\n<tr><th>export</th><th>images</th>"
                + "<th>max error</th><th>tolerance</th><th>detections compared</th><th>detections</th></tr>\n");
        for (ParityResult result : parity) {
            html.append("<tr><td><code>").append(escape(result.format())).append("</code></td>").append(numberCell(Integer.toString(result.images())))
                    .append(numberCell(String.format(Locale.ROOT, "%.2e", result.worstError())))
                    .append(numberCell(String.format(Locale.ROOT, "%.0e", result.tolerance())))
                    .append(numberCell(Integer.toString(result.detections()))).append("<td>")
                    .append(result.detectionDifference().isEmpty() ? "the same" : escape(result.detectionDifference())).append("</td></tr>\n");
        }
        html.append("</table>\n<p>Max error: the largest <code>|export − checkpoint| / max(1, |checkpoint|)</code> over every raw output element.</p>\n");
    }

    private static void compiled(StringBuilder html, List<CompileOutcome> compiled, List<MissingArtifact> missing) {
        html.append("<h2 id=\"compiled\">Vendor compilers</h2>\n");
        if (compiled.isEmpty()) {
            html.append("<p>No compiler is configured.</p>\n");
        } else {
            html.append("<table class=\"compiled\">\n<tr><th>compiler</th><th>device</th><th>artifact</th><th>result</th><th>seconds</th>"
                    + "<th>tool version</th><th>why not</th></tr>\n");
            for (CompileOutcome outcome : compiled) {
                html.append("<tr><td>").append(escape(outcome.compiler())).append("</td><td>").append(outcome.target().name().toLowerCase(Locale.ROOT))
                        .append("</td><td><code>").append(escape(outcome.artifact())).append("</code></td><td>")
                        .append(outcome.status().name().toLowerCase(Locale.ROOT)).append("</td>")
                        .append(numberCell(String.format(Locale.ROOT, "%.1f", outcome.duration().toMillis() / 1000.0))).append("<td>")
                        .append(escape(outcome.toolVersion().orElse(""))).append("</td><td>").append(escape(outcome.reason())).append("</td></tr>\n");
            }
            html.append("</table>\n");
        }
        if (!missing.isEmpty()) {
            html.append("<p>Not in this release (<code>missingArtifacts</code>):</p>\n<ul class=\"missing\">\n");
            for (MissingArtifact artifact : missing) {
                html.append("<li><code>").append(escape(artifact.format().key())).append("</code> for ")
                        .append(escape(artifact.target().map(DeviceTarget::key).orElse("no device"))).append(": ").append(escape(artifact.reason()))
                        .append("</li>\n");
            }
            html.append("</ul>\n");
        }
    }

    private static void row(StringBuilder html, String name, String value) {
        html.append("<tr><th>").append(escape(name)).append("</th><td>").append(escape(value)).append("</td></tr>\n");
    }

    private static String numberCell(String text) {
        return "<td class=\"number\">" + escape(text) + "</td>";
    }

    private static String fraction(OptionalDouble value) {
        return value.isPresent() ? String.format(Locale.ROOT, "%.4f", value.getAsDouble()) : "n/a";
    }

    /** {@code 63,091,686 B (60.2 MiB)}. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return String.format(Locale.ROOT, "%,d B", bytes);
        }
        double kibibytes = bytes / 1024.0;
        return kibibytes < 1024 ? String.format(Locale.ROOT, "%,d B (%.1f KiB)", bytes, kibibytes)
                : String.format(Locale.ROOT, "%,d B (%.1f MiB)", bytes, kibibytes / 1024);
    }

    /** At most 5 significant digits, no trailing zeros: {@code 1.08}, {@code 16.62}. */
    private static String decimal(double value) {
        return new BigDecimal(value).round(new MathContext(5)).stripTrailingZeros().toPlainString();
    }

    private static String escape(String text) {
        return HtmlText.escape(text);
    }
}
