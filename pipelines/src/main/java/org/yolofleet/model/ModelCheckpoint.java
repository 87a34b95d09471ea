package org.yolofleet.model;

import org.yolofleet.core.model.ResizeFilter;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.yolofleet.core.darknet.DarknetCfgReader;
import org.yolofleet.core.darknet.DarknetCfgWriter;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.ClassNames;
import org.yolofleet.core.model.ModelSpec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static java.util.Objects.requireNonNull;

/**
 * A DL4J checkpoint that knows what network it holds: DL4J's own {@link ModelSerializer} zip (configuration,
 * parameters, optionally the updater state) plus two entries of ours, so {@code detect} and later stages need nothing
 * beside the file:
 * <ul>
 *   <li>{@value #SPEC_ENTRY}: the {@link ModelSpec} as a Darknet cfg ({@link DarknetCfgWriter}; the resize mode is the
 *       {@code letter_box} key), with its input size, anchors and class count;</li>
 *   <li>{@value #CLASSES_ENTRY}: the class names, one per line in class-index order (Darknet's {@code .names} format).</li>
 * </ul>
 * DL4J ignores entries it does not know, so the file stays a plain DL4J model for any DL4J tool.
 */
public final class ModelCheckpoint {
    /** The zip entry holding the model spec as Darknet cfg text. */
    public static final String SPEC_ENTRY = "yolofleet-model.cfg";
    /** The zip entry holding the class names, one per line. */
    public static final String CLASSES_ENTRY = "yolofleet-classes.names";

    private ModelCheckpoint() {}

    /** A checkpoint read back: the network, its spec and its class names. */
    public record Contents(ComputationGraph network, ModelSpec spec, List<String> classNames) {
        public Contents {
            requireNonNull(network, "network");
            requireNonNull(spec, "spec");
            classNames = List.copyOf(requireNonNull(classNames, "classNames"));
        }
    }

    /**
     * Writes the network with its spec and class names.
     *
     * @param saveUpdater whether to keep the updater state (to resume training; larger file)
     */
    public static void write(ComputationGraph network, ModelSpec spec, List<String> classNames, Path file, boolean saveUpdater) {
        requireNonNull(network, "network");
        requireNonNull(spec, "spec");
        requireNonNull(file, "file");
        List<String> names = ClassNames.check(classNames, spec.classCount());
        try {
            ModelSerializer.writeModel(network, file.toFile(), saveUpdater);
            try (FileSystem zip = FileSystems.newFileSystem(file)) {
                Files.writeString(zip.getPath(SPEC_ENTRY), DarknetCfgWriter.write(spec), StandardCharsets.UTF_8);
                Files.writeString(zip.getPath(CLASSES_ENTRY), String.join("\n", names) + "\n", StandardCharsets.UTF_8);
            }
        }
        catch (IOException e) {
            throw new YoloFleetException(ErrorCode.IO, "cannot write the checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a checkpoint {@link #write} wrote. {@link ErrorCode#BAD_MODEL_SPEC} when it lacks our entries (a zip from
     * elsewhere: pass its cfg and names another way) or they do not fit each other.
     */
    public static Contents read(Path file) {
        requireNonNull(file, "file");
        ModelSpec spec;
        List<String> classNames;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            spec = DarknetCfgReader.parse(entry(zip, SPEC_ENTRY, file), file.getFileName() + "!" + SPEC_ENTRY, ResizeFilter.AREA);
            classNames = ClassNames.parseLines(entry(zip, CLASSES_ENTRY, file));
        }
        catch (IOException e) {
            if (!Files.exists(file)) {
                throw new YoloFleetException(ErrorCode.NOT_FOUND, "checkpoint not found: " + file, e);
            }
            throw new YoloFleetException(ErrorCode.BAD_MODEL_SPEC, "cannot read the checkpoint " + file + " as a zip: " + e.getMessage(), e);
        }
        if (classNames.size() != spec.classCount()) {
            throw new YoloFleetException(ErrorCode.BAD_MODEL_SPEC, file + ": " + SPEC_ENTRY + " has " + spec.classCount() + " classes, "
                    + CLASSES_ENTRY + " names " + classNames.size());
        }
        // DL4J attaches its oneDNN helpers when layers are created, so the fast configuration comes first
        Nd4jRuntime.applyFastConfiguration();
        ComputationGraph network;
        try {
            network = ModelSerializer.restoreComputationGraph(file.toFile(), false);
        }
        catch (IOException | RuntimeException e) {
            throw new YoloFleetException(ErrorCode.BAD_MODEL_SPEC, "DL4J cannot restore the network in " + file + ": " + e.getMessage(), e);
        }
        return new Contents(network, spec, classNames);
    }

    /** Whether the zip carries our entries (the other zips are plain DL4J models). */
    public static boolean hasSpec(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return zip.getEntry(SPEC_ENTRY) != null && zip.getEntry(CLASSES_ENTRY) != null;
        }
        catch (IOException e) {
            return false;
        }
    }

    private static String entry(ZipFile zip, String name, Path file) throws IOException {
        ZipEntry entry = Optional.ofNullable(zip.getEntry(name)).orElseThrow(() -> new YoloFleetException(ErrorCode.BAD_MODEL_SPEC,
                file + " has no " + name + " entry: it is not a yolofleet checkpoint (found " + entryNames(zip) + ")"));
        try (InputStream input = zip.getInputStream(entry)) {
            return new String(input.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<String> entryNames(ZipFile zip) {
        List<String> names = new ArrayList<>();
        zip.stream().limit(10).forEach(entry -> names.add(entry.getName()));
        return names;
    }
}
