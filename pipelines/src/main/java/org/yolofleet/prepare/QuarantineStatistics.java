package org.yolofleet.prepare;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.yolofleet.core.quarantine.QuarantineReason;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;

/** Counts of the quarantine by reason, with a few example paths each, largest first. */
public record QuarantineStatistics(List<ReasonCount> reasons) {
    /** One reason: how often, how severe, and examples as "path: detail". */
    public record ReasonCount(String reason, String severity, long count, List<String> examples) {
        public ReasonCount {
            examples = List.copyOf(examples);
        }
    }

    public QuarantineStatistics {
        reasons = List.copyOf(reasons);
    }

    public static QuarantineStatistics of(Dataset<Row> quarantine, int examplesPerReason) {
        Map<String, ReasonCount> counts = new LinkedHashMap<>();
        for (Row row : quarantine.groupBy("reason", "severity").count().collectAsList()) {
            String reason = row.getAs("reason");
            counts.put(reason, new ReasonCount(reason, row.getAs("severity"), row.<Long>getAs("count"), List.of()));
        }
        if (examplesPerReason > 0 && !counts.isEmpty()) {
            Map<String, List<String>> examples = new LinkedHashMap<>();
            quarantine.withColumn("example", concat(col("path"),
                            org.apache.spark.sql.functions.when(col("object_index").geq(0),
                                    concat(lit(" (object "), col("object_index").cast("string"), lit(")"))).otherwise(lit("")),
                            lit(": "), col("detail")))
                    .withColumn("rank", row_number().over(Window.partitionBy("reason").orderBy("path", "object_index")))
                    .filter(col("rank").leq(examplesPerReason))
                    .select("reason", "example")
                    .orderBy("reason", "rank")
                    .collectAsList()
                    .forEach(row -> examples.computeIfAbsent(row.getAs("reason"), reason -> new ArrayList<>()).add(row.getAs("example")));
            counts.replaceAll((reason, count) ->
                    new ReasonCount(reason, count.severity(), count.count(), examples.getOrDefault(reason, List.of())));
        }
        List<ReasonCount> sorted = new ArrayList<>(counts.values());
        sorted.sort(Comparator.comparingLong(ReasonCount::count).reversed().thenComparing(ReasonCount::reason));
        return new QuarantineStatistics(sorted);
    }

    public long count(QuarantineReason reason) {
        return reasons.stream().filter(count -> count.reason().equals(reason.name())).mapToLong(ReasonCount::count).sum();
    }

    public long countBySeverity(QuarantineReason.Severity severity) {
        return reasons.stream().filter(count -> count.severity().equals(severity.name())).mapToLong(ReasonCount::count).sum();
    }

    /** Whole image records rejected (their objects are lost with them). */
    public long rejectedImages() {
        return countBySeverity(QuarantineReason.Severity.REJECT_IMAGE);
    }

    public Map<String, Long> countsByReason() {
        Map<String, Long> result = new LinkedHashMap<>();
        reasons.forEach(count -> result.put(count.reason(), count.count()));
        return result;
    }

    /**
     * A text block: one line per reason, largest first; beneath each rejection up to {@code examplesPerRejection}
     * examples (warnings are counted only: their examples are in the quarantine table).
     */
    public String text(int examplesPerRejection) {
        StringBuilder text = new StringBuilder();
        for (ReasonCount count : reasons) {
            text.append(String.format(Locale.ROOT, "    %-26s %-13s %7d%n", count.reason(), count.severity().toLowerCase(Locale.ROOT),
                    count.count()));
            if (!count.severity().equals(QuarantineReason.Severity.WARNING.name())) {
                count.examples().stream().limit(examplesPerRejection)
                        .forEach(example -> text.append("        e.g. ").append(example).append(System.lineSeparator()));
            }
        }
        return text.toString();
    }
}
