package org.yolofleet.core.release;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.yolofleet.core.error.YoloFleetException;

import java.util.Base64;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * {@code manifest.sig}: the Ed25519 signature over {@code manifest.json}'s exact bytes and the id of the key that made
 * it, as JSON {@code {"keyId": ..., "algorithm": "Ed25519", "signature": <base64>}}.
 *
 * @param keyId the signing key's id ({@link SigningKeys#keyId}), 16 lower-case hex digits
 * @param signature the 64-byte signature, base64
 */
public record ManifestSignature(String keyId, String signature) {
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{16}");
    private static final int SIGNATURE_LENGTH = 64;

    public ManifestSignature {
        requireNonNull(keyId, "keyId");
        requireNonNull(signature, "signature");
        if (!KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException("keyId must be 16 lower-case hex digits, got '" + keyId + "'");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(signature);
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("signature is not base64: " + e.getMessage(), e);
        }
        if (bytes.length != SIGNATURE_LENGTH) {
            throw new IllegalArgumentException("an Ed25519 signature has " + SIGNATURE_LENGTH + " bytes, got " + bytes.length);
        }
    }

    public static ManifestSignature of(String keyId, byte[] signature) {
        return new ManifestSignature(keyId, Base64.getEncoder().encodeToString(requireNonNull(signature, "signature")));
    }

    /** The raw signature bytes. */
    public byte[] bytes() {
        return Base64.getDecoder().decode(signature);
    }

    public byte[] toJson() {
        ObjectNode json = ReleaseJson.object();
        json.put("keyId", keyId);
        json.put("algorithm", Ed25519Pem.ALGORITHM);
        json.put("signature", signature);
        return ReleaseJson.write(json);
    }

    /** Reads {@link #toJson()}'s bytes; {@link ReleaseRejectedException.Reason#MALFORMED_SIGNATURE} for anything else. */
    public static ManifestSignature fromJson(byte[] json) {
        try {
            JsonFields fields = ReleaseJson.read(json, ReleaseLayout.SIGNATURE);
            String keyId = fields.text("keyId");
            String algorithm = fields.text("algorithm");
            if (!algorithm.equals(Ed25519Pem.ALGORITHM)) {
                throw fields.bad("algorithm", "is '" + algorithm + "', releases are signed with " + Ed25519Pem.ALGORITHM + " only");
            }
            String signature = fields.text("signature");
            return fields.build(() -> new ManifestSignature(keyId, signature));
        }
        catch (YoloFleetException e) {
            throw new ReleaseRejectedException(ReleaseRejectedException.Reason.MALFORMED_SIGNATURE, e.getMessage().replaceFirst("^\\[\\w+] ", ""), e);
        }
    }
}
