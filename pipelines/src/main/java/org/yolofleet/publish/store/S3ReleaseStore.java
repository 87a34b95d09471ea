package org.yolofleet.publish.store;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * A {@link ReleaseStore} in an S3 bucket below a prefix ({@code s3a://bucket/prefix}), on the AWS SDK v2 with the JDK's
 * HTTP client, connected as the Hadoop configuration says ({@link S3Settings}).
 *
 * <p>Every request is retried by the SDK's standard strategy, configured here: up to {@code max-attempts} attempts on
 * 5xx, throttling (503 SlowDown, 429) and I/O errors, exponential backoff with full jitter. What still fails, and what
 * is refused (403, no such bucket), fails with S3_ACCESS naming the object. A PUT is atomic on S3 (a reader sees the old
 * or the new object); objects larger than {@value #MULTIPART_THRESHOLD} bytes go up as a multipart upload of
 * {@value #PART_SIZE}-byte parts read one at a time (never the whole artifact in memory), which becomes visible only
 * when completed.
 *
 * <p>{@link #compareAndSet}: where the server honours conditional PUTs (AWS S3 since August 2024 for
 * {@code If-None-Match: *}, November 2024 for {@code If-Match}; 412 Precondition Failed when the condition fails, 409
 * ConditionalRequestConflict for a concurrent conflicting write), the condition is checked by S3 atomically with the
 * write, so of two runs moving one channel exactly one wins. Where it does not (S3Proxy 2.6.0 ignores both headers and
 * overwrites), or with {@code conditional-writes = off}, the store reads the ETag (HEAD), compares, then PUTs: a run that
 * writes between that HEAD and PUT (milliseconds) is overwritten silently, last writer wins; a stale expectation is still
 * refused. Which one applies is decided by {@code conditional-writes}: {@code auto} probes once per store (a probe
 * object below the prefix, written, conditionally rewritten, deleted), {@code required} fails with CONFIG where the probe
 * finds no support. The returned {@link ChannelWrite#conditional()} says which guarantee a write had.
 */
public final class S3ReleaseStore implements ReleaseStore {
    static final long MULTIPART_THRESHOLD = 16L * 1024 * 1024;
    static final int PART_SIZE = 8 * 1024 * 1024;
    private static final int PRECONDITION_FAILED = 412;
    private static final int CONFLICT = 409;
    private static final int NOT_FOUND = 404;

    private final S3Client client;
    private final URI uri;
    private final String bucket;
    private final String prefix;
    private final ConditionalWrites conditionalWrites;
    private volatile Boolean conditionalSupported;

    S3ReleaseStore(S3Client client, URI uri, String bucket, String prefix, ConditionalWrites conditionalWrites) {
        this.client = requireNonNull(client, "client");
        this.uri = requireNonNull(uri, "uri");
        this.bucket = requireNonNull(bucket, "bucket");
        this.prefix = requireNonNull(prefix, "prefix");
        this.conditionalWrites = requireNonNull(conditionalWrites, "conditionalWrites");
    }

    static S3ReleaseStore open(URI uri, S3Settings settings, ReleaseStoreOptions options) {
        String bucket = uri.getHost();
        String prefix = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+|/+$", "");
        return new S3ReleaseStore(client(settings, options), uri, bucket, prefix, options.conditionalWrites());
    }

    private static S3Client client(S3Settings settings, ReleaseStoreOptions options) {
        BackoffStrategy backoff = BackoffStrategy.exponentialDelay(options.baseDelay(), options.maxDelay());
        RetryStrategy retry = AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(options.maxAttempts())
                .backoffStrategy(backoff)
                .throttlingBackoffStrategy(backoff)
                // the token bucket would stop retrying a long run of throttling before max-attempts: the bound is max-attempts
                .circuitBreakerEnabled(false)
                .build();
        var builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(ClientOverrideConfiguration.builder().retryStrategy(retry).build())
                .forcePathStyle(settings.pathStyle())
                // SDK 2.30+ adds CRC checksums (aws-chunked) to every upload by default; S3-compatible servers do not all
                // accept them. Only where an operation requires one; the read-back of StagedRelease checks SHA-256 anyway.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .region(settings.region().map(Region::of).orElseGet(S3ReleaseStore::defaultRegion))
                .credentialsProvider(credentials(settings));
        settings.endpoint().ifPresent(endpoint -> builder.endpointOverride(URI.create(endpoint)));
        return builder.build();
    }

    private static Region defaultRegion() {
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (SdkException none) {
            return Region.US_EAST_1;
        }
    }

    private static AwsCredentialsProvider credentials(S3Settings settings) {
        if (!settings.staticCredentials()) {
            return DefaultCredentialsProvider.builder().build();
        }
        String access = settings.accessKey().orElseThrow();
        String secret = settings.secretKey().orElseThrow();
        return StaticCredentialsProvider.create(settings.sessionToken()
                .<software.amazon.awssdk.auth.credentials.AwsCredentials>map(token -> AwsSessionCredentials.create(access, secret, token))
                .orElseGet(() -> AwsBasicCredentials.create(access, secret)));
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public byte[] read(String key) {
        return readIfPresent(key).orElseThrow(() -> missing(key));
    }

    @Override
    public Optional<byte[]> readIfPresent(String key) {
        String objectKey = objectKey(key);
        try {
            return Optional.of(client.getObjectAsBytes(request -> request.bucket(bucket).key(objectKey)).asByteArray());
        } catch (S3Exception exception) {
            if (exception.statusCode() == NOT_FOUND && !noSuchBucket(exception)) {
                return Optional.empty();
            }
            throw failure("read", objectKey, exception);
        } catch (SdkException exception) {
            throw failure("read", objectKey, exception);
        }
    }

    @Override
    public InputStream open(String key) {
        String objectKey = objectKey(key);
        try {
            return client.getObject(request -> request.bucket(bucket).key(objectKey));
        } catch (S3Exception exception) {
            if (exception.statusCode() == NOT_FOUND && !noSuchBucket(exception)) {
                throw missing(key);
            }
            throw failure("read", objectKey, exception);
        } catch (SdkException exception) {
            throw failure("read", objectKey, exception);
        }
    }

    @Override
    public Optional<StoredObject> stat(String key) {
        String objectKey = objectKey(key);
        try {
            HeadObjectResponse head = client.headObject(request -> request.bucket(bucket).key(objectKey));
            return Optional.of(new StoredObject(key, head.contentLength(), head.eTag()));
        } catch (S3Exception exception) {
            // a HEAD has no body: a missing bucket is a 404 too; list finds that out (NoSuchBucket)
            if (exception.statusCode() == NOT_FOUND) {
                return Optional.empty();
            }
            throw failure("check", objectKey, exception);
        } catch (SdkException exception) {
            throw failure("check", objectKey, exception);
        }
    }

    @Override
    public List<String> list(String listPrefix) {
        String below = StoreKeys.checkPrefix(listPrefix).isEmpty() ? rootPrefix() : objectKey(listPrefix) + "/";
        try {
            List<String> keys = new ArrayList<>();
            for (S3Object object : client.listObjectsV2Paginator(request -> request.bucket(bucket).prefix(below)).contents()) {
                // a key ending in '/' is a directory marker (S3A writes them, S3Proxy's filesystem backend lists its
                // directories so), never an object of this store
                if (!object.key().endsWith("/")) {
                    keys.add(object.key().substring(rootPrefix().length()));
                }
            }
            keys.sort(String::compareTo);
            return List.copyOf(keys);
        } catch (SdkException exception) {
            throw failure("list", below, exception);
        }
    }

    @Override
    public void write(String key, byte[] content) {
        requireNonNull(content, "content");
        String objectKey = objectKey(key);
        try {
            client.putObject(request -> request.bucket(bucket).key(objectKey), RequestBody.fromBytes(content));
        } catch (SdkException exception) {
            throw failure("write", objectKey, exception);
        }
    }

    @Override
    public void write(String key, InputStream content, long size) {
        requireNonNull(content, "content");
        String objectKey = objectKey(key);
        try {
            if (size > MULTIPART_THRESHOLD) {
                writeMultipart(objectKey, content, size);
            } else {
                byte[] bytes = content.readNBytes((int) size);
                if (bytes.length != size) {
                    throw new YoloFleetException(ErrorCode.IO, "expected " + size + " bytes for " + uri(objectKey)
                            + ", the stream held " + bytes.length);
                }
                client.putObject(request -> request.bucket(bucket).key(objectKey), RequestBody.fromBytes(bytes));
            }
        } catch (IOException exception) {
            throw new YoloFleetException(ErrorCode.IO, "cannot read the content for " + uri(objectKey) + ": " + exception, exception);
        } catch (SdkException exception) {
            throw failure("write", objectKey, exception);
        }
    }

    @Override
    public void write(String key, Path file) {
        requireNonNull(file, "file");
        String objectKey = objectKey(key);
        try {
            long size = Files.size(file);
            if (size > MULTIPART_THRESHOLD) {
                try (InputStream input = Files.newInputStream(file)) {
                    writeMultipart(objectKey, input, size);
                }
            } else {
                client.putObject(request -> request.bucket(bucket).key(objectKey), RequestBody.fromFile(file));
            }
        } catch (IOException exception) {
            throw new YoloFleetException(ErrorCode.IO, "cannot read " + file + " to write " + uri(objectKey) + ": " + exception, exception);
        } catch (SdkException exception) {
            throw failure("write", objectKey, exception);
        }
    }

    /** A multipart upload, one part in memory at a time; aborted (its parts freed) when anything fails. */
    private void writeMultipart(String objectKey, InputStream input, long size) throws IOException {
        String uploadId = client.createMultipartUpload(request -> request.bucket(bucket).key(objectKey)).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long remaining = size;
            for (int number = 1; remaining > 0; number++) {
                byte[] part = input.readNBytes((int) Math.min(PART_SIZE, remaining));
                if (part.length == 0) {
                    throw new IOException("the content ended " + remaining + " bytes early");
                }
                remaining -= part.length;
                int partNumber = number;
                String etag = client.uploadPart(request -> request.bucket(bucket).key(objectKey).uploadId(uploadId).partNumber(partNumber),
                        RequestBody.fromBytes(part)).eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
            }
            client.completeMultipartUpload(request -> request.bucket(bucket).key(objectKey).uploadId(uploadId)
                    .multipartUpload(upload -> upload.parts(parts)));
        } catch (IOException | RuntimeException exception) {
            try {
                client.abortMultipartUpload(request -> request.bucket(bucket).key(objectKey).uploadId(uploadId));
            } catch (SdkException abortFailed) {
                exception.addSuppressed(abortFailed);
            }
            throw exception;
        }
    }

    @Override
    public void delete(String deletePrefix) {
        String objectKey = objectKey(deletePrefix);
        List<String> keys = new ArrayList<>(list(deletePrefix));
        keys.add(deletePrefix);
        for (String key : keys) {
            String each = objectKey(key);
            try {
                client.deleteObject(request -> request.bucket(bucket).key(each));
            } catch (S3Exception exception) {
                if (exception.statusCode() != NOT_FOUND || noSuchBucket(exception)) {
                    throw failure("delete", each, exception);
                }
            } catch (SdkException exception) {
                throw failure("delete below", objectKey, exception);
            }
        }
    }

    @Override
    public void move(String fromKey, String toKey) {
        String from = objectKey(fromKey);
        String to = objectKey(toKey);
        try {
            client.copyObject(request -> request.sourceBucket(bucket).sourceKey(from).destinationBucket(bucket).destinationKey(to));
            client.deleteObject(request -> request.bucket(bucket).key(from));
        } catch (S3Exception exception) {
            if (exception.statusCode() == NOT_FOUND && !noSuchBucket(exception)) {
                throw missing(fromKey);
            }
            throw failure("move " + uri(from) + " to", to, exception);
        } catch (SdkException exception) {
            throw failure("move " + uri(from) + " to", to, exception);
        }
    }

    /** S3 has no rename: always false. */
    @Override
    public boolean renamePrefixAtomically(String fromPrefix, String toPrefix) {
        return false;
    }

    @Override
    public ChannelWrite compareAndSet(String key, Optional<String> expectedETag, byte[] content) {
        requireNonNull(expectedETag, "expectedETag");
        requireNonNull(content, "content");
        String objectKey = objectKey(key);
        if (conditionalWritesHonoured()) {
            try {
                String etag = client.putObject(conditional(PutObjectRequest.builder().bucket(bucket).key(objectKey), expectedETag).build(),
                        RequestBody.fromBytes(content)).eTag();
                return new ChannelWrite(key, etag, true);
            } catch (S3Exception exception) {
                if (exception.statusCode() == PRECONDITION_FAILED || exception.statusCode() == CONFLICT) {
                    throw conflict(objectKey, expectedETag, "S3 answered " + exception.statusCode() + " "
                            + errorCode(exception) + " to the conditional PUT");
                }
                throw failure("write", objectKey, exception);
            } catch (SdkException exception) {
                throw failure("write", objectKey, exception);
            }
        }
        Optional<String> current = etag(key);
        if (!current.equals(expectedETag)) {
            throw conflict(objectKey, expectedETag, "found " + current.map(etag -> "ETag " + etag).orElse("it absent"));
        }
        try {
            String etag = client.putObject(request -> request.bucket(bucket).key(objectKey), RequestBody.fromBytes(content)).eTag();
            return new ChannelWrite(key, etag, false);
        } catch (SdkException exception) {
            throw failure("write", objectKey, exception);
        }
    }

    private static PutObjectRequest.Builder conditional(PutObjectRequest.Builder request, Optional<String> expectedETag) {
        return expectedETag.map(request::ifMatch).orElseGet(() -> request.ifNoneMatch("*"));
    }

    /** Whether compare-and-set uses conditional PUTs: decided once per store by conditional-writes and, for auto/required, a probe. */
    public boolean conditionalWritesHonoured() {
        Boolean known = conditionalSupported;
        if (known == null) {
            known = switch (conditionalWrites) {
                case OFF -> false;
                case AUTO -> probeConditionalWrites();
                case REQUIRED -> {
                    if (!probeConditionalWrites()) {
                        throw new YoloFleetException(ErrorCode.CONFIG, "yolofleet.publish.store.conditional-writes = required, and "
                                + uri + " does not honour conditional PUTs (If-None-Match / If-Match were ignored): use a store that does "
                                + "(AWS S3) or set conditional-writes = auto to accept the read-compare-write fallback");
                    }
                    yield true;
                }
            };
            conditionalSupported = known;
        }
        return known;
    }

    /**
     * Writes a probe object, then PUTs it again with {@code If-None-Match: *} and with {@code If-Match} of a wrong ETag:
     * the server honours conditional writes when it refuses both (412). Any other answer (200: ignored; 501: not
     * implemented; 400) counts as no support. The probe object is deleted.
     */
    boolean probeConditionalWrites() {
        String probe = objectKey(LocalReleaseStore.HIDDEN + "conditional-write-probe-" + UUID.randomUUID());
        try {
            client.putObject(request -> request.bucket(bucket).key(probe), RequestBody.fromBytes(new byte[] {1}));
            return refusedWithPreconditionFailed(PutObjectRequest.builder().bucket(bucket).key(probe).ifNoneMatch("*").build())
                    && refusedWithPreconditionFailed(PutObjectRequest.builder().bucket(bucket).key(probe).ifMatch("\"00000000000000000000000000000000\"").build());
        } catch (SdkException exception) {
            throw failure("probe conditional writes with", probe, exception);
        } finally {
            try {
                client.deleteObject(request -> request.bucket(bucket).key(probe));
            } catch (SdkException ignored) {
                // a leftover probe object is hidden below the prefix and harmless
            }
        }
    }

    private boolean refusedWithPreconditionFailed(PutObjectRequest request) {
        try {
            client.putObject(request, RequestBody.fromBytes(new byte[] {2}));
            return false;
        } catch (S3Exception exception) {
            if (exception.statusCode() == PRECONDITION_FAILED) {
                return true;
            }
            if (exception.statusCode() == 400 || exception.statusCode() == 501) {
                return false;
            }
            throw exception;
        }
    }

    @Override
    public void close() {
        client.close();
    }

    private String rootPrefix() {
        return prefix.isEmpty() ? "" : prefix + "/";
    }

    private String objectKey(String key) {
        return rootPrefix() + StoreKeys.check(key);
    }

    private String uri(String objectKey) {
        return "s3://" + bucket + "/" + objectKey;
    }

    private static boolean noSuchBucket(S3Exception exception) {
        return "NoSuchBucket".equals(errorCode(exception));
    }

    private static String errorCode(S3Exception exception) {
        return exception.awsErrorDetails() == null ? "" : String.valueOf(exception.awsErrorDetails().errorCode());
    }

    private YoloFleetException conflict(String objectKey, Optional<String> expectedETag, String found) {
        return new YoloFleetException(ErrorCode.CHANNEL_CONFLICT, uri(objectKey) + " moved: expected "
                + expectedETag.map(etag -> "ETag " + etag).orElse("it absent") + ", " + found
                + "; another publish run changed it: read the channel again and decide");
    }

    private YoloFleetException missing(String key) {
        return new YoloFleetException(ErrorCode.NOT_FOUND, uri(objectKey(key)) + " does not exist in the release store " + uri);
    }

    private YoloFleetException failure(String action, String objectKey, SdkException exception) {
        String detail = exception instanceof S3Exception s3
                ? "HTTP " + s3.statusCode() + " " + errorCode(s3) + " (" + s3.awsErrorDetails().errorMessage() + ")"
                : exception.getMessage();
        return new YoloFleetException(ErrorCode.S3_ACCESS, "cannot " + action + " " + uri(objectKey) + ": " + detail
                + "; check that the bucket exists, the credentials (fs.s3a.access.key / fs.s3a.secret.key or the AWS chain) may "
                + "read and write it, and fs.s3a.endpoint / fs.s3a.endpoint.region", exception);
    }
}
