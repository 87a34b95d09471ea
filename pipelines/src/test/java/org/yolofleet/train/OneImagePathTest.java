package org.yolofleet.train;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yolofleet.augment.AugmentRecipe;
import org.yolofleet.augment.AugmentationSettings;
import org.yolofleet.augment.AugmentedSample;
import org.yolofleet.augment.BoxRules;
import org.yolofleet.augment.LabelledPixelBox;
import org.yolofleet.augment.PreparedRecord;
import org.yolofleet.augment.RecordAugmenter;
import org.yolofleet.augment.RecordOutcome;
import org.yolofleet.config.ModelInput;
import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.image.ImageDecoder;
import org.yolofleet.core.image.ImageInspector;
import org.yolofleet.core.image.ImageNormalizer;
import org.yolofleet.core.image.ImagePreprocessor;
import org.yolofleet.core.image.RgbImage;
import org.yolofleet.core.image.SampleImages;
import org.yolofleet.core.image.TestPictures;
import org.yolofleet.core.model.ResizeMode;
import org.yolofleet.detect.DetectRequest;
import org.yolofleet.spark.SerializableHadoopConfiguration;
import org.yolofleet.stage.Split;

import java.awt.Color;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The images people actually upload — transparency, CMYK, 16 bits, EXIF rotation, an ICC profile — reach the network
 * the same way through every entry point: {@code detect} (and publish and the Pi agent, which share its path), the
 * training loader, {@code augment} and {@code prepare}. Before there was one decoder, detection turned transparency
 * black where prepare composited it on white, failed on the CMYK JPEGs prepare converts, and applied ICC profiles
 * that prepare ignored.
 */
class OneImagePathTest {
    private static final int WIDTH = 96;
    private static final int HEIGHT = 64;
    private static final List<String> CLASSES = List.of("red", "blue");
    private static final int[] RED_BOX = {10, 10, 40, 50};
    private static final int[] BLUE_BOX = {55, 8, 90, 40};
    private static final ImagePreprocessor NETWORK = new ImagePreprocessor(WIDTH, HEIGHT, ResizeMode.LETTERBOX);
    private static final ImageDecoder DETECT = new ImageDecoder(DetectRequest.DEFAULT_MAX_IMAGE_PIXELS);
    /** Re-encoding as JPEG (prepare's normalised images, augment's samples) moves values a little, never like a wrong rule. */
    private static final double JPEG_MEAN_DIFFERENCE = 0.01;

    static Stream<Arguments> awkwardImages() {
        BufferedImage picture = picture();
        return Stream.of(
                Arguments.of("alpha PNG", SampleImages.png(withTransparentLeftEdge(picture))),
                Arguments.of("CMYK JPEG", SampleImages.adobeCmykJpeg(picture, false, 95)),
                Arguments.of("YCCK JPEG", SampleImages.adobeCmykJpeg(picture, true, 95)),
                Arguments.of("16-bit PNG", SampleImages.png16Bit(picture)),
                Arguments.of("EXIF-rotated JPEG", SampleImages.withExifOrientation(SampleImages.jpeg(turnedLeft(picture), 95), 6)),
                Arguments.of("ICC-tagged JPEG", SampleImages.withIccProfile(SampleImages.jpeg(picture, 95),
                        ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("awkwardImages")
    void everyEntryPointGivesTheNetworkTheSameInput(String kind, byte[] file) {
        float[] detect = NETWORK.preprocess(DETECT.decode(file).image()).pixels();

        RecordOutcome outcome = new RecordAugmenter(recipe()).augment(new PreparedRecord("site/" + kind, Split.VAL, WIDTH, HEIGHT, file, boxes()));
        assertThat(outcome).as(kind + " through augment").isInstanceOf(RecordOutcome.Augmented.class);
        AugmentedSample sample = ((RecordOutcome.Augmented) outcome).samples().get(0);

        ShardBatchLoader loader = new ShardBatchLoader(new SerializableHadoopConfiguration(new Configuration()), WIDTH, HEIGHT, CLASSES.size());
        float[] training = loader.toDataSet(List.of(new ShardSample("site/" + kind + "#0", file, sample.label(), 0, file.length)))
                .getFeatures().dup('c').data().asFloat();
        assertThat(training).as(kind + ": the training loader and detect").containsExactly(detect);

        float[] augmented = NETWORK.preprocess(ImageDecoder.STORED_IMAGES.decode(sample.jpeg()).image()).pixels();
        assertThat(meanDifference(augmented, detect)).as(kind + ": augment's sample (JPEG) and detect").isLessThan(JPEG_MEAN_DIFFERENCE);

        ImageInspector inspector = new ImageInspector(DetectRequest.DEFAULT_MAX_IMAGE_PIXELS);
        byte[] prepared = new ImageNormalizer(95, DetectRequest.DEFAULT_MAX_IMAGE_PIXELS).normalize(file, inspector.inspect(file)).jpegBytes();
        float[] fromPrepared = NETWORK.preprocess(ImageDecoder.STORED_IMAGES.decode(prepared).image()).pixels();
        assertThat(meanDifference(fromPrepared, detect)).as(kind + ": prepare's stored image (JPEG) and detect").isLessThan(JPEG_MEAN_DIFFERENCE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("awkwardImages")
    void theDecoderGivesTheUprightPictureOnWhite(String kind, byte[] file) {
        RgbImage image = DETECT.decode(file).image();

        assertThat(image.width()).isEqualTo(WIDTH);
        assertThat(image.height()).isEqualTo(HEIGHT);
        assertThat(TestPictures.distance(image.rgb(25, 30), TestPictures.RED)).as(kind + " red box").isLessThan(24);
        assertThat(TestPictures.distance(image.rgb(72, 24), TestPictures.BLUE)).as(kind + " blue box").isLessThan(24);
        assertThat(TestPictures.distance(image.rgb(48, 58), Color.WHITE)).as(kind + " background").isLessThan(24);
        assertThat(TestPictures.distance(image.rgb(2, 30), Color.WHITE)).as(kind + " left edge (transparent in the PNG)").isLessThan(24);
    }

    @Test
    void anIccProfileChangesNoPixel() {
        byte[] untagged = SampleImages.jpeg(picture(), 95);
        byte[] tagged = SampleImages.withIccProfile(untagged, ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB));

        assertThat(tagged).isNotEqualTo(untagged);
        assertThat(DETECT.decode(tagged).image().pixels()).isEqualTo(DETECT.decode(untagged).image().pixels());
    }

    private static AugmentRecipe recipe() {
        return new AugmentRecipe(new ModelInput(WIDTH, HEIGHT, ResizeMode.LETTERBOX), AugmentationSettings.DARKNET_DEFAULTS,
                new BoxRules(0.1, 2), 1, true, 42, 95);
    }

    private static List<LabelledPixelBox> boxes() {
        return List.of(new LabelledPixelBox(0, CLASSES.get(0), new BoundingBox(RED_BOX[0], RED_BOX[1], RED_BOX[2], RED_BOX[3]), false, false),
                new LabelledPixelBox(1, CLASSES.get(1), new BoundingBox(BLUE_BOX[0], BLUE_BOX[1], BLUE_BOX[2], BLUE_BOX[3]), false, false));
    }

    private static BufferedImage picture() {
        return TestPictures.picture(WIDTH, HEIGHT, RED_BOX, TestPictures.RED, BLUE_BOX, TestPictures.BLUE);
    }

    /** The picture with its five leftmost columns fully transparent black: on white they must come out white, not black. */
    private static BufferedImage withTransparentLeftEdge(BufferedImage picture) {
        BufferedImage argb = new BufferedImage(picture.getWidth(), picture.getHeight(), BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < picture.getHeight(); y++) {
            for (int x = 0; x < picture.getWidth(); x++) {
                argb.setRGB(x, y, x < 5 ? 0x00000000 : 0xFF000000 | picture.getRGB(x, y));
            }
        }
        return argb;
    }

    /** The picture turned a quarter to the left, as a camera stores a photo whose EXIF orientation 6 turns it back. */
    private static BufferedImage turnedLeft(BufferedImage picture) {
        int width = picture.getWidth();
        int height = picture.getHeight();
        BufferedImage stored = new BufferedImage(height, width, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < width; y++) {
            for (int x = 0; x < height; x++) {
                stored.setRGB(x, y, picture.getRGB(width - 1 - y, x));
            }
        }
        return stored;
    }

    private static double meanDifference(float[] left, float[] right) {
        assertThat(left).hasSameSizeAs(right);
        double sum = 0;
        for (int index = 0; index < left.length; index++) {
            sum += Math.abs(left[index] - right[index]);
        }
        return sum / left.length;
    }
}
