package org.yolofleet.bench;

import org.junit.jupiter.api.Test;
import org.yolofleet.core.model.TinyYoloV2;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PeersBenchmarkTest {
    @Test
    void describesOurLayerListForThePyTorchScript() {
        List<String> layers = List.of(PeersBenchmark.torchLayers(TinyYoloV2.voc()).split(","));

        assertThat(layers).hasSize(TinyYoloV2.voc().layers().size());
        assertThat(layers.get(0)).isEqualTo("conv:16:3:1:1:1:leaky");
        // Darknet pads size - 1 after; on an even input with stride 2 that cell is never read
        assertThat(layers.get(1)).isEqualTo("max:2:2:0:1");
        // Darknet's 2x2 stride-1 maxpool keeps 13x13 by padding right and bottom only
        assertThat(layers).contains("max:2:1:0:1");
        assertThat(layers.get(layers.size() - 2)).isEqualTo("conv:125:1:1:0:0:linear");
        assertThat(layers.get(layers.size() - 1)).isEqualTo("region");
    }

    @Test
    void readsTheScriptsTimings() {
        String line = "{\"forward\": [40.5, 41.25], \"training\": [101.0]}";

        assertThat(PeersBenchmark.TorchSide.numbers(line, "forward")).containsExactly(40.5, 41.25);
        assertThat(PeersBenchmark.TorchSide.numbers(line, "training")).containsExactly(101.0);
    }

    @Test
    void sumsOneDnnPrimitivesByKindAndSplitsWeightFromActivationReorders() {
        List<String> lines = List.of(
                "onednn_verbose,exec,cpu,convolution,jit:avx512_core,forward_inference,src_f32::blocked:aBcd16b:f0,,alg:convolution_direct,mb8_ic3oc16,10.5",
                "onednn_verbose,exec,cpu,convolution,jit:avx512_core,forward_inference,src_f32::blocked:aBcd16b:f0,,alg:convolution_direct,mb8_ic16oc32,4.5",
                "onednn_verbose,exec,cpu,reorder,simple:any,undef,src_f32::blocked:abcd:f0 dst_f32::blocked:aBcd16b:f0,,,8x16x416x416,2.0",
                "onednn_verbose,exec,cpu,reorder,simple:any,undef,src_f32::blocked:abcd:f0 dst_f32::blocked:ABcd16a16b:f0,,,512x256x3x3,3.0");

        String summary = PeersBenchmark.summarizeVerbose(lines, 8, 40.0);

        assertThat(summary).contains("4 primitive executions, 20.0 ms in all")
                .containsPattern("convolution forward_inference\\s+15\\.0 ms\\s+75\\.0 %\\s+\\(2 calls\\)")
                .contains("3.0 ms of weights", "2.0 ms of activations")
                .contains("20.0 ms (50 %) outside oneDNN");
    }
}
