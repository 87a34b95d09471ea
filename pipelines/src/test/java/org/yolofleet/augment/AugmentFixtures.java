package org.yolofleet.augment;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.image.JpegCodec;
import org.yolofleet.core.image.RgbImage;
import org.yolofleet.stage.DatasetSchema;
import org.yolofleet.stage.Split;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Synthetic images and prepared datasets for the augment tests: textured backgrounds with solid boxes on them. */
final class AugmentFixtures {
    static final List<String> CLASSES = List.of("circle", "square", "triangle");
    static final String DATASET_VERSION = "20250101T000000Z-0123456789ab";
    /** A record of the fixture dataset whose image bytes are not an image any more. */
    static final String BROKEN_ID = "site/broken_0007";

    private AugmentFixtures() {
    }

    /** A grey-ish noise texture of blocks, deterministic for a seed. */
    static byte[] texture(int width, int height, long seed) {
        Random random = new Random(seed);
        byte[] pixels = new byte[3 * width * height];
        int block = 5;
        for (int blockY = 0; blockY < height; blockY += block) {
            for (int blockX = 0; blockX < width; blockX += block) {
                int base = 60 + random.nextInt(100);
                for (int y = blockY; y < Math.min(height, blockY + block); y++) {
                    for (int x = blockX; x < Math.min(width, blockX + block); x++) {
                        int index = 3 * (y * width + x);
                        pixels[index] = (byte) (base + random.nextInt(10));
                        pixels[index + 1] = (byte) (base + random.nextInt(10));
                        pixels[index + 2] = (byte) (base + random.nextInt(10));
                    }
                }
            }
        }
        return pixels;
    }

    /** Fills the pixels whose centres lie inside {@code box} with one colour (0xRRGGBB). */
    static void fill(byte[] pixels, int width, BoundingBox box, int rgb) {
        int height = pixels.length / 3 / width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (x + 0.5 > box.xmin() && x + 0.5 < box.xmax() && y + 0.5 > box.ymin() && y + 0.5 < box.ymax()) {
                    int index = 3 * (y * width + x);
                    pixels[index] = (byte) (rgb >> 16);
                    pixels[index + 1] = (byte) (rgb >> 8);
                    pixels[index + 2] = (byte) rgb;
                }
            }
        }
    }

    /** A prepared record: a textured image with {@code boxes} solid rectangles, whole-pixel corners, stored as JPEG. */
    static PreparedRecord record(String id, Split split, int width, int height, int boxes, long seed) {
        Random random = new Random(seed);
        byte[] pixels = texture(width, height, seed);
        List<LabelledPixelBox> labelled = new ArrayList<>();
        for (int index = 0; index < boxes; index++) {
            int boxWidth = Math.max(8, width / 6 + random.nextInt(width / 3));
            int boxHeight = Math.max(8, height / 6 + random.nextInt(height / 3));
            int left = random.nextInt(width - boxWidth + 1);
            int top = random.nextInt(height - boxHeight + 1);
            BoundingBox box = new BoundingBox(left, top, left + boxWidth, top + boxHeight);
            int classId = random.nextInt(CLASSES.size());
            fill(pixels, width, box, ContactSheet.classColour(classId).getRGB() & 0xffffff);
            labelled.add(new LabelledPixelBox(classId, CLASSES.get(classId), box, index == 1, false));
        }
        byte[] jpeg = JpegCodec.encode(new RgbImage(width, height, pixels), 95);
        return new PreparedRecord(id, split, width, height, jpeg, labelled);
    }

    /** The Parquet row ({@link DatasetSchema#IMAGE}) of a record. */
    static Row row(PreparedRecord record) {
        List<Row> objects = new ArrayList<>();
        for (LabelledPixelBox box : record.boxes()) {
            objects.add(RowFactory.create(box.classId(), box.className(), box.box().xmin(), box.box().ymin(), box.box().xmax(),
                    box.box().ymax(), box.difficult(), box.truncated()));
        }
        String[] parts = record.id().split("/", 2);
        return RowFactory.create(record.id(), parts[0], 0, parts[1], "file:/voc/Annotations/" + parts[1] + ".xml",
                "file:/voc/JPEGImages/" + parts[1] + ".jpg", "hash-" + record.id(), record.width(), record.height(), record.image(),
                objects, List.of(), record.split().directoryName());
    }

    /**
     * The fixture dataset: {@code trainImages} training and {@code valImages} validation images of mixed sizes and
     * aspect ratios (one negative without objects), plus one training record whose bytes no longer decode.
     */
    static List<PreparedRecord> records(int trainImages, int valImages) {
        int[][] sizes = {{160, 120}, {120, 160}, {200, 100}, {140, 140}};
        List<PreparedRecord> records = new ArrayList<>();
        for (int index = 0; index < trainImages + valImages; index++) {
            Split split = index < trainImages ? Split.TRAIN : Split.VAL;
            int[] size = sizes[index % sizes.length];
            int boxes = index == 2 ? 0 : 1 + index % 3;
            records.add(record(String.format("site/image_%04d", index), split, size[0], size[1], boxes, 1000 + index));
        }
        PreparedRecord template = records.get(0);
        byte[] broken = "this was a JPEG once".getBytes(StandardCharsets.US_ASCII);
        records.add(new PreparedRecord(BROKEN_ID, Split.TRAIN, template.width(), template.height(), broken, template.boxes()));
        return records;
    }

    /** Writes a prepared dataset ({@code images/} Parquet partitioned by split and {@code dataset.json}) under {@code directory}. */
    static void writeDataset(SparkSession spark, List<PreparedRecord> records, Path directory) throws IOException {
        List<Row> rows = records.stream().map(AugmentFixtures::row).toList();
        spark.createDataFrame(rows, DatasetSchema.IMAGE).coalesce(2).write().partitionBy("split")
                .parquet(directory.resolve(DatasetSchema.IMAGES_DIRECTORY).toUri().toString());
        Files.writeString(directory.resolve(DatasetSchema.MANIFEST), """
                {"format": "yolofleet-dataset/1", "version": "%s", "classes": ["circle", "square", "triangle"],
                 "input": {"width": 96, "height": 96, "resizeMode": "letterbox"}}
                """.formatted(DATASET_VERSION));
    }
}
