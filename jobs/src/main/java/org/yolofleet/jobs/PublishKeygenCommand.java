package org.yolofleet.jobs;

import org.yolofleet.core.release.SigningKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.Callable;

/** {@code yolofleet publish keygen}: an Ed25519 key pair for signing releases, as PEM files. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Write a new Ed25519 key pair: the private key (PKCS#8 PEM, mode 600) that publish signs manifests with",
                "(yolofleet.publish.signing.private-key, or its text in $YOLOFLEET_SIGNING_KEY), and the public key (X.509 PEM)",
                "devices trust. Never overwrites a file. Prints the key id (the first 16 hex digits of the public key's SHA-256)."})
public final class PublishKeygenCommand implements Callable<Integer> {
    @Option(names = "--private-key", paramLabel = "FILE", required = true, description = "where the private key goes")
    Path privateKey;

    @Option(names = "--public-key", paramLabel = "FILE", required = true, description = "where the public key goes")
    Path publicKey;

    @Override
    public Integer call() {
        KeyPair pair = SigningKeys.generate();
        SigningKeys.write(pair, privateKey, publicKey);
        System.out.println("key " + SigningKeys.keyId(pair.getPublic()) + ": private " + privateKey.toAbsolutePath() + ", public "
                + publicKey.toAbsolutePath());
        return 0;
    }
}
