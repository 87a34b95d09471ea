package org.yolofleet.core.image;

import org.junit.jupiter.api.Test;
import org.yolofleet.core.quarantine.Finding;
import org.yolofleet.core.quarantine.QuarantineReason;
import org.yolofleet.core.quarantine.RecordRejectedException;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageNormalizerTest {
    private final ImageInspector inspector = new ImageInspector(60_000_000);
    private final ImageNormalizer normalizer = new ImageNormalizer(95, 60_000_000);

    @Test
    void aPlainJpegStaysAsItIs() {
        NormalizedImage normalized = normalize(TestPictures.jpeg(TestPictures.twoBoxes()));

        assertThat(normalized.size()).isEqualTo(new ImageSize(160, 120));
        assertThat(normalized.findings()).isEmpty();
        BufferedImage decoded = TestPictures.decode(normalized.jpegBytes());
        assertThat(TestPictures.distance(decoded.getRGB(45, 60), TestPictures.RED)).isLessThan(12);
        assertThat(TestPictures.distance(decoded.getRGB(125, 40), TestPictures.BLUE)).isLessThan(12);
        assertThat(TestPictures.distance(decoded.getRGB(5, 5), Color.WHITE)).isLessThan(12);
    }

    @Test
    void theSameInputGivesTheSameBytes() {
        byte[] input = SampleImages.withExifOrientation(TestPictures.jpeg(TestPictures.twoBoxes()), 6);
        assertThat(normalize(input).jpegBytes()).isEqualTo(normalize(input).jpegBytes());
        byte[] lower = new ImageNormalizer(50, 60_000_000).normalize(input, inspector.inspect(input)).jpegBytes();
        assertThat(lower.length).isLessThan(normalize(input).jpegBytes().length);
    }

    @Test
    void aTruncatedJpegIsCaughtThoughTheJdkDecoderAcceptsIt() throws IOException {
        byte[] jpeg = TestPictures.jpeg(TestPictures.twoBoxes());
        byte[] truncated = Arrays.copyOf(jpeg, jpeg.length - 200);
        assertThat(ImageIO.read(new ByteArrayInputStream(truncated))).as("ImageIO pads it silently").isNotNull();

        assertThatThrownBy(() -> normalize(truncated)).isInstanceOfSatisfying(RecordRejectedException.class,
                rejected -> assertThat(rejected.reason()).isEqualTo(QuarantineReason.IMAGE_TRUNCATED));
    }

    @Test
    void anEndMarkerInsideTheExifThumbnailDoesNotHideTruncation() {
        byte[] thumbnail = TestPictures.jpeg(TestPictures.picture(8, 8));
        ByteBuffer segment = ByteBuffer.allocate(4 + 6 + thumbnail.length);
        segment.put((byte) 0xFF).put((byte) 0xE1).putShort((short) (2 + 6 + thumbnail.length)).put("Exif\0\0".getBytes()).put(thumbnail);
        byte[] jpeg = SampleImages.insertSegment(TestPictures.jpeg(TestPictures.twoBoxes()), segment.array());
        assertThat(ImageStructure.jpeg(jpeg).complete()).isTrue();

        byte[] truncated = Arrays.copyOf(jpeg, jpeg.length - 100);
        assertThat(ImageStructure.jpeg(truncated).complete()).isFalse();
        assertThatThrownBy(() -> normalize(truncated)).isInstanceOfSatisfying(RecordRejectedException.class,
                rejected -> assertThat(rejected.reason()).isEqualTo(QuarantineReason.IMAGE_TRUNCATED));
    }

    @Test
    void bytesAfterTheEndMarkerAreTolerated() {
        byte[] jpeg = TestPictures.jpeg(TestPictures.twoBoxes());
        byte[] padded = Arrays.copyOf(jpeg, jpeg.length + 64);
        assertThat(normalize(padded).size()).isEqualTo(new ImageSize(160, 120));
    }

    @Test
    void grayscaleKeepsItsValuesWithoutAGammaShift() throws IOException {
        BufferedImage gray = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D graphics = gray.createGraphics();
        graphics.setColor(new Color(100, 100, 100));
        graphics.fillRect(0, 0, 40, 30);
        graphics.dispose();
        assertThat(gray.getRaster().getSample(5, 5, 0)).isEqualTo(100);

        NormalizedImage fromJpeg = normalize(SampleImages.jpeg(gray, 95));
        assertThat(fromJpeg.findings()).extracting(Finding::reason).containsExactly(QuarantineReason.CONVERTED_GRAYSCALE);
        assertThat(TestPictures.distance(TestPictures.decode(fromJpeg.jpegBytes()).getRGB(20, 15), new Color(100, 100, 100))).isLessThan(4);

        BufferedImage sixteen = new BufferedImage(40, 30, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                sixteen.getRaster().setSample(x, y, 0, 100 * 257);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(sixteen, "png", png);
        NormalizedImage fromPng = normalize(png.toByteArray());
        assertThat(fromPng.findings()).extracting(Finding::reason).containsExactly(QuarantineReason.CONVERTED_GRAYSCALE,
                QuarantineReason.CONVERTED_16_BIT, QuarantineReason.FORMAT_CONVERTED);
        assertThat(TestPictures.distance(TestPictures.decode(fromPng.jpegBytes()).getRGB(20, 15), new Color(100, 100, 100))).isLessThan(4);
    }

    @Test
    void sixteenBitColourIsReducedFaithfully() {
        NormalizedImage normalized = normalize(SampleImages.png16Bit(TestPictures.twoBoxes()));
        BufferedImage decoded = TestPictures.decode(normalized.jpegBytes());
        assertThat(TestPictures.distance(decoded.getRGB(45, 60), TestPictures.RED)).isLessThan(12);
        assertThat(normalized.findings()).extracting(Finding::reason).containsExactly(QuarantineReason.CONVERTED_16_BIT,
                QuarantineReason.FORMAT_CONVERTED);
    }

    @Test
    void transparencyIsCompositedOnWhite() {
        BufferedImage translucent = new BufferedImage(20, 20, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 20; x++) {
                translucent.setRGB(x, y, x < 10 ? 0x80FF0000 : 0x00000000);
            }
        }
        NormalizedImage normalized = normalize(SampleImages.png(translucent));
        BufferedImage decoded = TestPictures.decode(normalized.jpegBytes());
        assertThat(TestPictures.distance(decoded.getRGB(3, 10), new Color(255, 127, 127))).isLessThan(12);
        assertThat(TestPictures.distance(decoded.getRGB(16, 10), Color.WHITE)).isLessThan(12);
        assertThat(normalized.findings()).extracting(Finding::reason).containsExactly(QuarantineReason.ALPHA_REMOVED,
                QuarantineReason.FORMAT_CONVERTED);

        BufferedImage opaque = new BufferedImage(20, 20, BufferedImage.TYPE_INT_ARGB);
        opaque.createGraphics().fillRect(0, 0, 20, 20);
        assertThat(normalize(SampleImages.png(opaque)).findings()).extracting(Finding::reason)
                .as("an alpha channel that is all opaque removes nothing").containsExactly(QuarantineReason.FORMAT_CONVERTED);
    }

    @Test
    void otherFormatsAreConverted() throws IOException {
        for (String format : List.of("gif", "bmp", "tiff")) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            assertThat(ImageIO.write(TestPictures.twoBoxes(), format, bytes)).as(format).isTrue();
            NormalizedImage normalized = normalize(bytes.toByteArray());
            assertThat(normalized.size()).as(format).isEqualTo(new ImageSize(160, 120));
            assertThat(normalized.findings()).as(format).extracting(Finding::reason).contains(QuarantineReason.FORMAT_CONVERTED);
            assertThat(TestPictures.distance(TestPictures.decode(normalized.jpegBytes()).getRGB(45, 60), TestPictures.RED)).as(format)
                    .isLessThan(12);
        }
    }

    @Test
    void aPngCutShortIsTruncated() {
        byte[] png = SampleImages.png(TestPictures.twoBoxes());
        assertThat(ImageStructure.pngComplete(png)).isTrue();
        assertThat(ImageStructure.pngComplete(Arrays.copyOf(png, png.length - 12))).isFalse();
    }

    private NormalizedImage normalize(byte[] bytes) {
        return normalizer.normalize(bytes, inspector.inspect(bytes));
    }
}
