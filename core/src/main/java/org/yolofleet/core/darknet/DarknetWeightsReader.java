package org.yolofleet.core.darknet;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.ModelSpec;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * Reads a Darknet {@code .weights} file against the spec it was trained with, streaming: memory holds the values and
 * one 64 KiB buffer.
 *
 * <p>Reads every convolutional layer and then insists on the end of the file, or with {@link #firstLayers(int)} only
 * the first layers and ignores the rest (transfer learning: keep the backbone, re-initialise the head). A file that
 * does not fit the spec fails with {@link ErrorCode#BAD_WEIGHTS}, naming the layer and the expected and found byte
 * counts: a truncated file, or one with bytes left over after the last layer (weights of another cfg: more or larger
 * layers, other classes or anchors).
 *
 * <pre>{@code
 * DarknetWeights all = DarknetWeightsReader.forModel(TinyYoloV2.voc()).read(path);
 * DarknetWeights backbone = DarknetWeightsReader.forModel(TinyYoloV2.voc()).firstLayers(8).read(path);
 * }</pre>
 */
public final class DarknetWeightsReader {
    private static final int BUFFER_BYTES = 1 << 16;
    private static final int VERSION_BYTES = 3 * Integer.BYTES;

    private final DarknetWeightsLayout layout;
    private final boolean wholeFile;

    private DarknetWeightsReader(DarknetWeightsLayout layout, boolean wholeFile) {
        this.layout = requireNonNull(layout, "layout");
        this.wholeFile = wholeFile;
    }

    /** A reader of all convolutional layers of the spec, and nothing after them. */
    public static DarknetWeightsReader forModel(ModelSpec spec) {
        return new DarknetWeightsReader(DarknetWeightsLayout.of(spec), true);
    }

    /** A reader of only the first {@code count} convolutional layers (at least 1); the rest of the file is not read. */
    public DarknetWeightsReader firstLayers(int count) {
        return new DarknetWeightsReader(layout.firstLayers(count), false);
    }

    public DarknetWeights read(Path file) {
        try (InputStream input = Files.newInputStream(file)) {
            return read(input, file.toString());
        }
        catch (NoSuchFileException e) {
            throw new YoloFleetException(ErrorCode.NOT_FOUND, "weights file not found: " + file, e);
        }
        catch (IOException e) {
            throw new YoloFleetException(ErrorCode.IO, "cannot read weights file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads from a stream, which is left open.
     *
     * @param sourceName names the source in error messages
     */
    public DarknetWeights read(InputStream input, String sourceName) {
        requireNonNull(input, "input");
        requireNonNull(sourceName, "sourceName");
        try {
            return readFrom(new LittleEndianInput(new BufferedInputStream(input, BUFFER_BYTES)), sourceName);
        }
        catch (IOException e) {
            throw new YoloFleetException(ErrorCode.IO, "cannot read weights " + sourceName + ": " + e.getMessage(), e);
        }
    }

    private DarknetWeights readFrom(LittleEndianInput input, String source) throws IOException {
        if (input.fill(VERSION_BYTES) < VERSION_BYTES) {
            throw badWeights(source, "the header needs at least %d bytes, found %d", VERSION_BYTES + Integer.BYTES, input.position());
        }
        int major = input.bytes().getInt(0);
        int minor = input.bytes().getInt(Integer.BYTES);
        int revision = input.bytes().getInt(2 * Integer.BYTES);
        int seenBytes = DarknetWeights.hasLongSeen(major, minor) ? Long.BYTES : Integer.BYTES;
        if (input.fill(seenBytes) < seenBytes) {
            throw badWeights(source, "version %d.%d.%d has a %d-byte header, found %d bytes", major, minor, revision,
                    VERSION_BYTES + seenBytes, input.position());
        }
        long seen = seenBytes == Long.BYTES ? input.bytes().getLong(0) : input.bytes().getInt(0);
        if (major < 0 || minor < 0 || revision < 0 || seen < 0) {
            throw badWeights(source, "the header (version %d.%d.%d, seen %d) has negative values: not a Darknet weights file",
                    major, minor, revision, seen);
        }

        long expectedFileBytes = layout.fileByteCount(major, minor);
        List<ConvolutionalWeights> layers = new ArrayList<>(layout.layers().size());
        for (ConvolutionalLayout layer : layout.layers()) {
            layers.add(readLayer(input, layer, source, expectedFileBytes));
        }
        if (wholeFile) {
            long trailing = input.skipRest();
            if (trailing > 0) {
                throw badWeights(source, "%,d bytes follow the last of %d convolutional layers: expected a file of %,d bytes for this cfg,"
                                + " found %,d; the weights belong to another cfg (layer count, filters, classes or anchors differ)",
                        trailing, layout.layers().size(), expectedFileBytes, input.position());
            }
        }
        return new DarknetWeights(major, minor, revision, seen, layers);
    }

    private ConvolutionalWeights readLayer(LittleEndianInput input, ConvolutionalLayout layer, String source, long expectedFileBytes)
            throws IOException {
        long layerStart = input.position();
        LayerPartReader parts = count -> {
            float[] values = new float[count];
            int done = 0;
            while (done < count) {
                int chunk = Math.min(count - done, BUFFER_BYTES / Float.BYTES);
                if (input.fill(chunk * Float.BYTES) < chunk * Float.BYTES) {
                    throw truncated(source, layer, input.position() - layerStart, input.position(), expectedFileBytes);
                }
                input.floats().get(0, values, done, chunk);
                done += chunk;
            }
            return values;
        };
        int filters = layer.layer().filters();
        float[] biases = parts.read(filters);
        if (layer.layer().batchNormalize()) {
            float[] scales = parts.read(filters);
            float[] rollingMean = parts.read(filters);
            float[] rollingVariance = parts.read(filters);
            return ConvolutionalWeights.withBatchNormalization(biases, scales, rollingMean, rollingVariance,
                    parts.read(Math.toIntExact(layer.weightCount())));
        }
        return ConvolutionalWeights.withoutBatchNormalization(biases, parts.read(Math.toIntExact(layer.weightCount())));
    }

    private YoloFleetException truncated(String source, ConvolutionalLayout layer, long foundInLayer, long fileBytes, long expectedFileBytes) {
        String whole = wholeFile
                ? String.format(Locale.ROOT, "this cfg needs %,d", expectedFileBytes)
                : String.format(Locale.ROOT, "the first %d convolutional layers of this cfg need %,d", layout.layers().size(), expectedFileBytes);
        return badWeights(source, "truncated in %s: expected %,d bytes for this layer, found %,d; the file ends after %,d bytes where %s"
                        + " (wrong layer count, or the weights belong to another cfg)",
                layer.describe(), layer.byteCount(), foundInLayer, fileBytes, whole);
    }

    private static YoloFleetException badWeights(String source, String format, Object... arguments) {
        return new YoloFleetException(ErrorCode.BAD_WEIGHTS, source + ": " + String.format(Locale.ROOT, format, arguments));
    }

    @FunctionalInterface
    private interface LayerPartReader {
        float[] read(int count) throws IOException;
    }

    /** A stream read in chunks into one little-endian buffer, counting the bytes read. */
    private static final class LittleEndianInput {
        private final InputStream input;
        private final byte[] buffer = new byte[BUFFER_BYTES];
        private final ByteBuffer bytes = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN);
        private final FloatBuffer floats = bytes.asFloatBuffer();
        private long position;

        LittleEndianInput(InputStream input) {
            this.input = input;
        }

        /** Reads up to {@code length} bytes to the start of the buffer; returns how many, fewer only at the end. */
        int fill(int length) throws IOException {
            int read = input.readNBytes(buffer, 0, length);
            position += read;
            return read;
        }

        ByteBuffer bytes() {
            return bytes;
        }

        FloatBuffer floats() {
            return floats;
        }

        long position() {
            return position;
        }

        /** Reads to the end; returns the bytes that were left. */
        long skipRest() throws IOException {
            long rest = input.transferTo(OutputStream.nullOutputStream());
            position += rest;
            return rest;
        }
    }
}
