package org.yolofleet.emr.plan;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.emr.config.PlanSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The training throughput {@code plan} prices a night with, and where it comes from: {@code
 * plan.images-per-second-per-core} when the configuration sets it, else the line {@code plan.images-per-second-per-core
 * = R} that {@code bench/run averaging} writes into {@code bench/results/averaging.txt} (parameter averaging on a
 * standalone cluster of 1-core executors, per core), named by {@code plan.measured-rate}.
 *
 * @param imagesPerSecondPerCore training images per second per core vCPU
 * @param source                 where the number comes from, for the report
 */
public record TrainingRate(double imagesPerSecondPerCore, String source) {
    static final String KEY = "plan.images-per-second-per-core";
    private static final Pattern LINE = Pattern.compile("^\\s*" + Pattern.quote(KEY) + "\\s*=\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(?:#.*)?$");

    public TrainingRate {
        requireNonNull(source, "source");
        if (!(imagesPerSecondPerCore > 0)) {
            throw new IllegalArgumentException("images per second per core must be positive, got " + imagesPerSecondPerCore);
        }
    }

    /** The configured override, else the measured rate; fails naming both when neither is there. */
    public static TrainingRate of(PlanSettings plan) {
        if (plan.imagesPerSecondPerCore().isPresent()) {
            return new TrainingRate(plan.imagesPerSecondPerCore().getAsDouble(), KEY + " in the launcher configuration (overrides "
                    + plan.measuredRate() + ")");
        }
        return measured(plan.measuredRate());
    }

    /** The rate in a benchmark result file: its line {@code plan.images-per-second-per-core = R}. */
    static TrainingRate measured(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException unreadable) {
            throw new YoloFleetException(ErrorCode.CONFIG, "plan: no measured training rate: cannot read plan.measured-rate = " + file + " ("
                    + unreadable.getClass().getSimpleName() + "). Run bench/run averaging in the repository to measure it, point "
                    + "plan.measured-rate at its averaging.txt, or set " + KEY + " (images per second per core vCPU)", unreadable);
        }
        for (String line : lines) {
            Matcher matcher = LINE.matcher(line);
            if (matcher.matches()) {
                return new TrainingRate(Double.parseDouble(matcher.group(1)), "measured, " + shown(file) + " (bench/run averaging: parameter"
                        + " averaging on a Spark standalone cluster of 1-core executors, off EMR)");
            }
        }
        throw new YoloFleetException(ErrorCode.CONFIG, "plan: " + shown(file) + " (plan.measured-rate) has no line '" + KEY + " = R': "
                + "rerun bench/run averaging, or set " + KEY + " (images per second per core vCPU)");
    }

    /** The file relative to the working directory when it lies below it (the repository root, where plan runs), else as given. */
    static String shown(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        Path here = Path.of("").toAbsolutePath().normalize();
        return absolute.startsWith(here) ? here.relativize(absolute).toString() : absolute.toString();
    }
}
