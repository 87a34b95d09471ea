package org.yolofleet.core.darknet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.model.Activation;
import org.yolofleet.core.model.Anchor;
import org.yolofleet.core.model.ConvolutionalLayer;
import org.yolofleet.core.model.LayerSpec;
import org.yolofleet.core.model.LearningRatePolicy;
import org.yolofleet.core.model.MaxPoolLayer;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.NetOptions;
import org.yolofleet.core.model.RegionLayer;
import org.yolofleet.core.model.ResizeMode;
import org.yolofleet.core.model.TinyYoloV2;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DarknetCfgWriterTest {
    private static ModelSpec unusualSpec() {
        NetOptions net = new NetOptions(64, 8, 0.95, 0.00001, 7.5, 1.25, 2, 0.05, 0.0001234, 500, 12345, LearningRatePolicy.CONSTANT,
                List.of(), List.of());
        RegionLayer region = new RegionLayer(List.of(new Anchor(0.57273, 0.677385), new Anchor(12.5, 3)), 2, 4, false, 0.3, false, 2.5, 0.5,
                1.5, 3, false, 0.45, false, false);
        List<LayerSpec> layers = List.of(
                new ConvolutionalLayer(8, 3, 2, true, true, Activation.RELU),
                new MaxPoolLayer(3, 2),
                new ConvolutionalLayer(8, 5, 1, false, false, Activation.LOGISTIC),
                new MaxPoolLayer(2, 1),
                new ConvolutionalLayer(region.outputChannels(), 1, 1, false, false, Activation.LINEAR),
                region);
        return new ModelSpec(96, 64, 1, ResizeMode.RESIZE, net, layers);
    }

    @Test
    void readingWhatWasWrittenGivesTheSameSpec() {
        for (ModelSpec spec : List.of(TinyYoloV2.voc(), TinyYoloV2.coco(), TinyYoloV2.spec(3, List.of(new Anchor(1.5, 2.25)), 608, 320,
                ResizeMode.RESIZE), unusualSpec())) {
            assertThat(DarknetCfgReader.parse(DarknetCfgWriter.write(spec))).isEqualTo(spec);
        }
    }

    @Test
    void writesTheVocNetworkWithDarknetsKeysAndValues() {
        String cfg = DarknetCfgWriter.write(TinyYoloV2.voc());

        assertThat(cfg).startsWith("[net]\nbatch=1\nsubdivisions=1\nwidth=416\nheight=416\nchannels=3\nletter_box=1\nresize_filter=area\n");
        assertThat(cfg).contains("decay=0.0005\n", "hue=0.1\n", "max_batches=40200\n", "policy=steps\n", "steps=-1,100,20000,30000\n",
                "scales=0.1,10,0.1,0.1\n");
        assertThat(cfg.split("\\[convolutional]", -1)).hasSize(10);
        assertThat(cfg.split("\\[maxpool]", -1)).hasSize(7);
        assertThat(cfg).contains("[maxpool]\nsize=2\nstride=1\n");
        assertThat(cfg).contains("[convolutional]\nbatch_normalize=0\nfilters=125\nsize=1\nstride=1\npad=1\nactivation=linear\n");
        assertThat(cfg).endsWith("[region]\nanchors=1.08,1.19,  3.42,4.41,  6.63,11.38,  9.42,5.11,  16.62,10.52\nbias_match=1\nclasses=20\n"
                + "coords=4\nnum=5\nsoftmax=1\njitter=0.2\nrescore=1\nobject_scale=5\nnoobject_scale=1\nclass_scale=1\ncoord_scale=1\n"
                + "absolute=1\nthresh=0.6\nrandom=1\n");
    }

    @Test
    void writesPlainDecimalsAndTheResizeMode() {
        String cfg = DarknetCfgWriter.write(unusualSpec());

        assertThat(cfg).contains("letter_box=0\n", "decay=0.00001\n", "learning_rate=0.0001234\n", "exposure=2\n", "policy=constant\n",
                "activation=logistic\n", "anchors=0.57273,0.677385,  12.5,3\n");
        assertThat(cfg).doesNotContain("steps=", "E-");
    }

    @Test
    void writesAFileTheReaderReads(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("model.cfg");
        ModelSpec spec = TinyYoloV2.voc().withClasses(3);

        DarknetCfgWriter.write(spec, file);

        assertThat(Files.readString(file)).isEqualTo(DarknetCfgWriter.write(spec));
        assertThat(DarknetCfgReader.read(file)).isEqualTo(spec);
    }
}
