package org.yolofleet.publish.store;

import org.apache.hadoop.conf.Configuration;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The S3 connection of a bucket as the rest of the pipeline configures it for {@code s3a://}: Hadoop's
 * {@code fs.s3a.*} keys, a per-bucket {@code fs.s3a.bucket.<bucket>.*} key winning over the global one (as S3A does).
 * Read: endpoint, connection.ssl.enabled (for an endpoint without a scheme), path.style.access, endpoint.region,
 * access.key / secret.key / session.token (static credentials when both keys are set, else the default AWS chain).
 */
public record S3Settings(Optional<String> endpoint, boolean pathStyle, Optional<String> region,
                         Optional<String> accessKey, Optional<String> secretKey, Optional<String> sessionToken) {
    public S3Settings {
        requireNonNull(endpoint, "endpoint");
        requireNonNull(region, "region");
        requireNonNull(accessKey, "accessKey");
        requireNonNull(secretKey, "secretKey");
        requireNonNull(sessionToken, "sessionToken");
    }

    public static S3Settings of(String bucket, Configuration configuration) {
        requireNonNull(bucket, "bucket");
        requireNonNull(configuration, "configuration");
        Optional<String> endpoint = value(bucket, configuration, "endpoint").map(given -> {
            if (given.contains("://")) {
                return given;
            }
            boolean ssl = Boolean.parseBoolean(value(bucket, configuration, "connection.ssl.enabled").orElse("true"));
            return (ssl ? "https://" : "http://") + given;
        });
        boolean pathStyle = Boolean.parseBoolean(value(bucket, configuration, "path.style.access").orElse("false"));
        return new S3Settings(endpoint, pathStyle, value(bucket, configuration, "endpoint.region"),
                value(bucket, configuration, "access.key"), value(bucket, configuration, "secret.key"),
                value(bucket, configuration, "session.token"));
    }

    public boolean staticCredentials() {
        return accessKey.isPresent() && secretKey.isPresent();
    }

    private static Optional<String> value(String bucket, Configuration configuration, String suffix) {
        String perBucket = configuration.getTrimmed("fs.s3a.bucket." + bucket + "." + suffix);
        String value = perBucket != null && !perBucket.isEmpty() ? perBucket : configuration.getTrimmed("fs.s3a." + suffix);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }
}
