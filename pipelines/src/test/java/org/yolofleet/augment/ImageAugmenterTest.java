package org.yolofleet.augment;

import org.yolofleet.core.image.ImageDecoder;
import org.junit.jupiter.api.Test;
import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.image.JpegCodec;
import org.yolofleet.core.image.RgbImage;
import org.yolofleet.core.model.ResizeMode;
import org.yolofleet.stage.Split;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ImageAugmenterTest {
    private static final int RECTANGLE_COLOUR = 0xdc2828;

    @Test
    void aSolidRectangleStillFillsItsBoxAfterAnyAugmentation() {
        Random random = new Random(2024);
        AugmentationSettings strong = new AugmentationSettings(0.35, 0.1, 1.5, 1.5, 0.5);
        int checked = 0;
        int checkedAfterJpeg = 0;
        for (int trial = 0; trial < 120; trial++) {
            int width = 60 + random.nextInt(300);
            int height = 60 + random.nextInt(300);
            byte[] pixels = greyTexture(width, height, random.nextLong());
            int boxWidth = width / 3 + random.nextInt(width / 3);
            int boxHeight = height / 3 + random.nextInt(height / 3);
            int left = random.nextInt(width - boxWidth);
            int top = random.nextInt(height - boxHeight);
            BoundingBox rectangle = new BoundingBox(left, top, left + boxWidth, top + boxHeight);
            AugmentFixtures.fill(pixels, width, rectangle, RECTANGLE_COLOUR);
            RgbImage source = new RgbImage(width, height, pixels);
            ResizeMode mode = trial % 2 == 0 ? ResizeMode.LETTERBOX : ResizeMode.RESIZE;
            ImageAugmenter augmenter = new ImageAugmenter(160, 128, mode, new BoxRules(0.25, 2));
            AugmentationParameters parameters = AugmentationParameters.draw(strong, width, height, new SplittableRandom(trial));

            ImageAugmenter.AugmentedImage augmented = augmenter.apply(source,
                    List.of(new LabelledPixelBox(0, "thing", rectangle, false, false)), parameters);

            if (augmented.boxes().isEmpty()) {
                continue;
            }
            BoundingBox box = augmented.boxes().get(0).box();
            if (Math.min(box.width(), box.height()) >= 12) {
                assertThat(Regions.iou(augmented.image(), colouredLike(augmented.image(), box), box)).as("trial %d: %s with %s", trial, box, parameters)
                        .isGreaterThanOrEqualTo(0.9);
                checked++;
            }
            if (Math.min(box.width(), box.height()) >= 24) {
                RgbImage decoded = ImageDecoder.STORED_IMAGES.decode(JpegCodec.encode(augmented.image(), 90)).image();
                assertThat(Regions.iou(decoded, colouredLike(decoded, box), box)).as("trial %d after JPEG: %s with %s", trial, box, parameters)
                        .isGreaterThanOrEqualTo(0.9);
                checkedAfterJpeg++;
            }
        }
        assertThat(checked).isGreaterThan(80);
        assertThat(checkedAfterJpeg).isGreaterThan(50);
    }

    @Test
    void flippingTwiceIsTheIdentityOnTheImage() {
        RgbImage image = new RgbImage(37, 21, AugmentFixtures.texture(37, 21, 5));

        RgbImage twice = ImageAugmenter.flipHorizontally(ImageAugmenter.flipHorizontally(image));

        assertThat(twice.pixels()).isEqualTo(image.pixels());
        assertThat(ImageAugmenter.flipHorizontally(image).rgb(0, 3)).isEqualTo(image.rgb(36, 3));
    }

    @Test
    void aFlippedCopyIsTheMirrorImageOfTheUnflippedOne() {
        PreparedRecord record = AugmentFixtures.record("site/a", Split.TRAIN, 150, 110, 2, 9);
        RgbImage source = ImageDecoder.STORED_IMAGES.decode(record.image()).image();
        ImageAugmenter augmenter = new ImageAugmenter(96, 96, ResizeMode.LETTERBOX, new BoxRules(0.1, 2));
        AugmentationParameters plain = new AugmentationParameters(-12.5, 8.25, 140.75, 118, false, 0.05, 1.3, 0.8);
        AugmentationParameters flipped = new AugmentationParameters(-12.5, 8.25, 140.75, 118, true, 0.05, 1.3, 0.8);

        ImageAugmenter.AugmentedImage unflippedImage = augmenter.apply(source, record.boxes(), plain);
        ImageAugmenter.AugmentedImage flippedImage = augmenter.apply(source, record.boxes(), flipped);

        assertThat(ImageAugmenter.flipHorizontally(flippedImage.image()).pixels()).isEqualTo(unflippedImage.image().pixels());
        assertThat(flippedImage.boxes()).hasSameSizeAs(unflippedImage.boxes());
        for (int index = 0; index < flippedImage.boxes().size(); index++) {
            PlacementTest.assertClose(BoxMapper.flip(flippedImage.boxes().get(index).box(), 96), unflippedImage.boxes().get(index).box(), 1e-9);
        }
    }

    @Test
    void reducingALargeImageAveragesInsteadOfAliasing() {
        // one-pixel black and white stripes: any nearest-neighbour sampling returns pure black or white pixels
        int width = 1000;
        int height = 750;
        byte[] pixels = new byte[3 * width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                byte value = (byte) ((x + y) % 2 == 0 ? 255 : 0);
                int index = 3 * (y * width + x);
                pixels[index] = value;
                pixels[index + 1] = value;
                pixels[index + 2] = value;
            }
        }
        ImageAugmenter augmenter = new ImageAugmenter(96, 96, ResizeMode.RESIZE, new BoxRules(0, 0));

        RgbImage reduced = augmenter.apply(new RgbImage(width, height, pixels), List.of(),
                AugmentationParameters.identity(width, height)).image();

        for (int y = 0; y < 96; y++) {
            for (int x = 0; x < 96; x++) {
                assertThat(reduced.channel(x, y, 0)).as("pixel %d,%d", x, y).isBetween(118, 137);
            }
        }
    }

    @Test
    void enlargingInterpolatesBetweenPixels() {
        byte[] pixels = {0, 0, 0, (byte) 200, (byte) 200, (byte) 200};
        ImageAugmenter augmenter = new ImageAugmenter(64, 32, ResizeMode.RESIZE, new BoxRules(0, 0));

        RgbImage enlarged = augmenter.apply(new RgbImage(2, 1, pixels), List.of(), AugmentationParameters.identity(2, 1)).image();

        assertThat(enlarged.channel(0, 0, 0)).isEqualTo(0);
        assertThat(enlarged.channel(63, 0, 0)).isEqualTo(200);
        for (int x = 1; x < 64; x++) {
            assertThat(enlarged.channel(x, 5, 0)).isGreaterThanOrEqualTo(enlarged.channel(x - 1, 5, 0));
        }
        assertThat(enlarged.channel(32, 5, 0)).isBetween(90, 110);
    }

    @Test
    void theColourJitterWorksInHsvSpace() {
        float[] red = {200, 0, 0};
        HsvJitter.apply(red, 1.0 / 3, 1, 1);
        assertThat(red[0]).isCloseTo(0, within(0.01f));
        assertThat(red[1]).isCloseTo(200, within(0.01f));
        assertThat(red[2]).isCloseTo(0, within(0.01f));

        float[] muted = {200, 100, 100};
        HsvJitter.apply(muted, 0, 0.5, 0.5);
        // value 200 -> 100, saturation 0.5 -> 0.25: the lowest channel is 100 * 0.75, hue (red) unchanged
        assertThat(muted[0]).isCloseTo(100, within(0.01f));
        assertThat(muted[1]).isCloseTo(75, within(0.01f));
        assertThat(muted[2]).isCloseTo(75, within(0.01f));

        float[] grey = {90, 90, 90};
        HsvJitter.apply(grey, 0.4, 1.5, 1);
        assertThat(grey).containsExactly(90, 90, 90);
    }

    @Test
    void hsvRoundTripKeepsEveryColour() {
        Random random = new Random(1);
        float[] hsv = new float[3];
        float[] rgb = new float[3];
        for (int trial = 0; trial < 10_000; trial++) {
            float red = random.nextInt(256);
            float green = random.nextInt(256);
            float blue = random.nextInt(256);
            HsvJitter.toHsv(red, green, blue, hsv);
            HsvJitter.toRgb(hsv[0], hsv[1], hsv[2], rgb, 0);
            assertThat(rgb[0]).isCloseTo(red, within(0.01f));
            assertThat(rgb[1]).isCloseTo(green, within(0.01f));
            assertThat(rgb[2]).isCloseTo(blue, within(0.01f));
        }
    }

    @Test
    void theIdentityOnAnImageOfTheCanvasSizeKeepsThePixels() {
        RgbImage image = new RgbImage(64, 64, AugmentFixtures.texture(64, 64, 3));
        ImageAugmenter augmenter = new ImageAugmenter(64, 64, ResizeMode.LETTERBOX, new BoxRules(0, 0));

        RgbImage same = augmenter.apply(image, List.of(), AugmentationParameters.identity(64, 64)).image();

        assertThat(same.pixels()).isEqualTo(image.pixels());
    }

    @Test
    void theCropShowsGreyOutsideThePhotoAndOnlyThePhotoIsJittered() {
        byte[] pixels = new byte[3 * 50 * 40];
        Arrays.fill(pixels, (byte) 100);
        RgbImage photo = new RgbImage(50, 40, pixels);

        RgbImage shifted = new ImageAugmenter(100, 80, ResizeMode.RESIZE, new BoxRules(0, 0))
                .apply(photo, List.of(), new AugmentationParameters(-50, 0, 50, 40, false, 0, 1, 1.5)).image();
        RgbImage letterboxed = new ImageAugmenter(100, 100, ResizeMode.LETTERBOX, new BoxRules(0, 0))
                .apply(photo, List.of(), new AugmentationParameters(0, 0, 50, 40, false, 0.1, 1.5, 0.5)).image();

        assertThat(shifted.channel(10, 50, 0)).isEqualTo(128);
        assertThat(shifted.channel(90, 50, 0)).isEqualTo(150);
        assertThat(letterboxed.channel(50, 5, 1)).isEqualTo(128);
        assertThat(letterboxed.channel(50, 50, 1)).isEqualTo(50);
    }

    /**
     * The pixels whose saturation is over half the saturation at the box centre: the rectangle's colour under whatever
     * hue, saturation and exposure the copy got; the grey background and border have none.
     */
    private static IntPredicate colouredLike(RgbImage image, BoundingBox box) {
        float[] hsv = new float[3];
        int centre = image.rgb((int) box.centerX(), (int) box.centerY());
        HsvJitter.toHsv(centre >> 16 & 0xff, centre >> 8 & 0xff, centre & 0xff, hsv);
        float threshold = hsv[1] / 2;
        return rgb -> {
            float[] pixel = new float[3];
            HsvJitter.toHsv(rgb >> 16 & 0xff, rgb >> 8 & 0xff, rgb & 0xff, pixel);
            return pixel[1] > threshold;
        };
    }

    private static byte[] greyTexture(int width, int height, long seed) {
        Random random = new Random(seed);
        byte[] pixels = new byte[3 * width * height];
        for (int pixel = 0; pixel < width * height; pixel++) {
            byte value = (byte) (30 + random.nextInt(150));
            pixels[3 * pixel] = value;
            pixels[3 * pixel + 1] = value;
            pixels[3 * pixel + 2] = value;
        }
        return pixels;
    }
}
