package org.yolofleet.core.darknet;

import org.yolofleet.core.model.ResizeFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.Activation;
import org.yolofleet.core.model.Anchor;
import org.yolofleet.core.model.ConvolutionalLayer;
import org.yolofleet.core.model.MaxPoolLayer;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.NetOptions;
import org.yolofleet.core.model.RegionLayer;
import org.yolofleet.core.model.ResizeMode;
import org.yolofleet.core.model.TinyYoloV2;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DarknetCfgReaderTest {
    /** A minimal cfg: every key left out takes Darknet's default. */
    private static final String MINIMAL = """
            [net]
            width=64
            height=32
            channels=3

            [convolutional]
            filters=25
            size=1

            [region]
            anchors=1,2
            """;

    private static String resourceText(String name) {
        try (InputStream input = DarknetCfgReaderTest.class.getResourceAsStream(name)) {
            return new String(input.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Path resourcePath(String name) throws URISyntaxException {
        return Path.of(DarknetCfgReaderTest.class.getResource(name).toURI());
    }

    /** The 1-based number of the first line equal to {@code line} after stripping. */
    private static int lineNumberOf(String text, String line) {
        List<String> lines = text.lines().map(String::strip).toList();
        return lines.indexOf(line) + 1;
    }

    private static YoloFleetException badSpec(String text) {
        try {
            DarknetCfgReader.parse(text, "test.cfg");
        }
        catch (YoloFleetException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_MODEL_SPEC);
            return e;
        }
        throw new AssertionError("expected a BAD_MODEL_SPEC failure for:\n" + text);
    }

    @Test
    void darknetsYolov2TinyVocCfgIsTheBuiltInVocSpec() throws Exception {
        // the same network; Darknet's cfg says nothing of resizing, and Darknet trained it on its own bilinear resize
        assertThat(DarknetCfgReader.read(resourcePath("yolov2-tiny-voc.cfg"))).isEqualTo(TinyYoloV2.voc().withResizeFilter(ResizeFilter.DARKNET));
    }

    @Test
    void darknetsYolov2TinyCfgIsTheBuiltInCocoSpec() throws Exception {
        assertThat(DarknetCfgReader.read(resourcePath("yolov2-tiny.cfg"))).isEqualTo(TinyYoloV2.coco().withResizeFilter(ResizeFilter.DARKNET));
    }

    @Test
    void keysLeftOutTakeDarknetsDefaults() {
        ModelSpec spec = DarknetCfgReader.parse(MINIMAL);

        assertThat(spec.width()).isEqualTo(64);
        assertThat(spec.height()).isEqualTo(32);
        assertThat(spec.resizeMode()).isEqualTo(ResizeMode.LETTERBOX);
        assertThat(spec.netOptions()).isEqualTo(NetOptions.DARKNET_DEFAULTS);
        assertThat(spec.layers().get(0)).isEqualTo(new ConvolutionalLayer(25, 1, 1, false, false, Activation.LOGISTIC));
        assertThat(spec.region()).isEqualTo(new RegionLayer(List.of(new Anchor(1, 2)), 20, 4, false, 0.2, false, 1, 1, 1, 1, false, 0.5,
                false, false));
    }

    @Test
    void maxpoolSizeDefaultsToItsStride() {
        ModelSpec spec = DarknetCfgReader.parse(MINIMAL.replace("[convolutional]", "[maxpool]\nstride=2\n\n[convolutional]"));

        assertThat(spec.layers().get(0)).isEqualTo(new MaxPoolLayer(2, 2));
        assertThat(spec.gridWidth()).isEqualTo(32);
    }

    @Test
    void acceptsCommentsWhitespaceCarriageReturnsAndSectionAliases() {
        String text = """
                # a comment
                ; another comment
                [network]
                  width = 64\r
                height=32   \r
                \tchannels=3

                [conv]
                filters = 25 \r
                size=1
                activation=relu
                [max]
                size=2
                stride=1
                [convolutional]
                filters=25
                size=1
                [region]
                anchors =  1 , 2
                """;

        ModelSpec spec = DarknetCfgReader.parse(text);

        assertThat(spec.layers()).hasSize(4);
        assertThat(spec.layers().get(0)).isEqualTo(new ConvolutionalLayer(25, 1, 1, false, false, Activation.RELU));
        assertThat(spec.layers().get(1)).isEqualTo(new MaxPoolLayer(2, 1));
        assertThat(spec.anchors()).containsExactly(new Anchor(1, 2));
    }

    @Test
    void aCfgWithoutAResizeFilterIsRunWithDarknetsResizeUnlessTheCallerKnowsBetter() {
        assertThat(DarknetCfgReader.parse(MINIMAL).resizeFilter()).isEqualTo(ResizeFilter.DARKNET);
        assertThat(DarknetCfgReader.parse(MINIMAL, "checkpoint", ResizeFilter.AREA).resizeFilter()).isEqualTo(ResizeFilter.AREA);
        assertThat(DarknetCfgReader.parse(MINIMAL.replace("channels=3", "channels=3\nresize_filter=area")).resizeFilter())
                .isEqualTo(ResizeFilter.AREA);
        assertThat(DarknetCfgReader.parse(MINIMAL.replace("channels=3", "channels=3\nresize_filter=darknet"), "checkpoint",
                ResizeFilter.AREA).resizeFilter()).isEqualTo(ResizeFilter.DARKNET);
        assertThatThrownBy(() -> DarknetCfgReader.parse(MINIMAL.replace("channels=3", "channels=3\nresize_filter=lanczos")))
                .isInstanceOf(YoloFleetException.class).hasMessageContaining("'resize_filter' must be area or darknet");
    }

    @Test
    void letterBoxZeroMeansPlainResize() {
        ModelSpec spec = DarknetCfgReader.parse(MINIMAL.replace("channels=3", "channels=3\nletter_box=0"));

        assertThat(spec.resizeMode()).isEqualTo(ResizeMode.RESIZE);
    }

    @Test
    void unknownKeyNamesTheLineTheTextAndTheAllowedKeys() {
        String voc = resourceText("yolov2-tiny-voc.cfg");
        String misspelt = voc.replaceFirst("filters=32", "fliters=32");

        YoloFleetException error = badSpec(misspelt);

        assertThat(error).hasMessage("[BAD_MODEL_SPEC] test.cfg line " + lineNumberOf(misspelt, "fliters=32") + " 'fliters=32': unknown key"
                + " 'fliters' in [convolutional]; allowed keys: batch_normalize, filters, size, stride, pad, activation");
    }

    @Test
    void unknownSectionNamesTheLineAndTheSupportedSections() {
        String voc = resourceText("yolov2-tiny-voc.cfg");
        String withRoute = voc.replace("###########", "[route]\nlayers=-9");

        YoloFleetException error = badSpec(withRoute);

        assertThat(error).hasMessage("[BAD_MODEL_SPEC] test.cfg line " + lineNumberOf(withRoute, "[route]") + " '[route]': unknown section"
                + " [route]; supported sections: [net] or [network], [convolutional] or [conv], [maxpool] or [max], [region]");
    }

    @Test
    void badValuesNameTheLineAndWhatIsAllowed() {
        assertThat(badSpec(MINIMAL.replace("filters=25", "filters=abc")))
                .hasMessageContaining("test.cfg line 7 'filters=abc': 'filters' must be an integer");
        assertThat(badSpec(MINIMAL.replace("size=1", "size=1\nbatch_normalize=2")))
                .hasMessageContaining("line 9 'batch_normalize=2': 'batch_normalize' must be 0 or 1");
        assertThat(badSpec(MINIMAL.replace("size=1", "size=1\nactivation=mish")))
                .hasMessageContaining("line 9 'activation=mish': unknown activation 'mish'; supported: leaky, linear, relu, logistic");
        assertThat(badSpec(MINIMAL.replace("channels=3", "channels=3\npolicy=poly")))
                .hasMessageContaining("unknown policy 'poly'; supported: constant, steps");
        assertThat(badSpec(MINIMAL.replace("width=64", "width=400")))
                .hasMessageContaining("line 2 'width=400': 'width' must be a positive multiple of 32");
        assertThat(badSpec(MINIMAL.replace("anchors=1,2", "anchors=1,2,3")))
                .hasMessageContaining("anchors must be width,height pairs, got 3 numbers");
        assertThat(badSpec(MINIMAL.replace("anchors=1,2", "anchors=1,x")))
                .hasMessageContaining("'anchors' must be a comma-separated list of decimal numbers, 'x' is not one");
        assertThat(badSpec(MINIMAL.replace("anchors=1,2", "anchors=1,-2"))).hasMessageContaining("anchor width and height must be positive");
        assertThat(badSpec(MINIMAL.replace("size=1", "size=1\npad="))).hasMessageContaining("'pad' has no value");
    }

    @Test
    void rangeErrorsNameTheSection() {
        assertThat(badSpec(MINIMAL.replace("filters=25", "filters=0")))
                .hasMessageContaining("line 6 '[convolutional]': [convolutional] starting here: convolutional filters must be at least 1");
        assertThat(badSpec(MINIMAL.replace("anchors=1,2", "anchors=1,2\njitter=1.5")))
                .hasMessageContaining("'[region]': [region] starting here: region jitter must be in [0, 1)");
        assertThat(badSpec(MINIMAL.replace("channels=3", "channels=3\npolicy=steps")))
                .hasMessageContaining("line 1 '[net]': [net] starting here: steps [] and scales [] do not fit policy steps");
    }

    @Test
    void headFiltersThatDoNotMatchTheRegionAreReportedAtTheRegion() {
        String voc = resourceText("yolov2-tiny-voc.cfg");
        String wrongHead = voc.replace("filters=125", "filters=100");

        assertThat(badSpec(wrongHead)).hasMessageContaining("line " + lineNumberOf(wrongHead, "[region]") + " '[region]'")
                .hasMessageContaining("needs 5 * (4 + 1 + 20) = 125 input channels, the layer before it gives 100");
    }

    @Test
    void numMustMatchTheAnchors() {
        String voc = resourceText("yolov2-tiny-voc.cfg");

        assertThat(badSpec(voc.replace("num=5", "num=4"))).hasMessageContaining("'num=4': num=4 but anchors lists 5 width,height pairs");
    }

    @Test
    void structureErrorsAreReported() {
        assertThat(badSpec("")).hasMessage("[BAD_MODEL_SPEC] test.cfg: the first section must be [net] or [network], found no sections");
        assertThat(badSpec("width=416\n" + MINIMAL)).hasMessageContaining("line 1 'width=416': a key=value line before the first section");
        assertThat(badSpec(MINIMAL.replace("[convolutional]", "[net]"))).hasMessageContaining("line 6 '[net]': [net] must be the first section");
        assertThat(badSpec("[convolutional]\nfilters=1\n")).hasMessageContaining("the first section must be [net] or [network], found '[convolutional]'");
        assertThat(badSpec(MINIMAL.replace("size=1", "size=1\nsize=3"))).hasMessageContaining("line 9 'size=3': 'size' is already set in this section, at line 8");
        assertThat(badSpec(MINIMAL.replace("size=1", "size 1"))).hasMessageContaining("line 8 'size 1': expected key=value in [convolutional]");
        assertThat(badSpec(MINIMAL.replace("[region]", "[region"))).hasMessageContaining("a section header must end with ']'");
        assertThat(badSpec(MINIMAL.replace("height=32\n", ""))).hasMessageContaining("line 1 '[net]': [net] needs 'height'");
        assertThat(badSpec(MINIMAL.replace("anchors=1,2", "classes=1"))).hasMessageContaining("[region] needs anchors=");
        assertThat(badSpec(MINIMAL + "\n[maxpool]\nsize=2\n")).hasMessageContaining("test.cfg: the last layer must be a region layer");
    }

    @Test
    void aMissingFileIsNotFound(@TempDir Path directory) {
        assertThatThrownBy(() -> DarknetCfgReader.read(directory.resolve("missing.cfg")))
                .isInstanceOf(YoloFleetException.class)
                .satisfies(e -> assertThat(((YoloFleetException) e).code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("cfg file not found");
    }
}
