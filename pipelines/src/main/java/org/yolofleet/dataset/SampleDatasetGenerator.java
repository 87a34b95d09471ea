package org.yolofleet.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.image.ExifOrientation;
import org.yolofleet.core.image.ImageSize;
import org.yolofleet.core.image.JpegCodec;
import org.yolofleet.core.image.SampleImages;
import org.yolofleet.core.quarantine.QuarantineReason;
import org.yolofleet.dataset.SampleManifest.InjectedFault;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Writes a deterministic synthetic Pascal VOC dataset: {@code Annotations/}, {@code JPEGImages/} and
 * {@code ImageSets/Main/{train,val,trainval}.txt}. Images of several sizes have shapes (one class each: circle,
 * square, triangle, cross, ring, star) in random colours on textured, noisy backgrounds; objects overlap (unless
 * {@link SampleOptions#separateObjects()}) and touch or cross the border (boxes clipped, {@code truncated} set). The XML varies as real tools write it (LabelImg,
 * VOC2007, CVAT with float coordinates, ISO-8859-1). Optionally adds one broken record of every kind the prepare
 * stage must catch, listed in the returned {@link SampleManifest} (also written as {@code sample-manifest.json}).
 *
 * <p>The same options give the same files, byte for byte; images are made in parallel, each from its own seed.
 */
public final class SampleDatasetGenerator {
    /** Class names, in class id order; a dataset uses the first {@link SampleOptions#classCount()}. */
    public static final List<String> SHAPES = List.of("circle", "square", "triangle", "cross", "ring", "star");
    /** The alias the alias fault uses; configure it when preparing a dataset with faults. */
    public static final Map<String, String> FAULT_ALIASES = Map.of("disc", "circle");
    public static final String ANNOTATIONS = "Annotations";
    public static final String IMAGES = "JPEGImages";
    public static final String IMAGE_SETS = "ImageSets/Main";
    public static final String MANIFEST = "sample-manifest.json";
    static final int MIN_IMAGE_SIDE = 64;

    private static final int JPEG_QUALITY = 90;
    private static final double NEGATIVE_SHARE = 0.05;
    private static final double VAL_SHARE = 0.2;
    private static final ImageSize FAULT_IMAGE_SIZE = new ImageSize(320, 240);
    private static final int NOISE_TABLE = 4096;
    private static final int PLACEMENT_ATTEMPTS = 30;

    private final SampleOptions options;

    public SampleDatasetGenerator(SampleOptions options) {
        this.options = requireNonNull(options, "options");
    }

    /** One annotated object as drawn: class, box (edges, clipped to the image) and flags. */
    private record SampleObject(int classId, int xmin, int ymin, int xmax, int ymax, boolean truncated, boolean difficult) {
    }

    /** One image as written: its JPEG bytes and objects. */
    private record SampleRecord(String id, ImageSize size, byte[] jpeg, List<SampleObject> objects, XmlStyle style) {
    }

    /** How the annotation XML is written, as different tools do. */
    private enum XmlStyle { LABELIMG, LABELIMG_VERIFIED, VOC2007, CVAT, LATIN_1 }

    public SampleManifest generate(Path root) {
        return generate(root, done -> { });
    }

    /**
     * @param root           an empty or new directory
     * @param onImageWritten called with the number of good images written so far (from several threads)
     */
    public SampleManifest generate(Path root, IntConsumer onImageWritten) {
        requireNonNull(root, "root");
        requireNonNull(onImageWritten, "onImageWritten");
        Path annotations = root.resolve(ANNOTATIONS);
        Path images = root.resolve(IMAGES);
        Path imageSets = root.resolve(IMAGE_SETS);
        try {
            requireEmpty(annotations);
            requireEmpty(images);
            Files.createDirectories(annotations);
            Files.createDirectories(images);
            Files.createDirectories(imageSets);
        } catch (IOException failure) {
            throw new YoloFleetException(ErrorCode.IO, "cannot create the sample dataset at " + root + ": " + failure.getMessage(), failure);
        }
        AtomicInteger written = new AtomicInteger();
        List<Integer> counts = IntStream.range(0, options.imageCount()).parallel().mapToObj(index -> {
            SampleRecord record = goodRecord(index);
            write(annotations.resolve(record.id() + ".xml"), encoded(record.style(), xml(record, record.id() + ".jpg",
                    Integer.toString(index))));
            write(images.resolve(record.id() + ".jpg"), record.jpeg());
            onImageWritten.accept(written.incrementAndGet());
            return record.objects().size();
        }).toList();
        Map<String, Integer> objectCounts = new TreeMap<>();
        for (int index = 0; index < counts.size(); index++) {
            objectCounts.put(goodId(index), counts.get(index));
        }
        List<String> goodIds = List.copyOf(objectCounts.keySet());
        List<InjectedFault> faults = List.of();
        if (options.injectFaults()) {
            // the duplicate copies the first good image with objects (a negative would add a NO_OBJECTS warning)
            Optional<SampleRecord> duplicated = IntStream.range(0, counts.size()).filter(index -> counts.get(index) > 0).findFirst()
                    .stream().mapToObj(this::goodRecord).findFirst();
            faults = writeFaults(root, duplicated);
        }
        List<String> faultIds = faults.stream().filter(fault -> fault.reason() != QuarantineReason.IMAGE_WITHOUT_ANNOTATION)
                .map(InjectedFault::imageId).toList();
        writeImageSets(imageSets, goodIds, faultIds);
        SampleManifest manifest = new SampleManifest(options.classes(), options.injectFaults() ? FAULT_ALIASES : Map.of(), goodIds,
                objectCounts, faults);
        try {
            Files.writeString(root.resolve(MANIFEST), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).writeValueAsString(manifest));
        } catch (IOException failure) {
            throw new YoloFleetException(ErrorCode.IO, "cannot write " + root.resolve(MANIFEST) + ": " + failure.getMessage(), failure);
        }
        return manifest;
    }

    static String goodId(int index) {
        return String.format(Locale.ROOT, "%06d", index);
    }

    // ---- good records ----------------------------------------------------------------------------------------

    private SampleRecord goodRecord(int index) {
        SplittableRandom random = new SplittableRandom(mix(options.seed(), index));
        ImageSize size = options.sizes().get(random.nextInt(options.sizes().size()));
        BufferedImage image = background(size, random);
        int objectCount = options.maxObjectsPerImage() == 0 || random.nextDouble() < NEGATIVE_SHARE ? 0
                : 1 + random.nextInt(options.maxObjectsPerImage());
        List<SampleObject> objects = new ArrayList<>();
        Graphics2D graphics = image.createGraphics();
        graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        int[] previous = null;
        List<int[]> taken = new ArrayList<>();
        for (int object = 0; object < objectCount; object++) {
            int classId = random.nextInt(options.classCount());
            int[] placed = options.separateObjects() ? placeApart(size, random, taken) : place(size, random, previous);
            if (placed == null) {
                continue;
            }
            taken.add(placed);
            draw(graphics, classId, placed[0], placed[1], placed[2], placed[3], randomColor(random));
            int xmin = Math.max(0, placed[0]);
            int ymin = Math.max(0, placed[1]);
            int xmax = Math.min(size.width(), placed[0] + placed[2]);
            int ymax = Math.min(size.height(), placed[1] + placed[3]);
            boolean truncated = xmin != placed[0] || ymin != placed[1] || xmax != placed[0] + placed[2] || ymax != placed[1] + placed[3];
            objects.add(new SampleObject(classId, xmin, ymin, xmax, ymax, truncated, random.nextDouble() < 0.05));
            previous = placed;
        }
        graphics.dispose();
        XmlStyle[] styles = XmlStyle.values();
        XmlStyle style = index % 10 == 7 ? XmlStyle.LATIN_1 : styles[index % (styles.length - 1)];
        return new SampleRecord(goodId(index), size, JpegCodec.encode(image, JPEG_QUALITY), objects, style);
    }

    /** A place that overlaps none of the shapes already drawn (not even their borders), or null after 30 tries. */
    private int[] placeApart(ImageSize size, SplittableRandom random, List<int[]> taken) {
        for (int attempt = 0; attempt < PLACEMENT_ATTEMPTS; attempt++) {
            int[] candidate = place(size, random, null);
            if (taken.stream().noneMatch(other -> candidate[0] < other[0] + other[2] + 1 && other[0] < candidate[0] + candidate[2] + 1
                    && candidate[1] < other[1] + other[3] + 1 && other[1] < candidate[1] + candidate[3] + 1)) {
                return candidate;
            }
        }
        return null;
    }

    /** x, y, width, height of the next shape: random, sometimes over the previous one, sometimes across the border. */
    private int[] place(ImageSize size, SplittableRandom random, int[] previous) {
        int width;
        int height;
        if (!options.fixedBoxSizes().isEmpty()) {
            ImageSize box = options.fixedBoxSizes().get(random.nextInt(options.fixedBoxSizes().size()));
            width = box.width();
            height = box.height();
            return new int[] {random.nextInt(size.width() - width + 1), random.nextInt(size.height() - height + 1), width, height};
        }
        int smallest = options.minObjectSide();
        int largest = Math.max(smallest + 1, (int) (Math.min(size.width(), size.height()) * 0.6));
        double side = smallest + Math.pow(random.nextDouble(), 1.5) * (largest - smallest);
        double aspect = Math.exp((random.nextDouble() - 0.5) * 1.4);
        width = clampSide((int) Math.round(side * Math.sqrt(aspect)), size.width());
        height = clampSide((int) Math.round(side / Math.sqrt(aspect)), size.height());
        double roll = random.nextDouble();
        int x;
        int y;
        if (previous != null && roll < 0.25) {
            // overlapping the previous object
            x = previous[0] + (int) ((random.nextDouble() - 0.3) * previous[2]);
            y = previous[1] + (int) ((random.nextDouble() - 0.3) * previous[3]);
            x = Math.max(0, Math.min(size.width() - width, x));
            y = Math.max(0, Math.min(size.height() - height, y));
        } else if (roll < 0.40) {
            // across a border: at least half of each side stays inside
            x = random.nextInt(size.width() - width + 1);
            y = random.nextInt(size.height() - height + 1);
            switch (random.nextInt(4)) {
                case 0 -> x = -random.nextInt(width / 2 + 1);
                case 1 -> x = size.width() - width + random.nextInt(width / 2 + 1);
                case 2 -> y = -random.nextInt(height / 2 + 1);
                default -> y = size.height() - height + random.nextInt(height / 2 + 1);
            }
        } else if (roll < 0.50) {
            // touching a border exactly
            x = random.nextBoolean() ? 0 : size.width() - width;
            y = random.nextInt(size.height() - height + 1);
        } else {
            x = random.nextInt(size.width() - width + 1);
            y = random.nextInt(size.height() - height + 1);
        }
        return new int[] {x, y, width, height};
    }

    private static int clampSide(int side, int imageSide) {
        return Math.max(SampleOptions.DEFAULT_MIN_OBJECT_SIDE, Math.min(side, imageSide - 2));
    }

    /** A plaid of smooth waves between two colours, with per-pixel noise (from a table, at a random offset per row). */
    private static BufferedImage background(ImageSize size, SplittableRandom random) {
        int width = size.width();
        int height = size.height();
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        int[] columnWave = wave(width, random);
        int[] rowWave = wave(height, random);
        // colours in 40..220 and noise within +-15 stay inside 0..255 without clamping
        int[][] lookUp = new int[3][513];
        for (int channel = 0; channel < 3; channel++) {
            int low = random.nextInt(40, 200);
            int high = random.nextInt(40, 221);
            for (int mix = 0; mix <= 512; mix++) {
                lookUp[channel][mix] = low + (high - low) * mix / 512;
            }
        }
        int amplitude = 5 + random.nextInt(11);
        int[][] noise = new int[3][NOISE_TABLE];
        for (int channel = 0; channel < 3; channel++) {
            for (int index = 0; index < NOISE_TABLE; index++) {
                noise[channel][index] = random.nextInt(-amplitude, amplitude + 1);
            }
        }
        int[] blue = lookUp[2];
        int[] green = lookUp[1];
        int[] red = lookUp[0];
        int[] blueNoise = noise[2];
        int[] greenNoise = noise[1];
        int[] redNoise = noise[0];
        int position = 0;
        for (int y = 0; y < height; y++) {
            int row = rowWave[y];
            int offset = random.nextInt(NOISE_TABLE);
            for (int x = 0; x < width; x++) {
                int mix = row + columnWave[x];
                int grain = (offset + x) & (NOISE_TABLE - 1);
                pixels[position++] = (byte) (blue[mix] + blueNoise[grain]);
                pixels[position++] = (byte) (green[mix] + greenNoise[grain]);
                pixels[position++] = (byte) (red[mix] + redNoise[grain]);
            }
        }
        return image;
    }

    /** 0 to 256 along one axis: two sine waves of random period and phase. */
    private static int[] wave(int length, SplittableRandom random) {
        double first = 2 * Math.PI / (8 + random.nextInt(60));
        double second = 2 * Math.PI / (40 + random.nextInt(200));
        double phase = random.nextDouble() * 2 * Math.PI;
        int[] values = new int[length];
        for (int index = 0; index < length; index++) {
            values[index] = (int) Math.round(128 + 64 * Math.sin(first * index + phase) + 64 * Math.sin(second * index));
        }
        return values;
    }

    private static Color randomColor(SplittableRandom random) {
        return new Color(Color.HSBtoRGB((float) random.nextDouble(), 0.7f + 0.3f * (float) random.nextDouble(),
                0.6f + 0.4f * (float) random.nextDouble()));
    }

    /** The shapes, in class id order (their names are {@link #SHAPES}). */
    private enum Shape { CIRCLE, SQUARE, TRIANGLE, CROSS, RING, STAR }

    /** Draws the shape of a class filling the box (x, y, width, height) edge to edge. */
    static void draw(Graphics2D graphics, int classId, int x, int y, int width, int height, Color color) {
        graphics.setColor(color);
        switch (Shape.values()[classId]) {
            case CIRCLE -> graphics.fillOval(x, y, width, height);
            case SQUARE -> graphics.fillRect(x, y, width, height);
            case TRIANGLE -> graphics.fillPolygon(polygon(x, y, width, height, new double[] {0.5, 0, 1, 1, 0, 1}));
            case CROSS -> {
                graphics.fillRect(x, y + height / 3, width, Math.max(1, height / 3));
                graphics.fillRect(x + width / 3, y, Math.max(1, width / 3), height);
            }
            case RING -> {
                Area ring = new Area(new Ellipse2D.Double(x, y, width, height));
                ring.subtract(new Area(new Ellipse2D.Double(x + width * 0.3, y + height * 0.3, width * 0.4, height * 0.4)));
                graphics.fill(ring);
            }
            case STAR -> {
                double[] unit = new double[20];
                for (int point = 0; point < 10; point++) {
                    double radius = point % 2 == 0 ? 1 : 0.45;
                    double angle = -Math.PI / 2 + point * Math.PI / 5;
                    unit[2 * point] = radius * Math.cos(angle);
                    unit[2 * point + 1] = radius * Math.sin(angle);
                }
                graphics.fillPolygon(polygon(x, y, width, height, fitted(unit)));
            }
        }
    }

    /** Points given in 0..1 of the box, as a polygon over the box. */
    private static Polygon polygon(int x, int y, int width, int height, double[] unit) {
        Polygon polygon = new Polygon();
        for (int point = 0; point < unit.length; point += 2) {
            polygon.addPoint(x + (int) Math.round(unit[point] * width), y + (int) Math.round(unit[point + 1] * height));
        }
        return polygon;
    }

    /** Points rescaled so that their bounds are exactly 0..1. */
    private static double[] fitted(double[] points) {
        double minimumX = Double.MAX_VALUE;
        double minimumY = Double.MAX_VALUE;
        double maximumX = -Double.MAX_VALUE;
        double maximumY = -Double.MAX_VALUE;
        for (int point = 0; point < points.length; point += 2) {
            minimumX = Math.min(minimumX, points[point]);
            maximumX = Math.max(maximumX, points[point]);
            minimumY = Math.min(minimumY, points[point + 1]);
            maximumY = Math.max(maximumY, points[point + 1]);
        }
        double[] fitted = new double[points.length];
        for (int point = 0; point < points.length; point += 2) {
            fitted[point] = (points[point] - minimumX) / (maximumX - minimumX);
            fitted[point + 1] = (points[point + 1] - minimumY) / (maximumY - minimumY);
        }
        return fitted;
    }

    // ---- XML ---------------------------------------------------------------------------------------------------

    private String xml(SampleRecord record, String fileName, String flickrId) {
        List<String> names = record.objects().stream().map(object -> SHAPES.get(object.classId())).toList();
        List<String> coordinates = new ArrayList<>();
        for (SampleObject object : record.objects()) {
            coordinates.add(coordinatesXml(record.style(), Integer.toString(object.xmin()), Integer.toString(object.ymin()),
                    Integer.toString(object.xmax()), Integer.toString(object.ymax())));
        }
        return xml(record.style(), fileName, record.size(), record.size(), record.objects(), names, coordinates, flickrId);
    }

    /** The annotation as the style's tool writes it; objects by name and their {@code <bndbox>} content. */
    private static String xml(XmlStyle style, String fileName, ImageSize size, ImageSize declared, List<SampleObject> objects,
                              List<String> names, List<String> boxes, String flickrId) {
        StringBuilder xml = new StringBuilder(2048);
        switch (style) {
            case LABELIMG, LABELIMG_VERIFIED -> {
                xml.append(style == XmlStyle.LABELIMG_VERIFIED ? "<annotation verified=\"yes\">\n" : "<annotation>\n");
                xml.append("\t<folder>JPEGImages</folder>\n\t<filename>").append(fileName).append("</filename>\n");
                xml.append("\t<path>/home/annotator/datasets/shapes/JPEGImages/").append(fileName).append("</path>\n");
                xml.append("\t<source>\n\t\t<database>Unknown</database>\n\t</source>\n");
                sizeXml(xml, "\t", declared, "3");
                xml.append("\t<segmented>0</segmented>\n");
            }
            case VOC2007, LATIN_1 -> {
                if (style == XmlStyle.LATIN_1) {
                    xml.append("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n");
                }
                xml.append("<annotation>\n\t<folder>VOC2007</folder>\n\t<filename>").append(fileName).append("</filename>\n");
                xml.append("\t<source>\n\t\t<database>The Shapes Database</database>\n\t\t<annotation>PASCAL VOC2007</annotation>\n");
                xml.append("\t\t<image>flickr</image>\n\t\t<flickrid>").append(flickrId).append("</flickrid>\n\t</source>\n");
                xml.append("\t<owner>\n\t\t<flickrid>yolofleet</flickrid>\n\t\t<name>")
                        .append(style == XmlStyle.LATIN_1 ? "Zoë Müller-Søndergård" : "yolofleet").append("</name>\n\t</owner>\n");
                sizeXml(xml, "\t", declared, "3");
                xml.append("\t<segmented>0</segmented>\n");
            }
            case CVAT -> {
                xml.append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<annotation>\n  <folder></folder>\n  <filename>")
                        .append(fileName).append("</filename>\n  <source>\n    <database>Unknown</database>\n");
                xml.append("    <annotation>Unknown</annotation>\n    <image>Unknown</image>\n  </source>\n");
                sizeXml(xml, "  ", declared, "");
                xml.append("  <segmented>0</segmented>\n");
            }
        }
        for (int index = 0; index < names.size(); index++) {
            SampleObject object = index < objects.size() ? objects.get(index) : null;
            boolean truncated = object != null && object.truncated();
            boolean difficult = object != null && object.difficult();
            switch (style) {
                case LABELIMG, LABELIMG_VERIFIED, VOC2007, LATIN_1 -> {
                    xml.append("\t<object>\n\t\t<name>").append(names.get(index)).append("</name>\n");
                    xml.append("\t\t<pose>").append(style == XmlStyle.VOC2007 ? "Frontal" : "Unspecified").append("</pose>\n");
                    xml.append("\t\t<truncated>").append(truncated ? 1 : 0).append("</truncated>\n");
                    xml.append("\t\t<difficult>").append(difficult ? 1 : 0).append("</difficult>\n");
                    xml.append("\t\t<bndbox>\n").append(boxes.get(index)).append("\t\t</bndbox>\n\t</object>\n");
                }
                case CVAT -> {
                    xml.append("  <object>\n    <name>").append(names.get(index)).append("</name>\n");
                    xml.append("    <truncated>").append(truncated ? 1 : 0).append("</truncated>\n");
                    xml.append("    <occluded>0</occluded>\n    <difficult>").append(difficult ? 1 : 0).append("</difficult>\n");
                    xml.append("    <bndbox>\n").append(boxes.get(index)).append("    </bndbox>\n");
                    xml.append("    <attributes>\n      <attribute>\n        <name>rotation</name>\n");
                    xml.append("        <value>0.0</value>\n      </attribute>\n    </attributes>\n  </object>\n");
                }
            }
        }
        xml.append("</annotation>\n");
        return xml.toString();
    }

    private static void sizeXml(StringBuilder xml, String indent, ImageSize size, String depth) {
        xml.append(indent).append("<size>\n").append(indent).append(indent).append("<width>").append(size.width())
                .append("</width>\n").append(indent).append(indent).append("<height>").append(size.height()).append("</height>\n")
                .append(indent).append(indent).append("<depth>").append(depth).append("</depth>\n").append(indent).append("</size>\n");
    }

    private static String coordinatesXml(XmlStyle style, String xmin, String ymin, String xmax, String ymax) {
        return switch (style) {
            case LABELIMG, LABELIMG_VERIFIED, VOC2007, LATIN_1 -> "\t\t\t<xmin>" + xmin + "</xmin>\n\t\t\t<ymin>" + ymin
                    + "</ymin>\n\t\t\t<xmax>" + xmax + "</xmax>\n\t\t\t<ymax>" + ymax + "</ymax>\n";
            case CVAT -> "      <xmin>" + decimal(xmin) + "</xmin>\n      <ymin>" + decimal(ymin) + "</ymin>\n      <xmax>"
                    + decimal(xmax) + "</xmax>\n      <ymax>" + decimal(ymax) + "</ymax>\n";
        };
    }

    /** CVAT writes coordinates with two decimals. */
    private static String decimal(String value) {
        return value.matches("-?\\d+") ? value + ".00" : value;
    }

    private static byte[] encoded(XmlStyle style, String xml) {
        Charset charset = style == XmlStyle.LATIN_1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8;
        return xml.getBytes(charset);
    }

    // ---- faults ------------------------------------------------------------------------------------------------

    /** The picture of most faults: 320x240 with two objects (the first two classes) at fixed places. */
    private BufferedImage faultPicture(int variant) {
        SplittableRandom random = new SplittableRandom(mix(options.seed() ^ 0x5DEECE66DL, variant));
        BufferedImage image = background(FAULT_IMAGE_SIZE, random);
        Graphics2D graphics = image.createGraphics();
        draw(graphics, 0, 40, 50, 90, 80, randomColor(random));
        draw(graphics, Math.min(1, options.classCount() - 1), 170, 90, 110, 100, randomColor(random));
        graphics.dispose();
        return image;
    }

    /** The fault picture as a record: its JPEG and its two objects. */
    private SampleRecord faultBase(String id, int variant) {
        int second = Math.min(1, options.classCount() - 1);
        List<SampleObject> objects = List.of(new SampleObject(0, 40, 50, 130, 130, false, false),
                new SampleObject(second, 170, 90, 280, 190, false, false));
        return new SampleRecord(id, FAULT_IMAGE_SIZE, JpegCodec.encode(faultPicture(variant), JPEG_QUALITY), objects,
                XmlStyle.LABELIMG);
    }

    private List<InjectedFault> writeFaults(Path root, Optional<SampleRecord> duplicated) {
        Path annotations = root.resolve(ANNOTATIONS);
        Path images = root.resolve(IMAGES);
        List<InjectedFault> faults = new ArrayList<>();
        String circle = SHAPES.get(0);
        String second = SHAPES.get(Math.min(1, options.classCount() - 1));
        int variant = 0;

        // Whole record rejected: the annotation
        SampleRecord record = faultBase("fault_xxe", variant++);
        String plain = xml(record, "fault_xxe.jpg", "0");
        writeFault(annotations, images, record, plain.replace("<annotation>", "<!DOCTYPE annotation [\n  <!ENTITY xxe SYSTEM "
                + "\"file:///etc/passwd\">\n]>\n<annotation>").replace("<filename>fault_xxe.jpg", "<filename>&xxe;"));
        faults.add(rejected(record.id(), QuarantineReason.XML_FORBIDDEN_DOCTYPE));

        record = faultBase("fault_billion_laughs", variant++);
        StringBuilder laughs = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE annotation [\n  <!ENTITY lol0 \"lol\">\n");
        for (int level = 1; level <= 9; level++) {
            laughs.append("  <!ENTITY lol").append(level).append(" \"").append(("&lol" + (level - 1) + ";").repeat(10)).append("\">\n");
        }
        laughs.append("]>\n").append(xml(record, "fault_billion_laughs.jpg", "0").replace("<folder>JPEGImages</folder>",
                "<folder>&lol9;</folder>"));
        writeFault(annotations, images, record, laughs.toString());
        faults.add(rejected(record.id(), QuarantineReason.XML_FORBIDDEN_DOCTYPE));

        record = faultBase("fault_truncated_xml", variant++);
        String whole = xml(record, "fault_truncated_xml.jpg", "0");
        writeFault(annotations, images, record, whole.substring(0, whole.length() / 2));
        faults.add(rejected(record.id(), QuarantineReason.XML_MALFORMED));

        record = faultBase("fault_empty_xml", variant++);
        writeFault(annotations, images, record, "");
        faults.add(rejected(record.id(), QuarantineReason.XML_EMPTY));

        record = faultBase("fault_bad_encoding", variant++);
        byte[] latin1 = xml(record, "fault_bad_encoding.jpg", "0").replace("<folder>JPEGImages</folder>",
                "<folder>Café Crème</folder>").getBytes(StandardCharsets.ISO_8859_1);
        write(annotations.resolve(record.id() + ".xml"), concat("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                .getBytes(StandardCharsets.US_ASCII), latin1));
        write(images.resolve(record.id() + ".jpg"), record.jpeg());
        faults.add(rejected(record.id(), QuarantineReason.XML_ENCODING));

        record = faultBase("fault_not_voc", variant++);
        writeFault(annotations, images, record, "<html><body><p>fault_not_voc.jpg</p></body></html>\n");
        faults.add(rejected(record.id(), QuarantineReason.XML_MISSING_FIELD));

        record = faultBase("fault_path_traversal", variant++);
        writeFault(annotations, images, record, xml(record, "../../../../etc/passwd", "0"));
        faults.add(rejected(record.id(), QuarantineReason.PATH_TRAVERSAL));

        record = faultBase("fault_missing_image", variant++);
        write(annotations.resolve(record.id() + ".xml"), xml(record, "fault_missing_image.jpg", "0"));
        faults.add(rejected(record.id(), QuarantineReason.ANNOTATION_WITHOUT_IMAGE));

        // Whole record rejected: the image
        record = faultBase("fault_empty_image", variant++);
        writeFault(annotations, images, record, xml(record, "fault_empty_image.jpg", "0"), new byte[0], ".jpg");
        faults.add(rejectedImage(record.id(), QuarantineReason.IMAGE_EMPTY, ".jpg"));

        record = faultBase("fault_truncated_jpeg", variant++);
        writeFault(annotations, images, record, xml(record, "fault_truncated_jpeg.jpg", "0"),
                Arrays.copyOf(record.jpeg(), record.jpeg().length * 2 / 3), ".jpg");
        faults.add(rejectedImage(record.id(), QuarantineReason.IMAGE_TRUNCATED, ".jpg"));

        record = faultBase("fault_undecodable_image", variant++);
        writeFault(annotations, images, record, xml(record, "fault_undecodable_image.jpg", "0"),
                "this is a text file, not an image\n".getBytes(StandardCharsets.US_ASCII), ".jpg");
        faults.add(rejectedImage(record.id(), QuarantineReason.IMAGE_UNDECODABLE, ".jpg"));

        record = faultBase("fault_decompression_bomb", variant++);
        writeFault(annotations, images, record, xml(record, "fault_decompression_bomb.png", "0"),
                SampleImages.pngBomb(100_000, 100_000), ".png");
        faults.add(rejectedImage(record.id(), QuarantineReason.IMAGE_TOO_LARGE, ".png"));

        // Decided across records
        if (duplicated.isPresent()) {
            SampleRecord original = duplicated.get();
            SampleRecord copy = new SampleRecord("fault_duplicate_image", original.size(), original.jpeg(), original.objects(),
                    original.style());
            write(annotations.resolve(copy.id() + ".xml"), encoded(copy.style(), xml(copy, copy.id() + ".jpg", "0")));
            write(images.resolve(copy.id() + ".jpg"), copy.jpeg());
            faults.add(new InjectedFault(ANNOTATIONS + "/" + copy.id() + ".xml", copy.id(), QuarantineReason.DUPLICATE_IMAGE,
                    List.of(QuarantineReason.DUPLICATE_IMAGE), false, 0));
        }
        write(images.resolve("fault_orphan.jpg"), faultBase("fault_orphan", variant++).jpeg());
        faults.add(new InjectedFault(IMAGES + "/fault_orphan.jpg", "fault_orphan", QuarantineReason.IMAGE_WITHOUT_ANNOTATION,
                List.of(QuarantineReason.IMAGE_WITHOUT_ANNOTATION), false, 0));

        // Kept, with a warning
        record = faultBase("fault_wrong_extension", variant);
        writeFault(annotations, images, record, xml(record, "fault_wrong_extension.jpg", "0"),
                SampleImages.png(faultPicture(variant++)), ".jpg");
        faults.add(kept(record.id(), 2, QuarantineReason.WRONG_EXTENSION, QuarantineReason.FORMAT_CONVERTED));

        record = faultBase("fault_grayscale", variant);
        writeFault(annotations, images, record, xml(record, "fault_grayscale.jpg", "0"),
                SampleImages.grayscaleJpeg(faultPicture(variant++), JPEG_QUALITY), ".jpg");
        faults.add(kept(record.id(), 2, QuarantineReason.CONVERTED_GRAYSCALE));

        record = faultBase("fault_cmyk", variant);
        writeFault(annotations, images, record, xml(record, "fault_cmyk.jpg", "0"),
                SampleImages.adobeCmykJpeg(faultPicture(variant++), false, JPEG_QUALITY), ".jpg");
        faults.add(kept(record.id(), 2, QuarantineReason.CONVERTED_CMYK));

        record = faultBase("fault_ycck", variant);
        writeFault(annotations, images, record, xml(record, "fault_ycck.jpg", "0"),
                SampleImages.adobeCmykJpeg(faultPicture(variant++), true, JPEG_QUALITY), ".jpg");
        faults.add(kept(record.id(), 2, QuarantineReason.CONVERTED_CMYK));

        record = faultBase("fault_16_bit", variant);
        writeFault(annotations, images, record, xml(record, "fault_16_bit.png", "0"), SampleImages.png16Bit(faultPicture(variant++)),
                ".png");
        faults.add(kept(record.id(), 2, QuarantineReason.CONVERTED_16_BIT, QuarantineReason.FORMAT_CONVERTED));

        record = faultBase("fault_exif_rotated", variant++);
        writeFault(annotations, images, record, xml(record, "fault_exif_rotated.jpg", "0"),
                SampleImages.withExifOrientation(record.jpeg(), ExifOrientation.ROTATE_90_CLOCKWISE.tagValue()), ".jpg");
        faults.add(kept(record.id(), 2, QuarantineReason.EXIF_ORIENTATION_APPLIED));

        record = faultBase("fault_filename_mismatch", variant++);
        writeFault(annotations, images, record, xml(record, "IMG_20240101_120000.jpg", "0"));
        faults.add(kept(record.id(), 2, QuarantineReason.FILENAME_MISMATCH));

        record = faultBase("fault_size_mismatch", variant++);
        writeFault(annotations, images, record, xml(record.style(), "fault_size_mismatch.jpg", record.size(), new ImageSize(640, 480),
                record.objects(), names(record), boxes(record), "0"));
        faults.add(kept(record.id(), 2, QuarantineReason.SIZE_MISMATCH));

        record = faultBase("fault_no_objects", variant++);
        writeFault(annotations, images, record, xml(record.style(), "fault_no_objects.jpg", record.size(), record.size(), List.of(),
                List.of(), List.of(), "0"));
        faults.add(kept(record.id(), 0, QuarantineReason.NO_OBJECTS));

        record = faultBase("fault_alias", variant++);
        writeFault(annotations, images, record, xml(record.style(), "fault_alias.jpg", record.size(), record.size(), record.objects(),
                List.of(FAULT_ALIASES.keySet().iterator().next(), second), boxes(record), "0"));
        faults.add(kept(record.id(), 2, QuarantineReason.ALIAS_APPLIED));

        record = faultBase("fault_clipped_box", variant++);
        writeFault(annotations, images, record, objectFault(record, coordinatesXml(record.style(), "170", "90", "321", "190")));
        faults.add(kept(record.id(), 2, QuarantineReason.BOX_CLIPPED));

        // Kept, one object rejected
        String[][] objectFaults = {
                {"fault_nan_box", "BOX_NOT_FINITE", "170", "NaN", "280", "190"},
                {"fault_negative_box", "BOX_NEGATIVE", "-40", "90", "280", "190"},
                {"fault_inverted_box", "BOX_INVERTED", "280", "90", "170", "190"},
                {"fault_zero_area_box", "BOX_ZERO_AREA", "170", "90", "170", "190"},
                {"fault_outside_box", "BOX_OUTSIDE_IMAGE", "170", "90", "370", "190"},
                {"fault_tiny_box", "BOX_TOO_SMALL", "170", "90", "171", "190"}};
        for (String[] fault : objectFaults) {
            record = faultBase(fault[0], variant++);
            writeFault(annotations, images, record, objectFault(record, coordinatesXml(record.style(), fault[2], fault[3], fault[4],
                    fault[5])));
            faults.add(kept(record.id(), 1, QuarantineReason.valueOf(fault[1])));
        }
        record = faultBase("fault_unknown_class", variant++);
        writeFault(annotations, images, record, xml(record.style(), "fault_unknown_class.jpg", record.size(), record.size(),
                record.objects(), List.of(circle, "hexagon"), boxes(record), "0"));
        faults.add(kept(record.id(), 1, QuarantineReason.UNKNOWN_CLASS));

        record = faultBase("fault_missing_coordinate", variant++);
        writeFault(annotations, images, record, objectFault(record, "\t\t\t<xmin>170</xmin>\n\t\t\t<ymin>90</ymin>\n"
                + "\t\t\t<xmax>280</xmax>\n"));
        faults.add(kept(record.id(), 1, QuarantineReason.OBJECT_MISSING_FIELD));
        return faults;
    }

    /** The base record's XML with the second object's {@code <bndbox>} content replaced. */
    private static String objectFault(SampleRecord record, String secondBox) {
        List<String> boxes = new ArrayList<>(boxes(record));
        boxes.set(1, secondBox);
        return xml(record.style(), record.id() + ".jpg", record.size(), record.size(), record.objects(), names(record), boxes, "0");
    }

    private static List<String> names(SampleRecord record) {
        return record.objects().stream().map(object -> SHAPES.get(object.classId())).toList();
    }

    private static List<String> boxes(SampleRecord record) {
        return record.objects().stream().map(object -> coordinatesXml(record.style(), Integer.toString(object.xmin()),
                Integer.toString(object.ymin()), Integer.toString(object.xmax()), Integer.toString(object.ymax()))).toList();
    }

    private static InjectedFault rejected(String id, QuarantineReason reason) {
        return new InjectedFault(ANNOTATIONS + "/" + id + ".xml", id, reason, List.of(reason), false, 0);
    }

    private static InjectedFault rejectedImage(String id, QuarantineReason reason, String extension) {
        return new InjectedFault(IMAGES + "/" + id + extension, id, reason, List.of(reason), false, 0);
    }

    private static InjectedFault kept(String id, int objects, QuarantineReason... reasons) {
        return new InjectedFault(ANNOTATIONS + "/" + id + ".xml", id, reasons[0], List.of(reasons), true, objects);
    }

    private static void writeFault(Path annotations, Path images, SampleRecord record, String xml) {
        writeFault(annotations, images, record, xml, record.jpeg(), ".jpg");
    }

    private static void writeFault(Path annotations, Path images, SampleRecord record, String xml, byte[] image, String extension) {
        write(annotations.resolve(record.id() + ".xml"), xml);
        write(images.resolve(record.id() + extension), image);
    }

    // ---- files ---------------------------------------------------------------------------------------------

    private void writeImageSets(Path imageSets, List<String> goodIds, List<String> faultIds) {
        List<String> train = new ArrayList<>();
        List<String> val = new ArrayList<>();
        List<String> all = new ArrayList<>(goodIds);
        all.addAll(faultIds);
        all.sort(null);
        for (String id : all) {
            SplittableRandom random = new SplittableRandom(mix(options.seed(), id.hashCode()));
            (random.nextDouble() < VAL_SHARE ? val : train).add(id);
        }
        write(imageSets.resolve("train.txt"), lines(train));
        write(imageSets.resolve("val.txt"), lines(val));
        write(imageSets.resolve("trainval.txt"), lines(all));
    }

    private static String lines(List<String> ids) {
        StringBuilder text = new StringBuilder();
        ids.forEach(id -> text.append(id).append('\n'));
        return text.toString();
    }

    private static void requireEmpty(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            try (Stream<Path> entries = Files.list(directory)) {
                if (entries.findAny().isPresent()) {
                    throw new YoloFleetException(ErrorCode.OUTPUT_EXISTS, directory + " is not empty: generate into an empty directory");
                }
            }
        }
    }

    private static void write(Path file, String text) {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException failure) {
            throw new YoloFleetException(ErrorCode.IO, "cannot write " + file + ": " + failure.getMessage(), failure);
        }
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] joined = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        return joined;
    }

    /** A well-spread seed for item {@code index} of a run seeded {@code seed} (SplitMix64 finaliser). */
    private static long mix(long seed, long index) {
        long value = seed + 0x9E3779B97F4A7C15L * (index + 1);
        value = (value ^ (value >>> 30)) * 0xBF58476D1CE4E5B9L;
        value = (value ^ (value >>> 27)) * 0x94D049BB133111EBL;
        return value ^ (value >>> 31);
    }
}
