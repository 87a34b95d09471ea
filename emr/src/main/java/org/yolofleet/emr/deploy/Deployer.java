package org.yolofleet.emr.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Uploads what a night runs (the jobs jar, configurations, bootstrap scripts) to {@code s3://bucket/<deploy>/<version>/},
 * each object with its SHA-256 in the metadata key {@value #CHECKSUM_METADATA}, then a {@value #MANIFEST} listing them
 * all. Idempotent: an object already there with the same checksum is not uploaded again, so a second deploy of the same
 * files uploads nothing.
 */
public final class Deployer {
    /** The user metadata key that holds an object's SHA-256 (hex); S3 returns it as {@code x-amz-meta-sha256}. */
    public static final String CHECKSUM_METADATA = "sha256";
    /** The manifest's name under the version's prefix. */
    public static final String MANIFEST = "deploy-manifest.json";

    /** One file to deploy and its key relative to the version's prefix. */
    public record Artifact(String name, Path file) {
        public Artifact {
            requireNonNull(name, "name");
            requireNonNull(file, "file");
        }
    }

    /** One deployed object. */
    public record Deployed(String key, String sha256, long size, boolean uploaded) {
    }

    /** What a deploy did: every object in the manifest (and the manifest itself, last), uploaded or already there. */
    public record Report(String uri, List<Deployed> objects) {
        public Report {
            objects = List.copyOf(objects);
        }

        /** How many objects this deploy uploaded. */
        public long uploadedCount() {
            return objects.stream().filter(Deployed::uploaded).count();
        }
    }

    private final S3Client s3;

    public Deployer(S3Client s3) {
        this.s3 = requireNonNull(s3, "s3");
    }

    /** Deploys {@code artifacts} under {@code s3://bucket/prefix/} ({@code prefix} without a trailing slash). */
    public Report deploy(String bucket, String prefix, String version, List<Artifact> artifacts) {
        List<Deployed> deployed = new ArrayList<>();
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode manifest = mapper.createObjectNode();
        manifest.put("version", version);
        ArrayNode files = manifest.putArray("files");
        for (Artifact artifact : artifacts) {
            if (!Files.isRegularFile(artifact.file())) {
                throw new YoloFleetException(ErrorCode.NOT_FOUND, "deploy: " + artifact.file() + " (" + artifact.name()
                        + ") does not exist" + (artifact.name().endsWith(".jar") ? ": build it with mvn -Puber-jar -pl jobs -am package" : ""));
            }
            String sha256 = sha256(artifact.file());
            long size = size(artifact.file());
            String key = prefix + "/" + artifact.name();
            boolean uploaded = upload(bucket, key, sha256, RequestBody.fromFile(artifact.file()));
            deployed.add(new Deployed(key, sha256, size, uploaded));
            ObjectNode entry = files.addObject();
            entry.put("name", artifact.name());
            entry.put("sha256", sha256);
            entry.put("size", size);
        }
        byte[] manifestBytes;
        try {
            manifestBytes = mapper.writeValueAsBytes(manifest);
        } catch (IOException e) {
            throw new YoloFleetException(ErrorCode.INTERNAL, "deploy: cannot write the manifest: " + e.getMessage());
        }
        String manifestSha = HexFormat.of().formatHex(digest().digest(manifestBytes));
        String manifestKey = prefix + "/" + MANIFEST;
        boolean uploaded = upload(bucket, manifestKey, manifestSha, RequestBody.fromBytes(manifestBytes));
        deployed.add(new Deployed(manifestKey, manifestSha, manifestBytes.length, uploaded));
        return new Report("s3://" + bucket + "/" + prefix + "/", deployed);
    }

    private boolean upload(String bucket, String key, String sha256, RequestBody body) {
        if (existingChecksum(bucket, key).filter(sha256::equals).isPresent()) {
            return false;
        }
        try {
            s3.putObject(request -> request.bucket(bucket).key(key).metadata(java.util.Map.of(CHECKSUM_METADATA, sha256))
                    .contentType(key.endsWith(".json") ? "application/json" : "application/octet-stream"), body);
            return true;
        } catch (SdkException e) {
            throw new YoloFleetException(ErrorCode.S3_ACCESS, "deploy: cannot upload s3://" + bucket + "/" + key + ": " + e.getMessage()
                    + " (check the bucket, the region and that your credentials may s3:PutObject there)");
        }
    }

    private Optional<String> existingChecksum(String bucket, String key) {
        try {
            HeadObjectResponse head = s3.headObject(request -> request.bucket(bucket).key(key));
            return Optional.ofNullable(head.metadata().get(CHECKSUM_METADATA));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw new YoloFleetException(ErrorCode.S3_ACCESS, "deploy: cannot read s3://" + bucket + "/" + key + ": " + e.getMessage());
        } catch (SdkException e) {
            throw new YoloFleetException(ErrorCode.S3_ACCESS, "deploy: cannot reach S3 for s3://" + bucket + "/" + key + ": " + e.getMessage());
        }
    }

    /** The SHA-256 of a file, hex. */
    public static String sha256(Path file) {
        MessageDigest digest = digest();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
        } catch (IOException e) {
            throw new YoloFleetException(ErrorCode.IO, "deploy: cannot read " + file + ": " + e.getMessage());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new YoloFleetException(ErrorCode.IO, "deploy: cannot read " + file + ": " + e.getMessage());
        }
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

}
