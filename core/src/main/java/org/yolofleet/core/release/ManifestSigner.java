package org.yolofleet.core.release;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;

import static java.util.Objects.requireNonNull;

/**
 * Signs manifests with the publisher's Ed25519 private key (the JDK's own {@code Signature "Ed25519"}); the signature
 * names the key id of the matching public key, derived from the private key ({@link SigningKeys#publicKeyOf}).
 * Ed25519 signatures are deterministic: the same key and bytes always give the same signature.
 */
public final class ManifestSigner {
    private final PrivateKey privateKey;
    private final String keyId;

    public ManifestSigner(PrivateKey privateKey) {
        this.privateKey = requireNonNull(privateKey, "privateKey");
        this.keyId = SigningKeys.keyId(SigningKeys.publicKeyOf(privateKey));
    }

    /** The id of the public key that verifies this signer's signatures. */
    public String keyId() {
        return keyId;
    }

    /** The signature over exactly these bytes (a manifest's {@link ReleaseManifest#toJson()}). */
    public ManifestSignature sign(byte[] manifestJson) {
        requireNonNull(manifestJson, "manifestJson");
        try {
            Signature signature = Signature.getInstance(Ed25519Pem.ALGORITHM);
            signature.initSign(privateKey);
            signature.update(manifestJson);
            return ManifestSignature.of(keyId, signature.sign());
        }
        catch (GeneralSecurityException e) {
            throw new YoloFleetException(ErrorCode.INTERNAL, "cannot sign with Ed25519: " + e.getMessage(), e);
        }
    }
}
