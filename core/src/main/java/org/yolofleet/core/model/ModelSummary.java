package org.yolofleet.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * What a model is, layer by layer: output shapes (C x H x W), parameter counts and FLOPs, with totals and a text table
 * for reports. FLOPs follow Darknet's convention (see {@link LayerSummary#flops()}), so Tiny-YOLOv2 VOC at 416 x 416
 * totals 6.97 GFLOP, the "6.97 BFLOPs" Darknet prints.
 */
public record ModelSummary(TensorShape input, List<LayerSummary> layers) {
    public ModelSummary {
        requireNonNull(input, "input");
        layers = List.copyOf(requireNonNull(layers, "layers"));
    }

    public static ModelSummary of(ModelSpec spec) {
        List<LayerSummary> rows = new ArrayList<>();
        List<TensorShape> inputs = spec.inputShapes();
        for (int index = 0; index < spec.layers().size(); index++) {
            rows.add(LayerSummary.of(index, spec.layers().get(index), inputs.get(index)));
        }
        return new ModelSummary(spec.inputShape(), rows);
    }

    public long parameterCount() {
        return layers.stream().mapToLong(LayerSummary::parameterCount).sum();
    }

    public long flops() {
        return layers.stream().mapToLong(LayerSummary::flops).sum();
    }

    /** Total FLOPs in billions, as Darknet's BFLOPs. */
    public double gigaFlops() {
        return flops() / 1e9;
    }

    /** The summary as a fixed-width text table, one line per layer and a total line. */
    public String toTable() {
        String format = "%5s  %-13s  %-24s  %-13s  %-13s  %12s  %8s%n";
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, format, "layer", "type", "settings", "input", "output", "parameters", "GFLOP"));
        for (LayerSummary layer : layers) {
            table.append(String.format(Locale.ROOT, format, layer.index(), layer.type(), layer.description(), layer.input(),
                    layer.output(), String.format(Locale.ROOT, "%,d", layer.parameterCount()),
                    String.format(Locale.ROOT, "%.3f", layer.flops() / 1e9)));
        }
        table.append(String.format(Locale.ROOT, "total: %d layers, input %s, %,d parameters, %.2f GFLOP%n",
                layers.size(), input, parameterCount(), gigaFlops()));
        return table.toString();
    }
}
