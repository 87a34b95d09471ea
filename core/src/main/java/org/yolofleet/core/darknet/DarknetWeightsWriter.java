package org.yolofleet.core.darknet;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.ModelSpec;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * Writes a Darknet {@code .weights} file: the header of the weights' version (4- or 8-byte {@code seen}, see
 * {@link DarknetWeights}) and every convolutional layer, little-endian float32, after checking that the weights have
 * exactly the layout the spec needs ({@link ErrorCode#BAD_WEIGHTS} otherwise). Reading a written file back gives equal
 * weights, and writing those again gives the same bytes.
 */
public final class DarknetWeightsWriter {
    private static final int BUFFER_BYTES = 1 << 16;

    private DarknetWeightsWriter() {}

    public static void write(DarknetWeights weights, ModelSpec spec, Path file) {
        checkLayout(weights, spec);
        try (OutputStream output = Files.newOutputStream(file)) {
            writeTo(weights, output);
        }
        catch (IOException e) {
            throw new YoloFleetException(ErrorCode.IO, "cannot write weights file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes to a stream, which is flushed and left open. */
    public static void write(DarknetWeights weights, ModelSpec spec, OutputStream output) {
        requireNonNull(output, "output");
        checkLayout(weights, spec);
        try {
            writeTo(weights, output);
        }
        catch (IOException e) {
            throw new YoloFleetException(ErrorCode.IO, "cannot write weights: " + e.getMessage(), e);
        }
    }

    public static byte[] toBytes(DarknetWeights weights, ModelSpec spec) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        write(weights, spec, output);
        return output.toByteArray();
    }

    private static void checkLayout(DarknetWeights weights, ModelSpec spec) {
        requireNonNull(weights, "weights");
        DarknetWeightsLayout layout = DarknetWeightsLayout.of(requireNonNull(spec, "spec"));
        List<ConvolutionalLayout> layers = layout.layers();
        if (weights.layers().size() != layers.size()) {
            throw new YoloFleetException(ErrorCode.BAD_WEIGHTS, String.format(Locale.ROOT,
                    "the spec has %d convolutional layers, the weights have %d", layers.size(), weights.layers().size()));
        }
        for (int index = 0; index < layers.size(); index++) {
            layers.get(index).check(weights.layers().get(index));
        }
    }

    private static void writeTo(DarknetWeights weights, OutputStream destination) throws IOException {
        OutputStream output = new BufferedOutputStream(destination, BUFFER_BYTES);
        ByteBuffer header = ByteBuffer.allocate(weights.headerByteCount()).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(weights.major()).putInt(weights.minor()).putInt(weights.revision());
        if (weights.hasLongSeen()) {
            header.putLong(weights.seen());
        }
        else {
            header.putInt(Math.toIntExact(weights.seen()));
        }
        output.write(header.array());

        byte[] buffer = new byte[BUFFER_BYTES];
        FloatBuffer floats = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        for (ConvolutionalWeights layer : weights.layers()) {
            writeFloats(layer.biases(), buffer, floats, output);
            if (layer.hasBatchNormalization()) {
                writeFloats(layer.scales(), buffer, floats, output);
                writeFloats(layer.rollingMean(), buffer, floats, output);
                writeFloats(layer.rollingVariance(), buffer, floats, output);
            }
            writeFloats(layer.weights(), buffer, floats, output);
        }
        output.flush();
    }

    private static void writeFloats(float[] values, byte[] buffer, FloatBuffer floats, OutputStream output) throws IOException {
        int done = 0;
        while (done < values.length) {
            int chunk = Math.min(values.length - done, BUFFER_BYTES / Float.BYTES);
            floats.put(0, values, done, chunk);
            output.write(buffer, 0, chunk * Float.BYTES);
            done += chunk;
        }
    }
}
