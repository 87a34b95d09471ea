package org.yolofleet.config;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.ResizeMode;

import java.io.Serial;
import java.io.Serializable;

import static java.util.Objects.requireNonNull;

/** The network input the data is prepared for: size in pixels (multiples of 32) and how images reach it. */
public record ModelInput(int width, int height, ResizeMode resizeMode) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    public static final int STRIDE = 32;

    public ModelInput {
        requireNonNull(resizeMode, "resizeMode");
        if (width <= 0 || width % STRIDE != 0 || height <= 0 || height % STRIDE != 0) {
            throw new IllegalArgumentException("input size must be positive multiples of 32, got " + width + "x" + height);
        }
    }

    public int gridWidth() {
        return width / STRIDE;
    }

    public int gridHeight() {
        return height / STRIDE;
    }

    /** Reads the {@code yolofleet.model} section. */
    public static ModelInput read(ConfigReader model) {
        int width = model.integer("input-width", STRIDE, 4096);
        int height = model.integer("input-height", STRIDE, 4096);
        if (width % STRIDE != 0) {
            throw new YoloFleetException(ErrorCode.CONFIG,
                    model.key("input-width") + " = " + width + " is not allowed: use a multiple of 32 (e.g. 416)");
        }
        if (height % STRIDE != 0) {
            throw new YoloFleetException(ErrorCode.CONFIG,
                    model.key("input-height") + " = " + height + " is not allowed: use a multiple of 32 (e.g. 416)");
        }
        return new ModelInput(width, height, model.enumeration("resize-mode", ResizeMode.class));
    }
}
