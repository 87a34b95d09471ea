package org.yolofleet.jobs;

import com.typesafe.config.Config;
import org.yolofleet.config.Hocon;
import org.yolofleet.core.release.SigningKeys;
import org.yolofleet.core.release.TrustedKeys;
import org.yolofleet.publish.PublishConfig;
import org.yolofleet.publish.store.ReleaseStore;
import org.yolofleet.publish.store.ReleaseStoreOptions;
import org.yolofleet.publish.store.ReleaseStores;
import org.yolofleet.spark.SparkSessions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * The options of the {@code publish} subcommands that read the store (a picocli mixin): the configuration, the store
 * and model, and the public keys to trust — each {@code --public-key}, else the public key of the configured signing key.
 * The store is opened with the Hadoop settings of the Spark session, as every stage.
 */
public final class ReleaseStoreAccess {
    @Mixin
    ConfigOptions configuration;

    @Option(names = "--store", paramLabel = "URI", description = "the release store; replaces yolofleet.publish.store.uri")
    String store;

    @Option(names = "--model", paramLabel = "NAME", description = "the model; replaces yolofleet.publish.model")
    String model;

    @Option(names = "--public-key", paramLabel = "FILE", description = "a trusted public key (PEM); repeatable (default: the signing key's)")
    List<Path> publicKeys = new ArrayList<>();

    /** The configuration with {@code --store} and {@code --model} applied. */
    Config load() {
        List<String> overrides = new ArrayList<>();
        if (store != null) {
            overrides.add("publish.store.uri=" + Hocon.string(store));
        }
        if (model != null) {
            overrides.add("publish.model=" + Hocon.string(model));
        }
        return configuration.load(overrides);
    }

    ReleaseStore open(PublishConfig config, Config raw) {
        return ReleaseStores.open(URI.create(config.store()), SparkSessions.getOrCreate(raw).sparkContext().hadoopConfiguration(),
                ReleaseStoreOptions.from(raw));
    }

    TrustedKeys trusted(PublishConfig config, Config raw) {
        List<PublicKey> keys = new ArrayList<>();
        for (Path file : publicKeys) {
            keys.add(SigningKeys.readPublicKey(file));
        }
        if (keys.isEmpty()) {
            keys.add(SigningKeys.publicKeyOf(config.signing().load(System.getenv(), SparkSessions.getOrCreate(raw).sparkContext().hadoopConfiguration())));
        }
        return TrustedKeys.of(keys);
    }
}
