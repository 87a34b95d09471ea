package org.yolofleet.testing;

import org.apache.spark.sql.SparkSession;

/** The one Spark session of a test JVM: local[2], no UI, few shuffle partitions. */
public final class LocalSpark {
    private LocalSpark() {
    }

    public static synchronized SparkSession session() {
        System.setProperty("org.deeplearning4j.spark.time.TimeSource", "org.deeplearning4j.spark.time.SystemClockTimeSource");
        return SparkSession.builder()
                .master("local[2]")
                .appName("yolofleet-tests")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
    }
}
