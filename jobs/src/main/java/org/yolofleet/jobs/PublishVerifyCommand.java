package org.yolofleet.jobs;

import com.typesafe.config.Config;
import org.yolofleet.core.release.ArtifactEntry;
import org.yolofleet.core.release.ReleaseVerifier;
import org.yolofleet.core.release.TrustedKeys;
import org.yolofleet.core.release.VerifiedRelease;
import org.yolofleet.publish.PublishConfig;
import org.yolofleet.publish.store.ReleaseStore;
import org.yolofleet.publish.store.StoreReleaseReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code yolofleet publish verify}: a release in the store checked as a device checks it. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Verify a release in the store as a device does: manifest.sig against the trusted public keys, then every",
                "artifact's size and SHA-256. Exit 0 and the key id when it holds; RELEASE_SIGNATURE or RELEASE_TAMPERED (exit 6)",
                "when not. Trusted keys: each --public-key, else the public key of the configured signing key."})
public final class PublishVerifyCommand implements Callable<Integer> {
    @Mixin
    ReleaseStoreAccess access;

    @Option(names = "--version-name", paramLabel = "V", required = true, description = "the release to verify")
    String version;

    @Override
    public Integer call() {
        Config raw = access.load();
        PublishConfig config = PublishConfig.from(raw);
        TrustedKeys trusted = access.trusted(config, raw);
        try (ReleaseStore releases = access.open(config, raw)) {
            VerifiedRelease release = new ReleaseVerifier(trusted).verify(new StoreReleaseReader(releases), config.model(), version);
            System.out.printf(Locale.ROOT, "verified: %s %s (sequence %d), signed by key %s%n", config.model(), version,
                    release.manifest().sequence(), release.keyId());
            for (ArtifactEntry artifact : release.manifest().artifacts()) {
                System.out.printf(Locale.ROOT, "  %-26s %,12d bytes  sha256 %s%n", artifact.name(), artifact.size(), artifact.sha256());
            }
        }
        return 0;
    }
}
