package org.yolofleet.dataset;

import org.yolofleet.core.image.ImageSize;

import java.util.List;

/**
 * What {@link SampleDatasetGenerator} makes.
 *
 * @param seed               everything follows from it: the same options give the same files, byte for byte
 * @param imageCount         good images
 * @param classCount         classes, the first ones of {@link SampleDatasetGenerator#SHAPES} (1–6)
 * @param maxObjectsPerImage objects per good image: 1 to this (about 5 % get none: negatives); 0 = all negatives
 * @param injectFaults       add one broken record of each kind the prepare stage must catch (see {@link SampleManifest})
 * @param fixedBoxSizes      when not empty, every object is one of these sizes (width × height in pixels) and lies
 *                           wholly inside its image — for anchor tests; each must fit the smallest image
 * @param sizes              the image sizes drawn from (several aspect ratios)
 * @param minObjectSide      the smallest side of a drawn object in pixels of its image (random box sizes run from it
 *                           to 0.6 of the image's shorter side, small ones more often)
 * @param separateObjects    shapes never overlap one another (an object that finds no free place in 30 tries is left
 *                           out), so no label marks a shape hidden under another; otherwise a quarter of the objects
 *                           are placed over the previous one and others overlap by chance, as in real photos
 */
public record SampleOptions(long seed, int imageCount, int classCount, int maxObjectsPerImage, boolean injectFaults,
                            List<ImageSize> fixedBoxSizes, List<ImageSize> sizes, int minObjectSide,
                            boolean separateObjects) {
    /** 500×375, 375×500, 640×480, 416×416, 320×240: landscape, portrait, square, small. */
    public static final List<ImageSize> DEFAULT_SIZES = List.of(new ImageSize(500, 375), new ImageSize(375, 500),
            new ImageSize(640, 480), new ImageSize(416, 416), new ImageSize(320, 240));
    /** The smallest object side by default (pixels). */
    public static final int DEFAULT_MIN_OBJECT_SIDE = 12;
    private static final int MAX_OBJECTS = 100;

    public SampleOptions {
        fixedBoxSizes = List.copyOf(fixedBoxSizes);
        sizes = List.copyOf(sizes);
        if (imageCount < 0) {
            throw new IllegalArgumentException("imageCount must be >= 0, got " + imageCount);
        }
        if (classCount < 1 || classCount > SampleDatasetGenerator.SHAPES.size()) {
            throw new IllegalArgumentException("classCount must be 1 to " + SampleDatasetGenerator.SHAPES.size() + ", got " + classCount);
        }
        if (maxObjectsPerImage < 0 || maxObjectsPerImage > MAX_OBJECTS) {
            throw new IllegalArgumentException("maxObjectsPerImage must be 0 to " + MAX_OBJECTS + ", got " + maxObjectsPerImage);
        }
        if (minObjectSide < DEFAULT_MIN_OBJECT_SIDE) {
            throw new IllegalArgumentException("minObjectSide must be at least " + DEFAULT_MIN_OBJECT_SIDE + ", got " + minObjectSide);
        }
        if (sizes.isEmpty()) {
            throw new IllegalArgumentException("sizes must name at least one image size");
        }
        for (ImageSize size : sizes) {
            if (size.width() < SampleDatasetGenerator.MIN_IMAGE_SIDE || size.height() < SampleDatasetGenerator.MIN_IMAGE_SIDE) {
                throw new IllegalArgumentException("image sizes must be at least " + SampleDatasetGenerator.MIN_IMAGE_SIDE
                        + " px a side, got " + size);
            }
        }
        for (ImageSize size : sizes) {
            if (minObjectSide > 0.6 * Math.min(size.width(), size.height())) {
                throw new IllegalArgumentException("minObjectSide " + minObjectSide + " exceeds 0.6 of the shorter side of " + size);
            }
        }
        for (ImageSize box : fixedBoxSizes) {
            for (ImageSize size : sizes) {
                if (box.width() > size.width() || box.height() > size.height()) {
                    throw new IllegalArgumentException("fixed box size " + box + " does not fit the image size " + size);
                }
            }
        }
    }

    /** {@code imageCount} images of the default sizes, 4 classes, up to 6 objects each, no faults, random box sizes. */
    public static SampleOptions defaults(long seed, int imageCount) {
        return new SampleOptions(seed, imageCount, 4, 6, false, List.of(), DEFAULT_SIZES, DEFAULT_MIN_OBJECT_SIDE, false);
    }

    public SampleOptions withInjectedFaults(boolean inject) {
        return new SampleOptions(seed, imageCount, classCount, maxObjectsPerImage, inject, fixedBoxSizes, sizes, minObjectSide, separateObjects);
    }

    public SampleOptions withClassCount(int count) {
        return new SampleOptions(seed, imageCount, count, maxObjectsPerImage, injectFaults, fixedBoxSizes, sizes, minObjectSide, separateObjects);
    }

    public SampleOptions withMaxObjectsPerImage(int maximum) {
        return new SampleOptions(seed, imageCount, classCount, maximum, injectFaults, fixedBoxSizes, sizes, minObjectSide, separateObjects);
    }

    public SampleOptions withFixedBoxSizes(List<ImageSize> boxSizes) {
        return new SampleOptions(seed, imageCount, classCount, maxObjectsPerImage, injectFaults, boxSizes, sizes, minObjectSide, separateObjects);
    }

    public SampleOptions withSizes(List<ImageSize> imageSizes) {
        return new SampleOptions(seed, imageCount, classCount, maxObjectsPerImage, injectFaults, fixedBoxSizes, imageSizes, minObjectSide, separateObjects);
    }

    public SampleOptions withMinObjectSide(int side) {
        return new SampleOptions(seed, imageCount, classCount, maxObjectsPerImage, injectFaults, fixedBoxSizes, sizes, side, separateObjects);
    }

    public SampleOptions withSeparateObjects(boolean separate) {
        return new SampleOptions(seed, imageCount, classCount, maxObjectsPerImage, injectFaults, fixedBoxSizes, sizes, minObjectSide, separate);
    }

    /** The class names the dataset uses. */
    public List<String> classes() {
        return SampleDatasetGenerator.SHAPES.subList(0, classCount);
    }
}
