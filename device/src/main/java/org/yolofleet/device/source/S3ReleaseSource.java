package org.yolofleet.device.source;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A release store in S3 ({@code s3://bucket/prefix}) or an S3-compatible service, through AWS SDK v2 on the JDK's
 * URL-connection HTTP client (no Netty, no Apache client: a small jar for the Pi). The SDK's own retries are off:
 * {@link RetryingReleaseSource} retries, so every request the SDK sends is one this class was asked for and counted.
 */
public final class S3ReleaseSource implements ReleaseSource {
    private static final int NOT_MODIFIED = 304;
    private static final int NOT_FOUND = 404;

    private final S3Client client;
    private final String bucket;
    private final String prefix;

    public S3ReleaseSource(S3Client client, String bucket, String prefix) {
        this.client = requireNonNull(client, "client");
        this.bucket = requireNonNull(bucket, "bucket");
        this.prefix = requireNonNull(prefix, "prefix").replaceAll("^/+|/+$", "");
    }

    /**
     * The client for a store: region (else the SDK's default chain, else us-east-1), optional endpoint and path style,
     * and {@code credentials} (the default chain in production: environment, profile, instance role).
     */
    public static S3Client client(Optional<String> region, Optional<String> endpoint, boolean pathStyle, AwsCredentialsProvider credentials,
                                  Duration timeout) {
        var builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout))
                .overrideConfiguration(ClientOverrideConfiguration.builder().retryStrategy(AwsRetryStrategy.doNotRetry()).build())
                .forcePathStyle(pathStyle)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .region(region.map(Region::of).orElseGet(S3ReleaseSource::defaultRegion))
                .credentialsProvider(credentials);
        endpoint.ifPresent(value -> builder.endpointOverride(URI.create(value)));
        return builder.build();
    }

    /** The default credential chain. */
    public static AwsCredentialsProvider defaultCredentials() {
        return DefaultCredentialsProvider.builder().build();
    }

    private static Region defaultRegion() {
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion();
        }
        catch (SdkException none) {
            return Region.US_EAST_1;
        }
    }

    @Override
    public ConditionalResponse getIfChanged(String path, Optional<String> ifNoneMatch) throws IOException {
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket).key(key(path));
        ifNoneMatch.ifPresent(request::ifNoneMatch);
        try {
            ResponseBytes<GetObjectResponse> response = client.getObjectAsBytes(request.build());
            byte[] body = CompleteBody.check(response.asByteArray(), declaredLength(response.response()), describe(path));
            return ConditionalResponse.modified(body, Optional.ofNullable(response.response().eTag()));
        }
        catch (SdkServiceException e) {
            if (e.statusCode() == NOT_MODIFIED) {
                return ConditionalResponse.notModified(ifNoneMatch);
            }
            throw translate(path, e);
        }
        catch (SdkException e) {
            throw translate(path, e);
        }
    }

    @Override
    public InputStream open(String path, long offset) throws IOException {
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket).key(key(path));
        if (offset > 0) {
            request.range("bytes=" + offset + "-");
        }
        ResponseInputStream<GetObjectResponse> body;
        try {
            body = client.getObject(request.build());
        }
        catch (SdkException e) {
            throw translate(path, e);
        }
        // the URL connection ends a body cut off by the network silently: only Content-Length tells
        return new FilterInputStream(CompleteBody.of(body, declaredLength(body.response()), describe(path))) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                }
                catch (SdkException e) {
                    throw translate(path, e);
                }
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                try {
                    return super.read(buffer, offset, length);
                }
                catch (SdkException e) {
                    throw translate(path, e);
                }
            }

            @Override
            public void close() throws IOException {
                // abort rather than drain the rest of a body nobody reads
                body.abort();
                super.close();
            }
        };
    }

    @Override
    public long size(String path) throws IOException {
        try {
            return client.headObject(HeadObjectRequest.builder().bucket(bucket).key(key(path)).build()).contentLength();
        }
        catch (SdkException e) {
            throw translate(path, e);
        }
    }

    @Override
    public String describe(String path) {
        return "s3://" + bucket + "/" + key(path);
    }

    @Override
    public void close() {
        client.close();
    }

    private String key(String path) {
        return prefix.isEmpty() ? path : prefix + "/" + path;
    }

    private static long declaredLength(GetObjectResponse response) {
        return response.contentLength() == null ? -1 : response.contentLength();
    }

    private IOException translate(String path, SdkException failure) {
        if (failure instanceof NoSuchKeyException || (failure instanceof SdkServiceException service && service.statusCode() == NOT_FOUND)) {
            NoSuchFileException missing = new NoSuchFileException(describe(path));
            missing.initCause(failure);
            return missing;
        }
        if (failure instanceof SdkServiceException service) {
            boolean retryable = SourceException.retryableStatus(service.statusCode()) || service.isThrottlingException();
            // S3's error code (SlowDown, InternalError, AccessDenied) says more than the message
            String code = service instanceof AwsServiceException aws && aws.awsErrorDetails() != null && aws.awsErrorDetails().errorCode() != null
                    ? aws.awsErrorDetails().errorCode() + ": " : "";
            return new SourceException(describe(path) + ": " + code + service.getMessage(), service.statusCode(), retryable, failure);
        }
        // a client-side failure (connection refused, reset, timeout): retryable like any I/O error
        return new IOException(describe(path) + ": " + failure.getMessage(), failure);
    }
}
