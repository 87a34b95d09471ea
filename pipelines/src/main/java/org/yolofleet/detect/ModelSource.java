package org.yolofleet.detect;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A model as a user names it on the command line.
 *
 * @param model the model file: {@code *.onnx}, {@code *.zip} (DL4J checkpoint) or {@code *.cfg} (Darknet)
 * @param weights the Darknet {@code .weights} of a cfg; nothing else takes weights
 * @param classNames names replacing the model's own (a Darknet cfg has none: {@code class_0}, ... otherwise)
 */
public record ModelSource(Path model, Optional<Path> weights, Optional<List<String>> classNames) {
    public ModelSource {
        requireNonNull(model, "model");
        requireNonNull(weights, "weights");
        classNames = requireNonNull(classNames, "classNames").map(List::copyOf);
    }

    /** A model file that needs nothing else: an ONNX export or a checkpoint. */
    public static ModelSource of(Path model) {
        return new ModelSource(model, Optional.empty(), Optional.empty());
    }

    public ModelFormat format() {
        return ModelFormat.of(model);
    }
}
