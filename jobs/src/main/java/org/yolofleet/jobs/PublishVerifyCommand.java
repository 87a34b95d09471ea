package org.yolofleet.jobs;

import com.typesafe.config.Config;
import org.yolofleet.core.release.ArtifactEntry;
import org.yolofleet.core.release.ReleaseVerifier;
import org.yolofleet.core.release.SigningKeys;
import org.yolofleet.core.release.TrustedKeys;
import org.yolofleet.core.release.VerifiedRelease;
import org.yolofleet.publish.PublishConfig;
import org.yolofleet.publish.store.ReleaseStore;
import org.yolofleet.publish.store.ReleaseStoreOptions;
import org.yolofleet.publish.store.ReleaseStores;
import org.yolofleet.publish.store.StoreReleaseReader;
import org.yolofleet.spark.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code yolofleet publish verify}: a release in the store checked as a device checks it. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Verify a release in the store as a device does: manifest.sig against the trusted public keys, then every",
                "artifact's size and SHA-256. Exit 0 and the key id when it holds; RELEASE_SIGNATURE or RELEASE_TAMPERED (exit 6)",
                "when not. Trusted keys: each --public-key, else the public key of the configured signing key."})
public final class PublishVerifyCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configuration;

    @Option(names = "--store", paramLabel = "URI", description = "the release store; replaces yolofleet.publish.store.uri")
    String store;

    @Option(names = "--model", paramLabel = "NAME", description = "the model; replaces yolofleet.publish.model")
    String model;

    @Option(names = "--version-name", paramLabel = "V", required = true, description = "the release to verify")
    String version;

    @Option(names = "--public-key", paramLabel = "FILE", description = "a trusted public key (PEM); repeatable")
    List<Path> publicKeys = new ArrayList<>();

    @Override
    public Integer call() {
        List<String> overrides = new ArrayList<>();
        if (store != null) {
            overrides.add("publish.store.uri=" + org.yolofleet.config.Hocon.string(store));
        }
        if (model != null) {
            overrides.add("publish.model=" + org.yolofleet.config.Hocon.string(model));
        }
        Config raw = configuration.load(overrides);
        PublishConfig config = PublishConfig.from(raw);
        List<PublicKey> trusted = new ArrayList<>();
        for (Path file : publicKeys) {
            trusted.add(SigningKeys.readPublicKey(file));
        }
        if (trusted.isEmpty()) {
            trusted.add(SigningKeys.publicKeyOf(config.signing().load(System.getenv())));
        }
        try (ReleaseStore releases = ReleaseStores.open(URI.create(config.store()),
                SparkSessions.getOrCreate(raw).sparkContext().hadoopConfiguration(), ReleaseStoreOptions.from(raw))) {
            VerifiedRelease release = new ReleaseVerifier(TrustedKeys.of(trusted)).verify(new StoreReleaseReader(releases), config.model(), version);
            System.out.printf(Locale.ROOT, "verified: %s %s (sequence %d), signed by key %s%n", config.model(), version,
                    release.manifest().sequence(), release.keyId());
            for (ArtifactEntry artifact : release.manifest().artifacts()) {
                System.out.printf(Locale.ROOT, "  %-26s %,12d bytes  sha256 %s%n", artifact.name(), artifact.size(), artifact.sha256());
            }
        }
        return 0;
    }
}
