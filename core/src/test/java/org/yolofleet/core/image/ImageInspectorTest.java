package org.yolofleet.core.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yolofleet.core.quarantine.QuarantineReason;
import org.yolofleet.core.quarantine.RecordRejectedException;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageInspectorTest {
    private final ImageInspector inspector = new ImageInspector(60_000_000);

    @Test
    void readsAJpegHeader() {
        ImageHeader header = inspector.inspect(TestPictures.jpeg(TestPictures.twoBoxes()));

        assertThat(header).isEqualTo(new ImageHeader(ImageFileFormat.JPEG, new ImageSize(160, 120), 24, ImageHeader.ColorType.YCBCR,
                ExifOrientation.NORMAL, Optional.empty()));
    }

    @Test
    void readsPngHeaders() {
        assertThat(inspector.inspect(SampleImages.png(TestPictures.twoBoxes())))
                .satisfies(header -> {
                    assertThat(header.format()).isEqualTo(ImageFileFormat.PNG);
                    assertThat(header.size()).isEqualTo(new ImageSize(160, 120));
                    assertThat(header.colorType()).isEqualTo(ImageHeader.ColorType.RGB);
                });
        assertThat(inspector.inspect(SampleImages.png16Bit(TestPictures.twoBoxes())).bitsPerPixel()).isEqualTo(48);
        BufferedImage gray = new BufferedImage(30, 20, BufferedImage.TYPE_BYTE_GRAY);
        assertThat(inspector.inspect(SampleImages.png(gray)).colorType()).isEqualTo(ImageHeader.ColorType.GRAYSCALE);
        assertThat(inspector.inspect(SampleImages.adobeCmykJpeg(TestPictures.twoBoxes(), false, 90)).colorType())
                .isEqualTo(ImageHeader.ColorType.CMYK);
        assertThat(inspector.inspect(SampleImages.adobeCmykJpeg(TestPictures.twoBoxes(), true, 90)).colorType())
                .isEqualTo(ImageHeader.ColorType.YCCK);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void readsTheExifOrientation(int orientation) {
        ImageHeader header = inspector.inspect(SampleImages.withExifOrientation(TestPictures.jpeg(TestPictures.twoBoxes()), orientation));

        assertThat(header.orientation().tagValue()).isEqualTo(orientation);
        assertThat(header.uprightSize()).isEqualTo(orientation >= 5 ? new ImageSize(120, 160) : new ImageSize(160, 120));
        assertThat(header.metadataProblem()).isEmpty();
    }

    @Test
    void anInvalidOrientationIsIgnoredAndSaid() {
        ImageHeader header = inspector.inspect(SampleImages.withExifOrientation(TestPictures.jpeg(TestPictures.twoBoxes()), 9));

        assertThat(header.orientation()).isEqualTo(ExifOrientation.NORMAL);
        assertThat(header.metadataProblem()).contains("the EXIF orientation 9 is not 1 to 8");
    }

    @Test
    void refusesDecompressionBombsFromTheHeaderAlone() {
        byte[] bomb = SampleImages.pngBomb(100_000, 100_000);
        assertThat(bomb.length).isLessThan(1_000);

        // decoding 10^10 pixels would need 40 GB; the verdict comes from the header alone
        assertRejected(bomb, QuarantineReason.IMAGE_TOO_LARGE);

        byte[] jpegBomb = TestPictures.withDeclaredJpegSize(TestPictures.jpeg(TestPictures.twoBoxes()), 65_000, 65_000);
        assertRejected(jpegBomb, QuarantineReason.IMAGE_TOO_LARGE);
    }

    @Test
    void theLimitIsInclusive() {
        byte[] jpeg = TestPictures.jpeg(TestPictures.twoBoxes());
        assertThat(new ImageInspector(160 * 120).inspect(jpeg).size()).isEqualTo(new ImageSize(160, 120));
        assertThatThrownBy(() -> new ImageInspector(160 * 120 - 1).inspect(jpeg)).isInstanceOfSatisfying(RecordRejectedException.class,
                rejected -> assertThat(rejected.detail()).isEqualTo(
                        "the header declares 160x120 = 19,200 pixels, more than the limit of 19,199; not decoded"));
    }

    @Test
    void rejectsWhatIsNoImage() {
        assertRejected(new byte[0], QuarantineReason.IMAGE_EMPTY);
        assertRejected("<html>not an image</html>".getBytes(StandardCharsets.US_ASCII), QuarantineReason.IMAGE_UNDECODABLE);
        assertRejected("RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.US_ASCII), QuarantineReason.IMAGE_UNDECODABLE);
        byte[] jpeg = TestPictures.jpeg(TestPictures.twoBoxes());
        assertRejected(Arrays.copyOf(jpeg, 40), QuarantineReason.IMAGE_TRUNCATED);
        assertRejected(TestPictures.withDeclaredJpegSize(jpeg, 0, 120), QuarantineReason.IMAGE_UNDECODABLE);
    }

    private void assertRejected(byte[] bytes, QuarantineReason reason) {
        assertThatThrownBy(() -> inspector.inspect(bytes)).isInstanceOfSatisfying(RecordRejectedException.class,
                rejected -> assertThat(rejected.reason()).as(rejected.detail()).isEqualTo(reason));
    }
}
