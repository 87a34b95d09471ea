package org.yolofleet.jobs;

import org.yolofleet.dataset.SampleDatasetGenerator;
import org.yolofleet.dataset.SampleManifest;
import org.yolofleet.dataset.SampleOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code yolofleet generate-sample}: a deterministic synthetic VOC dataset on the local disk. */
@Command(name = "generate-sample", mixinStandardHelpOptions = true,
        description = {"Write a seeded synthetic VOC dataset (Annotations/, JPEGImages/, ImageSets/Main/): shapes on textured",
                "backgrounds, several image sizes, overlapping and border-touching objects; optionally one broken record of",
                "every known kind (--inject-faults) to demonstrate the quarantine."})
public final class GenerateSampleCommand implements Callable<Integer> {
    @Option(names = "--output", paramLabel = "DIR", required = true, description = "directory to write the VOC dataset into")
    Path output;

    @Option(names = "--images", paramLabel = "N", defaultValue = "400", description = "number of good images (default: ${DEFAULT-VALUE})")
    int images;

    @Option(names = "--classes", paramLabel = "K", defaultValue = "4", description = "number of shape classes, 1-6 (default: ${DEFAULT-VALUE})")
    int classes;

    @Option(names = "--max-objects", paramLabel = "M", defaultValue = "6", description = "objects per image at most (default: ${DEFAULT-VALUE})")
    int maxObjects;

    @Option(names = "--min-object-side", paramLabel = "PX", defaultValue = "12",
            description = "smallest side of a drawn object in pixels (default: ${DEFAULT-VALUE}; run-local's sample: 48)")
    int minObjectSide;

    @Option(names = "--separate-objects", description = "shapes never overlap one another (run-local's sample does this)")
    boolean separateObjects;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "7", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--inject-faults", description = "add one broken record of every known kind")
    boolean injectFaults;

    @Override
    public Integer call() {
        SampleOptions options = SampleOptions.defaults(seed, images).withClassCount(classes)
                .withMaxObjectsPerImage(maxObjects).withInjectedFaults(injectFaults)
                .withMinObjectSide(minObjectSide).withSeparateObjects(separateObjects);
        SampleManifest manifest = new SampleDatasetGenerator(options).generate(output);
        System.out.printf("generate-sample: %d good images, %d objects, %d injected faults -> %s%n"
                        + "  configure: classes = %s, aliases = %s%n",
                manifest.goodImageIds().size(), manifest.goodObjectCount(), manifest.faults().size(), output.toAbsolutePath(),
                manifest.classes(), manifest.aliases());
        return 0;
    }
}
