package org.yolofleet.spark;

import com.typesafe.config.Config;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.yolofleet.config.ConfigReader;

import java.util.Map;
import java.util.function.Function;

/**
 * Creates the Spark session of a stage. Under {@code spark-submit} the master and settings given there win;
 * outside it (local runs, tests) {@code yolofleet.spark.master} and {@code yolofleet.spark.settings} apply.
 */
public final class SparkSessions {
    /** DL4J's Spark stats otherwise ask an NTP server for the time, which fails on closed networks. */
    public static final String DL4J_TIME_SOURCE_PROPERTY = "org.deeplearning4j.spark.time.TimeSource";
    public static final String SYSTEM_CLOCK_TIME_SOURCE = "org.deeplearning4j.spark.time.SystemClockTimeSource";

    private SparkSessions() {
    }

    public static SparkSession getOrCreate(Config config) {
        return getOrCreate(config, existingExecutorJavaOptions -> Map.of());
    }

    /**
     * As {@link #getOrCreate(Config)}, plus a stage's own settings (such as the training memory) where neither
     * spark-submit nor {@code yolofleet.spark.settings} set them. The stage gets the executor Java options set so far and
     * returns {@code spark.executor.extraJavaOptions} with its own appended, which replaces them.
     */
    public static SparkSession getOrCreate(Config config, Function<String, Map<String, String>> stageSettings) {
        if (System.getProperty(DL4J_TIME_SOURCE_PROPERTY) == null) {
            System.setProperty(DL4J_TIME_SOURCE_PROPERTY, SYSTEM_CLOCK_TIME_SOURCE);
        }
        ConfigReader spark = new ConfigReader(config, "yolofleet.spark");
        SparkConf sparkConf = new SparkConf(true);
        if (!sparkConf.contains("spark.master")) {
            sparkConf.setMaster(spark.nonEmptyString("master", "a Spark master such as local[*]"));
        }
        if (!sparkConf.contains("spark.app.name")) {
            sparkConf.setAppName(spark.string("app-name"));
        }
        for (Map.Entry<String, String> setting : spark.stringMap("settings").entrySet()) {
            if (!sparkConf.contains(setting.getKey())) {
                sparkConf.set(setting.getKey(), setting.getValue());
            }
        }
        String javaOptions = "spark.executor.extraJavaOptions";
        String timeSource = "-D" + DL4J_TIME_SOURCE_PROPERTY + "=";
        String executorOptions = sparkConf.get(javaOptions, "").trim();
        if (!executorOptions.contains(timeSource)) {
            // the executors collect dl4j-spark's statistics too (train.master.collect-stats)
            sparkConf.set(javaOptions, (executorOptions + " " + timeSource + SYSTEM_CLOCK_TIME_SOURCE).trim());
        }
        for (Map.Entry<String, String> setting : stageSettings.apply(sparkConf.get(javaOptions, "")).entrySet()) {
            if (setting.getKey().equals(javaOptions)) {
                sparkConf.set(javaOptions, setting.getValue());
            } else {
                sparkConf.setIfMissing(setting.getKey(), setting.getValue());
            }
        }
        sparkConf.setIfMissing("spark.ui.enabled", "false");
        sparkConf.setIfMissing("spark.sql.session.timeZone", "UTC");
        sparkConf.setIfMissing("spark.sql.parquet.compression.codec", "snappy");
        return SparkSession.builder().config(sparkConf).getOrCreate();
    }
}
