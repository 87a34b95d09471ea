package org.yolofleet.train;

import org.yolofleet.core.image.ImageDecoder;
import org.yolofleet.core.image.ImagePreprocessor;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.yolofleet.spark.DistinctAccumulator;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.nd4j.common.loader.Source;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.image.JpegCodec;
import org.yolofleet.core.image.Placement;
import org.yolofleet.core.image.Resampler;
import org.yolofleet.core.image.RgbImage;
import org.yolofleet.core.model.ResizeMode;
import org.yolofleet.model.Nd4jRuntime;
import org.yolofleet.model.YoloLabelEncoder;
import org.yolofleet.spark.HadoopFiles;
import org.yolofleet.spark.SerializableHadoopConfiguration;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serial;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.Objects.requireNonNull;

/**
 * Runs on the executors under dl4j-spark's {@code fitPaths}: turns a {@link ShardBatch} path into a minibatch. Reads the
 * batch's byte range of the tar shard from any Hadoop file system, decodes each JPEG to float RGB in {@code [0, 1]},
 * CHW, and encodes its boxes with {@link YoloLabelEncoder} into the labels of the region layer ({@link org.yolofleet.model.RegionOutputLayer}). Applies the fast ND4J
 * configuration once per executor JVM before the first batch. With {@link #recordingTo} it names the executor that
 * loaded each minibatch ({@link #executor()}), so the train stage can say which processes the averaged parameters
 * came from.
 */
public final class ShardBatchLoader implements DataSetLoader {
    @Serial
    private static final long serialVersionUID = 1L;
    private static volatile boolean runtimeConfigured;

    private final SerializableHadoopConfiguration hadoop;
    private final int width;
    private final int height;
    private final int classes;
    private final int trainingWidth;
    private final int trainingHeight;
    /** The executors that loaded minibatches; null when not recorded. */
    private final DistinctAccumulator loadedOn;

    /** A loader of shards made for a {@code width x height} network input, training at that size. */
    public ShardBatchLoader(SerializableHadoopConfiguration hadoop, int width, int height, int classes) {
        this(hadoop, width, height, classes, width, height, null);
    }

    private ShardBatchLoader(SerializableHadoopConfiguration hadoop, int width, int height, int classes, int trainingWidth, int trainingHeight,
                             DistinctAccumulator loadedOn) {
        this.hadoop = requireNonNull(hadoop, "hadoop");
        checkSize(width, height);
        checkSize(trainingWidth, trainingHeight);
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be positive, got " + classes);
        }
        this.width = width;
        this.height = height;
        this.classes = classes;
        this.trainingWidth = trainingWidth;
        this.trainingHeight = trainingHeight;
        this.loadedOn = loadedOn;
    }

    private static void checkSize(int width, int height) {
        if (width < 32 || height < 32 || width % 32 != 0 || height % 32 != 0) {
            throw new IllegalArgumentException("input sizes must be multiples of 32, got " + width + "x" + height);
        }
    }

    /**
     * The same loader resampling every image to {@code trainingWidth x trainingHeight} (multi-scale training, Darknet's
     * {@code random=1}): the network is fully convolutional, so it trains on a smaller grid with the same weights; the
     * labels are normalised boxes, encoded for the smaller grid.
     */
    public ShardBatchLoader atSize(int trainingWidth, int trainingHeight) {
        return new ShardBatchLoader(hadoop, width, height, classes, trainingWidth, trainingHeight, loadedOn);
    }

    /**
     * The same loader adding {@link #executor()} to {@code accumulator} for every minibatch it loads (registered with
     * the Spark context, so the executors' entries reach the driver with their tasks).
     */
    public ShardBatchLoader recordingTo(DistinctAccumulator accumulator) {
        return new ShardBatchLoader(hadoop, width, height, classes, trainingWidth, trainingHeight, requireNonNull(accumulator, "accumulator"));
    }

    @Override
    public DataSet load(Source source) throws IOException {
        return load(source.getPath());
    }

    /** The minibatch of a {@link ShardBatch} path (what dl4j-spark hands over as the source's path). */
    public DataSet load(String path) throws IOException {
        configureRuntimeOnce();
        if (loadedOn != null) {
            loadedOn.add(executor());
        }
        ShardBatch batch = ShardBatch.parse(path);
        FileSystem fileSystem = HadoopFiles.fileSystem(batch.shard(), hadoop.get());
        byte[] bytes = new byte[Math.toIntExact(batch.end() - batch.start())];
        try (FSDataInputStream input = fileSystem.open(new Path(batch.shard()))) {
            input.readFully(batch.start(), bytes);
        }
        List<ShardSample> samples = ShardSample.group(TarEntries.read(new ByteArrayInputStream(bytes), batch.start(), batch.shard()), batch.shard());
        if (samples.size() != batch.samples()) {
            throw new YoloFleetException(ErrorCode.BAD_DATASET, batch.path() + " holds " + samples.size() + " samples, the index said " + batch.samples()
                    + ": the shard changed since training started");
        }
        return toDataSet(samples);
    }

    /**
     * Features {@code [n, 3, trainingHeight, trainingWidth]} and labels {@code [n, 4 + classes, trainingHeight / 32,
     * trainingWidth / 32]} of samples.
     */
    DataSet toDataSet(List<ShardSample> samples) {
        YoloLabelEncoder encoder = new YoloLabelEncoder(classes, trainingWidth / 32, trainingHeight / 32);
        int pixels = trainingWidth * trainingHeight;
        float[] features = new float[samples.size() * 3 * pixels];
        float[] labels = new float[samples.size() * encoder.valuesPerImage()];
        for (int index = 0; index < samples.size(); index++) {
            ShardSample sample = samples.get(index);
            RgbImage image = ImageDecoder.STORED_IMAGES.decode(sample.jpeg()).image();
            if (image.width() != width || image.height() != height) {
                throw sizeMismatch(sample.key(), image, width, height);
            }
            if (trainingWidth != width || trainingHeight != height) {
                image = resize(image);
            }
            writeChannels(image, trainingWidth, trainingHeight, features, index * 3 * pixels, sample.key());
            encoder.encodeInto(sample.trainingBoxes(), labels, index * encoder.valuesPerImage());
        }
        return new DataSet(
                Nd4j.create(features, new long[] {samples.size(), 3, trainingHeight, trainingWidth}, 'c'),
                Nd4j.create(labels, new long[] {samples.size(), 4 + classes, trainingHeight / 32, trainingWidth / 32}, 'c'));
    }

    /** The image at the training size (Darknet's 0.5 grey never shows: the whole image maps onto the whole canvas). */
    private RgbImage resize(RgbImage image) {
        float[] canvas = Resampler.resample(image, Placement.ofImage(width, height, trainingWidth, trainingHeight, ResizeMode.RESIZE), Placement.BACKGROUND);
        return RgbImage.fromChannels(trainingWidth, trainingHeight, canvas);
    }

    private static YoloFleetException sizeMismatch(String key, RgbImage image, int width, int height) {
        return new YoloFleetException(ErrorCode.BAD_DATASET, "sample " + key + " is " + image.width() + "x" + image.height()
                + ", the network input is " + width + "x" + height);
    }

    /** Writes a network-sized image as the network reads it ({@link ImagePreprocessor#writeChannels}), at {@code offset}. */
    public static void writeChannels(RgbImage image, int width, int height, float[] destination, int offset, String key) {
        if (image.width() != width || image.height() != height) {
            throw sizeMismatch(key, image, width, height);
        }
        ImagePreprocessor.writeChannels(image, destination, offset);
    }

    /**
     * Applies the fast ND4J configuration in this JVM (once) and says how it stands for a new thread, as the training
     * tasks' threads are: {@code "<executor>: fast"} or {@code "<executor>: <what deviates>"} ({@link #executor()}). Run
     * on the executors, so the training summary can say whether every one is fast.
     */
    static String executorRuntime() {
        configureRuntimeOnce();
        // measured in a new thread: OpenMP's thread count is per thread, and Spark's task threads and DL4J's prefetch
        // threads start from the process's default (OMP_NUM_THREADS), not from what this thread may have set
        AtomicReference<List<String>> deviations = new AtomicReference<>();
        Thread probe = new Thread(() -> deviations.set(Nd4jRuntime.report().deviationsFromFast()), "nd4j-runtime-report");
        probe.start();
        try {
            probe.join();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reporting the ND4J runtime", interrupted);
        }
        List<String> found = deviations.get();
        if (found == null) {
            throw new IllegalStateException("the ND4J runtime report failed on " + executor());
        }
        return executor() + ": " + (found.isEmpty() ? "fast" : String.join("; ", found));
    }

    /**
     * This JVM as a Spark process: {@code "executor <id> (pid <pid> on <host>)"}, {@code "executor driver (...)"} in
     * local mode, {@code "no Spark executor (...)"} outside Spark.
     */
    static String executor() {
        SparkEnv environment = SparkEnv.get();
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException unknown) {
            host = "unknown host";
        }
        String process = "(pid " + ProcessHandle.current().pid() + " on " + host + ")";
        return environment == null ? "no Spark executor " + process : "executor " + environment.executorId() + " " + process;
    }

    private static void configureRuntimeOnce() {
        if (!runtimeConfigured) {
            synchronized (ShardBatchLoader.class) {
                if (!runtimeConfigured) {
                    Nd4jRuntime.applyFastConfiguration();
                    runtimeConfigured = true;
                }
            }
        }
    }
}
