package org.yolofleet.jobs;

import org.yolofleet.train.TrainSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code yolofleet run-local}: every stage, on this machine, on a generated sample dataset ({@link LocalDemo}), with
 * the embedded {@code conf/local.conf} over the defaults (Spark local[*], the local disk). No AWS account, no network.
 */
@Command(name = "run-local", mixinStandardHelpOptions = true,
        description = {"Run the whole pipeline locally on a generated sample dataset (Spark local[*], the local disk):",
                "generate-sample -> prepare -> augment -> train -> publish -> a device, printing each summary, then the val mAP and the",
                "release; the device is a Raspberry Pi agent (<workdir>/device) that installs the release and detects on an image.",
                "The release goes to <workdir>/releases, signed with <workdir>/keys/signing.pem (made on first use), a new version",
                "each run. Settings: conf/local.conf over conf/defaults.conf, then --conf and --set. Outputs go under --workdir."})
public final class RunLocalCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configuration;

    @Option(names = "--workdir", paramLabel = "DIR", defaultValue = "work-local",
            description = "where the sample and every stage's output go (default: ${DEFAULT-VALUE})")
    Path workDirectory;

    @Option(names = "--images", paramLabel = "N", defaultValue = "" + LocalDemo.DEFAULT_IMAGES,
            description = "sample images to generate (default: ${DEFAULT-VALUE})")
    int images;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "" + LocalDemo.DEFAULT_SEED,
            description = "sample generator seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--no-faults", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "inject one broken record of every known kind into the sample (default: on) so the quarantine shows")
    boolean injectFaults;

    @Option(names = "--epochs", paramLabel = "N",
            description = {"epochs to train (default: yolofleet.train.epochs of conf/local.conf); 0 skips training"})
    Integer epochs;

    @Override
    public Integer call() {
        List<String> extra = new ArrayList<>();
        boolean train = epochs == null || epochs > 0;
        if (epochs != null && epochs > 0) {
            extra.add("train.epochs=" + epochs);
        }
        LocalDemo.Result result = LocalDemo.run(workDirectory, LocalDemo.sampleOptions(seed, images, injectFaults),
                train ? LocalDemo.Until.DEVICE : LocalDemo.Until.AUGMENT, overrides -> {
                    List<String> all = new ArrayList<>(overrides);
                    all.addAll(extra);
                    return configuration.loadLocal(all);
                }, System.out::print);
        if (result.trained().isEmpty()) {
            System.out.println("train, publish, device: skipped (--epochs 0)");
            return 0;
        }
        TrainSummary trained = result.trained().get();
        System.out.printf("run-local: val mAP@0.5 %.4f (VOC2010+ area), %.4f (VOC2007 11-point) at epoch %d of %d, %.1f minutes of training%n",
                trained.best().mapArea(), trained.best().mapElevenPoint(), trained.best().epoch(), trained.last().epoch(), trained.seconds() / 60);
        result.published().ifPresent(published -> System.out.printf("run-local: release %s %s, signed with %s; check it as a device would:%n"
                        + "  ./yolofleet publish verify --store %s --model %s --version-name %s --public-key %s%n", published.manifest().model(),
                published.manifest().version(), LocalDemo.signingKey(workDirectory), published.store(), published.manifest().model(),
                published.manifest().version(), LocalDemo.publicKey(workDirectory)));
        return 0;
    }
}
