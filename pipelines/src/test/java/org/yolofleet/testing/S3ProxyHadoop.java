package org.yolofleet.testing;

import org.apache.hadoop.conf.Configuration;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Hadoop side of core's {@link S3ProxyServer}: the {@code fs.s3a.*} settings that make {@code s3a://} talk to it,
 * kept here because core's test-jar does not know Hadoop.
 */
public final class S3ProxyHadoop {
    private S3ProxyHadoop() {
    }

    /** The Hadoop settings that make {@code s3a://} talk to the server. */
    public static Map<String, String> hadoopSettings(S3ProxyServer server) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("fs.s3a.endpoint", server.endpoint());
        settings.put("fs.s3a.path.style.access", "true");
        settings.put("fs.s3a.connection.ssl.enabled", "false");
        settings.put("fs.s3a.access.key", S3ProxyServer.ACCESS_KEY);
        settings.put("fs.s3a.secret.key", S3ProxyServer.SECRET_KEY);
        settings.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        settings.put("fs.s3a.change.detection.mode", "none");
        settings.put("fs.s3a.attempts.maximum", "3");
        settings.put("fs.s3a.retry.limit", "3");
        settings.put("fs.s3a.impl.disable.cache", "true");
        // S3Proxy answers the directory-marker clean-up after every write slowly; S3 itself does not need it either
        settings.put("fs.s3a.directory.marker.retention", "keep");
        return settings;
    }

    /** The same settings as Spark configuration keys ({@code spark.hadoop.*}). */
    public static Map<String, String> sparkSettings(S3ProxyServer server) {
        Map<String, String> settings = new LinkedHashMap<>();
        hadoopSettings(server).forEach((key, value) -> settings.put("spark.hadoop." + key, value));
        return settings;
    }

    public static void apply(S3ProxyServer server, Configuration configuration) {
        hadoopSettings(server).forEach(configuration::set);
    }
}
