package org.yolofleet.core.darknet;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.Anchor;
import org.yolofleet.core.model.ConvolutionalLayer;
import org.yolofleet.core.model.LayerSpec;
import org.yolofleet.core.model.MaxPoolLayer;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.NetOptions;
import org.yolofleet.core.model.RegionLayer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Writes a {@link ModelSpec} as a Darknet {@code .cfg} file that Darknet runs and {@link DarknetCfgReader} reads back
 * to an equal spec. Every supported key is written, defaults included. The resize mode goes into the AlexeyAB fork's
 * {@code letter_box} key of {@code [net]}; pjreddie's Darknet ignores it (with an "Unused field" note) and letterboxes.
 */
public final class DarknetCfgWriter {
    private DarknetCfgWriter() {}

    public static String write(ModelSpec spec) {
        requireNonNull(spec, "spec");
        StringBuilder cfg = new StringBuilder();
        writeNet(spec, cfg);
        for (LayerSpec layer : spec.layers()) {
            cfg.append('\n');
            layer.accept(new LayerSpec.Visitor<Void>() {
                @Override
                public Void visitConvolutional(ConvolutionalLayer convolution) {
                    cfg.append("[convolutional]\n");
                    key(cfg, "batch_normalize", flag(convolution.batchNormalize()));
                    key(cfg, "filters", convolution.filters());
                    key(cfg, "size", convolution.size());
                    key(cfg, "stride", convolution.stride());
                    key(cfg, "pad", flag(convolution.pad()));
                    key(cfg, "activation", DarknetNames.activation(convolution.activation()));
                    return null;
                }

                @Override
                public Void visitMaxPool(MaxPoolLayer maxPool) {
                    cfg.append("[maxpool]\n");
                    key(cfg, "size", maxPool.size());
                    key(cfg, "stride", maxPool.stride());
                    return null;
                }

                @Override
                public Void visitRegion(RegionLayer region) {
                    writeRegion(region, cfg);
                    return null;
                }
            });
        }
        return cfg.toString();
    }

    public static void write(ModelSpec spec, Path file) {
        String text = write(spec);
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new YoloFleetException(ErrorCode.IO, "cannot write cfg file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeNet(ModelSpec spec, StringBuilder cfg) {
        NetOptions net = spec.netOptions();
        cfg.append("[net]\n");
        key(cfg, "batch", net.batch());
        key(cfg, "subdivisions", net.subdivisions());
        key(cfg, "width", spec.width());
        key(cfg, "height", spec.height());
        key(cfg, "channels", spec.channels());
        key(cfg, "letter_box", switch (spec.resizeMode()) {
            case LETTERBOX -> "1";
            case RESIZE -> "0";
        });
        key(cfg, "resize_filter", spec.resizeFilter().key());
        key(cfg, "momentum", DarknetNames.decimal(net.momentum()));
        key(cfg, "decay", DarknetNames.decimal(net.decay()));
        key(cfg, "angle", DarknetNames.decimal(net.angle()));
        key(cfg, "saturation", DarknetNames.decimal(net.saturation()));
        key(cfg, "exposure", DarknetNames.decimal(net.exposure()));
        key(cfg, "hue", DarknetNames.decimal(net.hue()));
        cfg.append('\n');
        key(cfg, "learning_rate", DarknetNames.decimal(net.learningRate()));
        key(cfg, "burn_in", net.burnIn());
        key(cfg, "max_batches", net.maxBatches());
        key(cfg, "policy", DarknetNames.policy(net.policy()));
        if (!net.steps().isEmpty()) {
            key(cfg, "steps", net.steps().stream().map(String::valueOf).collect(Collectors.joining(",")));
            key(cfg, "scales", net.scales().stream().map(DarknetNames::decimal).collect(Collectors.joining(",")));
        }
    }

    private static void writeRegion(RegionLayer region, StringBuilder cfg) {
        cfg.append("[region]\n");
        key(cfg, "anchors", anchors(region.anchors()));
        key(cfg, "bias_match", flag(region.biasMatch()));
        key(cfg, "classes", region.classes());
        key(cfg, "coords", region.coordinates());
        key(cfg, "num", region.anchorCount());
        key(cfg, "softmax", flag(region.softmax()));
        key(cfg, "jitter", DarknetNames.decimal(region.jitter()));
        key(cfg, "rescore", flag(region.rescore()));
        key(cfg, "object_scale", DarknetNames.decimal(region.objectScale()));
        key(cfg, "noobject_scale", DarknetNames.decimal(region.noObjectScale()));
        key(cfg, "class_scale", DarknetNames.decimal(region.classScale()));
        key(cfg, "coord_scale", DarknetNames.decimal(region.coordinateScale()));
        key(cfg, "absolute", flag(region.absolute()));
        key(cfg, "thresh", DarknetNames.decimal(region.threshold()));
        key(cfg, "random", flag(region.multiScaleTraining()));
    }

    private static String anchors(List<Anchor> anchors) {
        return anchors.stream()
                .map(anchor -> DarknetNames.decimal(anchor.width()) + "," + DarknetNames.decimal(anchor.height()))
                .collect(Collectors.joining(",  "));
    }

    private static int flag(boolean value) {
        return value ? 1 : 0;
    }

    private static void key(StringBuilder cfg, String key, Object value) {
        cfg.append(key).append('=').append(value).append('\n');
    }
}
