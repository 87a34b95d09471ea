package org.yolofleet.bench;

import org.yolofleet.config.ConfigLoader;
import org.yolofleet.jobs.LocalDemo;
import org.yolofleet.model.Nd4jRuntime;
import org.yolofleet.train.EpochMetrics;
import org.yolofleet.train.TrainSummary;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The learning curve of the local demo: {@link LocalDemo} exactly as {@code yolofleet run-local} runs it (the sample,
 * {@code conf/local.conf} over the defaults, Tiny-YOLOv2 at 416 x 416), val mAP@0.5 after every epoch against the
 * wall-clock minutes of training (validation included), and when the demo target (mAP@0.5 >= 0.8 within 10 minutes)
 * was reached. {@code --epochs N} trains past the demo's epochs to show where the curve goes. Writes
 * {@code learning-curve.txt}, or {@code learning-curve-NAME.txt} with {@code --name NAME} (a curve kept beside the demo's).
 *
 * <pre>{@code bench/run learning-curve [--epochs N] [--set 'KEY=VALUE;KEY=VALUE'] [--name NAME]}</pre>
 */
public final class LearningCurveBenchmark {
    private static final double TARGET_MAP = 0.8;
    private static final double TARGET_MINUTES = 10;

    private LearningCurveBenchmark() {
    }

    public static void main(String[] arguments) throws Exception {
        Map<String, String> options = BenchmarkSupport.options(arguments, "LearningCurveBenchmark --results DIR [--epochs N] [--set 'KEY=VALUE;KEY=VALUE'] [--name NAME]");
        Path results = Path.of(options.getOrDefault("results", "bench/results"));
        String file = options.containsKey("name") ? "learning-curve-" + resultName(options.get("name")) + ".txt" : "learning-curve.txt";
        List<String> extra = new ArrayList<>();
        if (options.containsKey("epochs")) {
            extra.add("train.epochs=" + Integer.parseInt(options.get("epochs")));
        }
        if (options.containsKey("set")) {
            for (String setting : options.get("set").split(";")) {
                if (!setting.isBlank()) {
                    extra.add(setting.trim());
                }
            }
        }
        Path work = Files.createTempDirectory("yolofleet-learning-curve");
        Instant started = Instant.now();
        LocalDemo.Result result = LocalDemo.run(work, LocalDemo.sampleOptions(LocalDemo.DEFAULT_SEED, LocalDemo.DEFAULT_IMAGES, true), LocalDemo.Until.TRAIN,
                overrides -> {
                    List<String> all = new ArrayList<>(overrides);
                    all.addAll(extra);
                    return ConfigLoader.load(ConfigLoader.local(), Optional.empty(), all);
                }, System.out::print);
        double pipelineMinutes = BenchmarkSupport.seconds(started) / 60;
        TrainSummary trained = result.trained().orElseThrow();

        StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT, """
                learning curve: the local demo (yolofleet run-local: conf/local.conf over the defaults), Tiny-YOLOv2 416x416 from scratch
                (%d epochs%s%s; %d training samples, %d val images, %d worker x batch %d; fast ND4J configuration: %s)
                  epoch  iteration  minutes  loss       mAP@0.5(area)  mAP@0.5(11pt)  images/s
                """, trained.epochs().size(),
                options.containsKey("epochs") ? ", the demo trains " + ConfigLoader.local().getInt("yolofleet.train.epochs") : "",
                options.containsKey("set") ? "; settings changed: " + options.get("set") : "",
                trained.trainSamples(), trained.valImages(),
                trained.workers(), trained.batchSizePerWorker(),
                Nd4jRuntime.report().isFast() ? "yes" : "no: " + Nd4jRuntime.report().deviationsFromFast()));
        double minutes = 0;
        Optional<double[]> reached = Optional.empty();
        for (EpochMetrics epoch : trained.epochs()) {
            minutes += (epoch.trainSeconds() + epoch.validationSeconds()) / 60;
            report.append(String.format(Locale.ROOT, "  %5d  %9d  %7.2f  %-9.4f  %13.4f  %13.4f  %8.1f%n", epoch.epoch(), epoch.iteration(),
                    minutes, epoch.loss(), epoch.mapArea(), epoch.mapElevenPoint(), epoch.imagesPerSecond()));
            if (reached.isEmpty() && epoch.mapArea() >= TARGET_MAP) {
                reached = Optional.of(new double[] {epoch.epoch(), minutes});
            }
        }
        report.append(reached
                .map(at -> String.format(Locale.ROOT, "  target mAP@0.5 >= %.1f: reached at epoch %d after %.2f minutes of training (%.2fx the %.0f-minute budget)%n",
                        TARGET_MAP, (int) at[0], at[1], at[1] / TARGET_MINUTES, TARGET_MINUTES))
                .orElse(String.format(Locale.ROOT, "  target mAP@0.5 >= %.1f: not reached; best %.4f at epoch %d%n", TARGET_MAP,
                        trained.best().mapArea(), trained.best().epoch())));
        report.append(String.format(Locale.ROOT, "  whole demo (generate, prepare, augment, train) %.2f minutes; load average after the run %s%n",
                pipelineMinutes, BenchmarkSupport.loadAverage()));
        System.out.print(report);
        Files.createDirectories(results);
        Files.writeString(results.resolve(file), report.toString());
        BenchmarkSupport.deleteTree(work);
    }

    /** A result name: letters, digits and dashes only (it becomes part of a file name under bench/results). */
    private static String resultName(String name) {
        if (!name.matches("[A-Za-z0-9-]+")) {
            throw new IllegalArgumentException("--name takes letters, digits and dashes, got '" + name + "'");
        }
        return name;
    }
}
