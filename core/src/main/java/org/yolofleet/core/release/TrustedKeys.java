package org.yolofleet.core.release;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.release.ReleaseRejectedException.Reason;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The public keys a device accepts releases from, by key id. More than one so keys can rotate: a device trusts the old
 * and the new key while releases move from one to the other, then the old key is dropped.
 */
public final class TrustedKeys {
    private final Map<String, PublicKey> keys;

    private TrustedKeys(Map<String, PublicKey> keys) {
        this.keys = Collections.unmodifiableMap(keys);
    }

    /** At least one Ed25519 public key; the same key twice is kept once. */
    public static TrustedKeys of(List<PublicKey> keys) {
        requireNonNull(keys, "keys");
        if (keys.isEmpty()) {
            throw new YoloFleetException(ErrorCode.CONFIG, "no trusted public keys given: a device needs at least one to verify releases");
        }
        Map<String, PublicKey> byId = new LinkedHashMap<>();
        for (PublicKey key : keys) {
            if (!Ed25519Pem.ALGORITHM.equals(key.getAlgorithm()) && !"EdDSA".equals(key.getAlgorithm())) {
                throw new YoloFleetException(ErrorCode.CONFIG, "trusted keys must be Ed25519, got " + key.getAlgorithm());
            }
            byId.put(SigningKeys.keyId(key), key);
        }
        return new TrustedKeys(byId);
    }

    /** The public keys of these PEM files. */
    public static TrustedKeys fromPemFiles(List<Path> files) {
        return of(requireNonNull(files, "files").stream().map(SigningKeys::readPublicKey).toList());
    }

    public Set<String> keyIds() {
        return keys.keySet();
    }

    /**
     * The id of the trusted key whose signature this is over exactly {@code manifestJson}; otherwise a
     * {@link ReleaseRejectedException}: {@link Reason#UNKNOWN_KEY} when no trusted key has the signature's key id,
     * {@link Reason#BAD_SIGNATURE} when the signature does not verify.
     */
    public String verify(byte[] manifestJson, ManifestSignature signature) {
        requireNonNull(manifestJson, "manifestJson");
        requireNonNull(signature, "signature");
        PublicKey key = keys.get(signature.keyId());
        if (key == null) {
            throw new ReleaseRejectedException(Reason.UNKNOWN_KEY, "the manifest is signed by key " + signature.keyId()
                    + ", which is not trusted (trusted: " + keys.keySet() + "); add its public key to the device's trusted keys if it is yours");
        }
        boolean valid;
        try {
            Signature verifier = Signature.getInstance(Ed25519Pem.ALGORITHM);
            verifier.initVerify(key);
            verifier.update(manifestJson);
            valid = verifier.verify(signature.bytes());
        }
        catch (SignatureException e) {
            valid = false;
        }
        catch (GeneralSecurityException e) {
            throw new YoloFleetException(ErrorCode.INTERNAL, "cannot verify Ed25519 signatures: " + e.getMessage(), e);
        }
        if (!valid) {
            throw new ReleaseRejectedException(Reason.BAD_SIGNATURE, "the signature of key " + signature.keyId()
                    + " does not verify over the manifest's bytes: the manifest or its signature was altered");
        }
        return signature.keyId();
    }
}
