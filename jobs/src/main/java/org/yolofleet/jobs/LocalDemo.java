package org.yolofleet.jobs;

import com.typesafe.config.Config;
import org.apache.spark.sql.SparkSession;
import org.yolofleet.augment.AugmentConfig;
import org.yolofleet.augment.AugmentStage;
import org.yolofleet.augment.AugmentSummary;
import org.yolofleet.config.Hocon;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.release.SigningKeys;
import org.yolofleet.dataset.SampleDatasetGenerator;
import org.yolofleet.dataset.SampleManifest;
import org.yolofleet.dataset.SampleOptions;
import org.yolofleet.prepare.PrepareConfig;
import org.yolofleet.prepare.PrepareStage;
import org.yolofleet.prepare.PrepareSummary;
import org.yolofleet.publish.PublishSummary;
import org.yolofleet.spark.SparkSessions;
import org.yolofleet.train.TrainConfig;
import org.yolofleet.train.TrainMemory;
import org.yolofleet.train.TrainStage;
import org.yolofleet.train.TrainSummary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * The whole pipeline on one machine, on a generated sample dataset: generate-sample, prepare, augment, train, each
 * stage's output under one work directory and its summary handed to {@code print} as it finishes. What
 * {@code yolofleet run-local} and the learning-curve benchmark run; the settings are the configuration's
 * ({@code conf/local.conf} over the defaults), the sample's {@link #sampleOptions}.
 */
public final class LocalDemo {
    /** The sample's images by default. */
    public static final int DEFAULT_IMAGES = 800;
    /** The sample's seed by default. */
    public static final long DEFAULT_SEED = 7;
    /**
     * The sample's smallest object side (pixels of the source image): at least 31 pixels at the network's 416 (the
     * 640 x 480 images shrink most), about one 32-pixel grid cell. Tiny-YOLOv2 trained from scratch for minutes does not
     * find much smaller ones; the generator's default (12) keeps them for the stages' tests.
     */
    public static final int MIN_OBJECT_SIDE = 48;
    /** Objects per sample image, 1 to this. */
    public static final int MAX_OBJECTS_PER_IMAGE = 4;

    /** The last stage the demo runs; {@code DEVICE}: a Raspberry Pi agent installs the release and runs it on an image. */
    public enum Until {
        AUGMENT, TRAIN, PUBLISH, DEVICE
    }

    /** The stages' summaries; {@code trained}, {@code published} and {@code device} are empty for the stages not run. */
    public record Result(SampleManifest sample, PrepareSummary prepared, AugmentSummary augmented, Optional<TrainSummary> trained,
                         Optional<PublishSummary> published, Optional<LocalDevice.Result> device) {
        public Result {
            requireNonNull(sample, "sample");
            requireNonNull(prepared, "prepared");
            requireNonNull(augmented, "augmented");
            requireNonNull(trained, "trained");
            requireNonNull(published, "published");
            requireNonNull(device, "device");
        }
    }

    /** The demo's release store, below the work directory: what devices would fetch. */
    public static Path releases(Path root) {
        return root.toAbsolutePath().normalize().resolve("releases");
    }

    /** The demo's signing key, made on first use: {@code keys/signing.pem} and {@code keys/signing.pub.pem}. */
    public static Path signingKey(Path root) {
        return root.toAbsolutePath().normalize().resolve("keys").resolve("signing.pem");
    }

    /** The public half of {@link #signingKey}: the key the demo's devices trust. */
    public static Path publicKey(Path root) {
        return signingKey(root).resolveSibling("signing.pub.pem");
    }

    /** The demo's release versions: {@code local-} and the UTC time of the run, so each run-local adds one. */
    private static final DateTimeFormatter VERSION = DateTimeFormatter.ofPattern("'local-'yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private LocalDemo() {
    }

    /**
     * The sample the demo trains on: 4 classes, objects of at least {@link #MIN_OBJECT_SIDE} pixels, up to
     * {@value #MAX_OBJECTS_PER_IMAGE} per image that do not overlap one another (so no label marks a shape hidden under
     * another), faults injected as always. Easier than the generator's default on purpose: Tiny-YOLOv2 from scratch on 2
     * cores has 10 minutes to learn it (bench/results/learning-curve.txt).
     */
    public static SampleOptions sampleOptions(long seed, int images, boolean injectFaults) {
        return SampleOptions.defaults(seed, images)
                .withMinObjectSide(MIN_OBJECT_SIDE)
                .withMaxObjectsPerImage(MAX_OBJECTS_PER_IMAGE)
                .withSeparateObjects(true)
                .withInjectedFaults(injectFaults);
    }

    /**
     * Runs the stages under {@code root} up to {@code until}: {@code sample/}, {@code prepared/}, {@code shards/},
     * {@code train/}, {@code releases/} (a signed release, the channel moved to it; the signing key made in
     * {@code keys/} on first use, a new version each run) and {@code device/} (an agent's configuration and install
     * directory, made afresh). {@code load} turns the demo's {@code key=value} overrides
     * (paths, classes) into the configuration.
     */
    public static Result run(Path root, SampleOptions options, Until until, Function<List<String>, Config> load, Consumer<String> print) {
        Path directory = root.toAbsolutePath().normalize();
        Path sample = directory.resolve("sample");
        SampleManifest generated = new SampleDatasetGenerator(options).generate(sample);
        print.accept(String.format("generate-sample: %d images (%d broken records injected) in %s%n",
                generated.goodImageIds().size(), generated.faults().size(), sample));

        List<String> overrides = new ArrayList<>();
        overrides.add("classes=" + Hocon.list(generated.classes()));
        generated.aliases().forEach((alias, name) -> overrides.add("aliases." + alias + "=" + Hocon.string(name)));
        overrides.add("prepare.inputs=" + Hocon.list(List.of(sample.toUri().toString())));
        String prepared = directory.resolve("prepared").toUri().toString();
        overrides.add("prepare.output=" + Hocon.string(prepared));
        overrides.add("prepare.overwrite=true");
        overrides.add("augment.input=" + Hocon.string(prepared));
        overrides.add("augment.output=" + Hocon.string(directory.resolve("shards").toUri().toString()));
        overrides.add("augment.overwrite=true");
        overrides.add("train.input=" + Hocon.string(directory.resolve("shards").toUri().toString()));
        overrides.add("train.output=" + Hocon.string(directory.resolve("train").toUri().toString()));
        overrides.add("train.overwrite=true");
        if (until.compareTo(Until.PUBLISH) >= 0) {
            overrides.add("publish.run=" + Hocon.string(directory.resolve("train").toUri().toString()));
            overrides.add("publish.store.uri=" + Hocon.string(releases(directory).toString()));
            overrides.add("publish.version=" + Hocon.string(VERSION.format(Instant.now())));
            overrides.add("publish.signing.private-key=" + Hocon.string(signingKeyMadeOnFirstUse(directory).toString()));
        }
        Config config = load.apply(overrides);
        TrainMemory.from(config).applyToThisJvm();
        SparkSession spark = SparkSessions.getOrCreate(config);

        PrepareSummary preparedSummary = new PrepareStage(spark, PrepareConfig.from(config), Clock.systemUTC()).run();
        print.accept(preparedSummary.text());
        AugmentSummary augmented = new AugmentStage(spark, AugmentConfig.from(config), Clock.systemUTC()).run();
        print.accept(augmented.text());
        if (until == Until.AUGMENT) {
            return new Result(generated, preparedSummary, augmented, Optional.empty(), Optional.empty(), Optional.empty());
        }
        TrainSummary trained = new TrainStage(spark, TrainConfig.from(config), Clock.systemUTC()).run();
        print.accept(trained.text());
        if (until == Until.TRAIN) {
            return new Result(generated, preparedSummary, augmented, Optional.of(trained), Optional.empty(), Optional.empty());
        }
        PublishSummary published = PublishCommand.run(config);
        print.accept(published.text());
        if (until == Until.PUBLISH) {
            return new Result(generated, preparedSummary, augmented, Optional.of(trained), Optional.of(published), Optional.empty());
        }
        LocalDevice.Result device = LocalDevice.syncAndDetect(directory.resolve("device"), releases(directory), published.manifest().model(),
                published.channel(), publicKey(directory), sampleImage(sample, generated));
        print.accept(device.text());
        return new Result(generated, preparedSummary, augmented, Optional.of(trained), Optional.of(published), Optional.of(device));
    }

    /** The sample's first image with objects: what the demo's device detects on. */
    private static Path sampleImage(Path sample, SampleManifest generated) {
        String id = generated.goodImageIds().stream().filter(image -> generated.goodObjectCounts().getOrDefault(image, 0) > 0).findFirst()
                .orElseThrow(() -> new YoloFleetException(ErrorCode.INTERNAL, "the sample in " + sample + " has no image with objects"));
        return sample.resolve(SampleDatasetGenerator.IMAGES).resolve(id + ".jpg");
    }

    private static Path signingKeyMadeOnFirstUse(Path directory) {
        Path privateKey = signingKey(directory);
        if (!Files.exists(privateKey)) {
            try {
                Files.createDirectories(privateKey.getParent());
            } catch (IOException failure) {
                throw new YoloFleetException(ErrorCode.IO, "cannot create " + privateKey.getParent() + ": " + failure.getMessage(), failure);
            }
            SigningKeys.write(SigningKeys.generate(), privateKey, publicKey(directory));
        }
        return privateKey;
    }
}
