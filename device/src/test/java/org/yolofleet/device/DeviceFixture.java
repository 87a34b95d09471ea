package org.yolofleet.device;

import com.typesafe.config.ConfigFactory;
import org.yolofleet.core.release.ChannelPointer;
import org.yolofleet.core.release.Ed25519Pem;
import org.yolofleet.core.release.ManifestSigner;
import org.yolofleet.core.release.ReleaseFixtures;
import org.yolofleet.core.release.ReleaseLayout;
import org.yolofleet.core.release.ReleaseManifest;
import org.yolofleet.core.release.SigningKeys;
import org.yolofleet.device.config.DeviceConfig;
import org.yolofleet.device.config.DeviceConfigLoader;
import org.yolofleet.device.install.FreeSpace;
import org.yolofleet.device.install.InstallDirectory;
import org.yolofleet.device.source.Backoff;
import org.yolofleet.device.source.CountingReleaseSource;
import org.yolofleet.device.source.FileReleaseSource;
import org.yolofleet.device.source.ReleaseSource;
import org.yolofleet.device.source.RetryingReleaseSource;
import org.yolofleet.device.sync.EventLog;
import org.yolofleet.device.sync.Sync;
import org.yolofleet.device.sync.SyncOutcome;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;

/**
 * A device and a release store in a temporary directory: a publisher key pair, releases written by core's
 * {@link ReleaseFixtures} (signed, a 1,000-byte {@code model.onnx} for the cpu profile), channel pointers, a
 * {@code device.conf} and the agent's install directory.
 */
public final class DeviceFixture {
    public static final String MODEL = ReleaseFixtures.MODEL;
    public static final String CHANNEL = "stable";

    public final Path root;
    public final Path store;
    public final Path installDirectory;
    public final Path publicKey;
    public final KeyPair keys;
    public final ManifestSigner signer;
    public final StringWriter logText = new StringWriter();
    private String extraConfig = "";

    public DeviceFixture(Path root) throws IOException {
        this.root = root;
        this.store = Files.createDirectories(root.resolve("store"));
        this.installDirectory = root.resolve("device");
        this.keys = SigningKeys.generate();
        this.signer = new ManifestSigner(keys.getPrivate());
        this.publicKey = root.resolve("publisher.pub.pem");
        Files.writeString(publicKey, Ed25519Pem.publicKeyPem(keys.getPublic()), StandardCharsets.US_ASCII);
    }

    /** Adds HOCON lines inside {@code device { }} (later lines win). */
    public DeviceFixture configure(String lines) {
        extraConfig = extraConfig + "\n" + lines;
        return this;
    }

    /** The device.conf text for a store URI. */
    public String configText(String storeUri) {
        return "device {\n  store = \"" + storeUri + "\"\n  model = " + MODEL + "\n  channel = " + CHANNEL + "\n  trusted-keys = [\""
                + publicKey + "\"]\n  install-dir = \"" + installDirectory + "\"\n  retry { initial-backoff = 1ms, max-backoff = 5ms }\n"
                + "  reserve-bytes = 0\n  lock-wait = 200ms\n" + extraConfig + "\n}\n";
    }

    public DeviceConfig config() {
        return DeviceConfigLoader.of(ConfigFactory.parseString(configText(store.toUri().toString())), root);
    }

    /** Writes device.conf for the file: store and returns its path. */
    public Path configFile() throws IOException {
        Path file = root.resolve("device.conf");
        Files.writeString(file, configText(store.toUri().toString()));
        return file;
    }

    /** Publishes a signed release (ONNX of 1,000 bytes, weights of {@code weightsSize}) without moving the channel. */
    public ReleaseManifest release(String version, long sequence) throws IOException {
        return ReleaseFixtures.writeRelease(store, version, sequence, signer, 2000);
    }

    /** Points the channel at a published release. */
    public void point(ReleaseManifest manifest) throws IOException {
        Path manifestFile = store.resolve(ReleaseLayout.manifest(MODEL, manifest.version()));
        ChannelPointer pointer = ChannelPointer.to(manifest, Files.readAllBytes(manifestFile), CHANNEL, Instant.parse("2026-12-06T18:00:00Z"),
                Optional.empty());
        Path pointerFile = store.resolve(ReleaseLayout.channelPointer(MODEL, CHANNEL));
        Files.createDirectories(pointerFile.getParent());
        Files.write(pointerFile, pointer.toJson());
    }

    /** Publishes and points the channel at it. */
    public ReleaseManifest publish(String version, long sequence) throws IOException {
        ReleaseManifest manifest = release(version, sequence);
        point(manifest);
        return manifest;
    }

    public Path storeFile(String version, String name) {
        return store.resolve(ReleaseLayout.releaseDirectory(MODEL, version)).resolve(name);
    }

    public InstallDirectory install() {
        return new InstallDirectory(installDirectory);
    }

    /** The file: store, counting requests, with fast retries. */
    public CountingReleaseSource countingFileSource() {
        return new CountingReleaseSource(new FileReleaseSource(store));
    }

    public static Backoff fastBackoff(int attempts) {
        return new Backoff(attempts, Duration.ofMillis(1), Duration.ofMillis(2), new Random(1), duration -> { });
    }

    /** One sync through {@code source} (retries added) with the given free space. */
    public SyncOutcome sync(ReleaseSource source, FreeSpace freeSpace) {
        EventLog log = new EventLog(new PrintWriter(logText, true));
        return new Sync(config(), new RetryingReleaseSource(source, fastBackoff(3), line -> { }), fastBackoff(3), freeSpace, log,
                Clock.systemUTC()).run();
    }

    public SyncOutcome sync(ReleaseSource source) {
        return sync(source, FreeSpace.FILE_STORE);
    }

    public SyncOutcome sync() {
        return sync(countingFileSource());
    }

    public static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
