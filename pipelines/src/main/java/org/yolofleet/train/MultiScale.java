package org.yolofleet.train;

import org.yolofleet.config.ConfigReader;
import org.yolofleet.config.ModelInput;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static java.util.Objects.requireNonNull;

/**
 * Multi-scale training, YOLOv2's {@code random=1}: the network is fully convolutional, so each averaging round can train
 * at another input size with the same weights (Darknet changes it every 10 minibatches). Each round draws a width from
 * {@code sizes} (the height keeps the network's aspect ratio, rounded to a multiple of 32), seeded by the run's seed,
 * the epoch and the round, so a resumed run draws the same sizes. Smaller sizes cost less (a 288 px minibatch about half
 * of a 416 px one): more minibatches in the same time, and objects seen at several scales. The last
 * {@code fullSizeEpochs} epochs train at the network's own size only, the size validation and inference use.
 *
 * @param sizes          input widths to draw from (multiples of 32, at least 64); empty = the network's size always
 * @param fullSizeEpochs the last epochs of the run that train at the network's size
 */
public record MultiScale(List<Integer> sizes, int fullSizeEpochs) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final int STRIDE = 32;
    private static final int MAX_SIZE = 4096;

    public static final MultiScale OFF = new MultiScale(List.of(), 0);

    public MultiScale {
        sizes = List.copyOf(requireNonNull(sizes, "sizes"));
        for (int size : sizes) {
            if (size < 2 * STRIDE || size % STRIDE != 0) {
                throw new IllegalArgumentException("multi-scale sizes must be multiples of 32 of at least 64, got " + size);
            }
        }
        if (fullSizeEpochs < 0) {
            throw new IllegalArgumentException("full-size epochs must not be negative, got " + fullSizeEpochs);
        }
    }

    /** Reads {@code train.multi-scale}: {@code sizes} and {@code full-size-epochs}. */
    public static MultiScale read(ConfigReader reader) {
        List<Integer> sizes = new ArrayList<>();
        for (long size : reader.longIntegers("sizes", 2 * STRIDE, MAX_SIZE)) {
            if (size % STRIDE != 0) {
                throw new YoloFleetException(ErrorCode.CONFIG, reader.key("sizes") + ": " + size
                        + " is not allowed: input widths are multiples of 32 from 64 to " + MAX_SIZE + " (e.g. [288, 320, 352, 384, 416])");
            }
            sizes.add((int) size);
        }
        return new MultiScale(sizes, reader.integer("full-size-epochs", 0, 100_000));
    }

    public boolean enabled() {
        return !sizes.isEmpty();
    }

    /** One line for the training summary: the sizes the rounds train at. */
    public String describe(ModelInput network) {
        String full = network.width() + " x " + network.height();
        if (!enabled()) {
            return full;
        }
        return "multi-scale: each averaging round at a width drawn from " + sizes + (fullSizeEpochs > 0
                ? ", the last " + (fullSizeEpochs == 1 ? "epoch" : fullSizeEpochs + " epochs") + " at " + full : "")
                + "; validation at " + full;
    }

    /** The input of one averaging round: a drawn size, or the network's own in the last epochs and when off. */
    public ModelInput inputFor(ModelInput network, long seed, int epoch, int epochs, int round) {
        if (!enabled() || epoch > epochs - fullSizeEpochs) {
            return network;
        }
        SplittableRandom random = new SplittableRandom(seed + 0x9E3779B97F4A7C15L * (epoch * 1_000_003L + round));
        int width = sizes.get(random.nextInt(sizes.size()));
        int height = Math.max(STRIDE, (int) Math.round((double) width * network.height() / network.width() / STRIDE) * STRIDE);
        return new ModelInput(width, height, network.resizeMode());
    }
}
