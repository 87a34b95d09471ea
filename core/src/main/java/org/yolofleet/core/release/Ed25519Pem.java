package org.yolofleet.core.release;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

import static java.util.Objects.requireNonNull;

/**
 * Ed25519 keys as PEM text (RFC 7468), the form {@code openssl genpkey -algorithm ed25519} writes: the private key as
 * PKCS#8 under {@code -----BEGIN PRIVATE KEY-----}, the public key as an X.509 SubjectPublicKeyInfo under
 * {@code -----BEGIN PUBLIC KEY-----}, base64 in lines of 64 characters. Reading ignores text around the block and
 * whitespace inside it; a wrong label, bad base64 or a key of another algorithm is {@link ErrorCode#CONFIG} naming the
 * source (never the key text).
 */
public final class Ed25519Pem {
    public static final String ALGORITHM = "Ed25519";
    static final String PRIVATE_LABEL = "PRIVATE KEY";
    static final String PUBLIC_LABEL = "PUBLIC KEY";
    private static final int LINE_LENGTH = 64;

    private Ed25519Pem() {}

    public static String privateKeyPem(PrivateKey key) {
        requireAlgorithm(requireNonNull(key, "key").getAlgorithm(), key.getFormat(), "PKCS#8");
        return pem(PRIVATE_LABEL, key.getEncoded());
    }

    public static String publicKeyPem(PublicKey key) {
        requireAlgorithm(requireNonNull(key, "key").getAlgorithm(), key.getFormat(), "X.509");
        return pem(PUBLIC_LABEL, key.getEncoded());
    }

    /** The private key of a {@code PRIVATE KEY} block; {@code source} names where the text came from, for errors. */
    public static PrivateKey readPrivateKey(String pem, String source) {
        byte[] der = der(pem, PRIVATE_LABEL, source);
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
        }
        catch (GeneralSecurityException | RuntimeException e) {
            throw new YoloFleetException(ErrorCode.CONFIG, source + " holds no Ed25519 private key (" + e.getClass().getSimpleName()
                    + "); create one with: openssl genpkey -algorithm ed25519", e);
        }
    }

    /** The public key of a {@code PUBLIC KEY} block; {@code source} names where the text came from, for errors. */
    public static PublicKey readPublicKey(String pem, String source) {
        byte[] der = der(pem, PUBLIC_LABEL, source);
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        }
        catch (GeneralSecurityException | RuntimeException e) {
            throw new YoloFleetException(ErrorCode.CONFIG, source + " holds no Ed25519 public key (" + e.getClass().getSimpleName()
                    + "); derive it with: openssl pkey -in private.pem -pubout", e);
        }
    }

    private static String pem(String label, byte[] der) {
        String base64 = Base64.getEncoder().encodeToString(der);
        StringBuilder text = new StringBuilder("-----BEGIN " + label + "-----\n");
        for (int start = 0; start < base64.length(); start += LINE_LENGTH) {
            text.append(base64, start, Math.min(base64.length(), start + LINE_LENGTH)).append('\n');
        }
        return text.append("-----END ").append(label).append("-----\n").toString();
    }

    private static byte[] der(String pem, String label, String source) {
        requireNonNull(pem, "pem");
        requireNonNull(source, "source");
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int start = pem.indexOf(begin);
        int stop = start < 0 ? -1 : pem.indexOf(end, start + begin.length());
        if (start < 0 || stop < 0) {
            String found = pem.contains("-----BEGIN ") ? "another PEM block than" : "no PEM block";
            throw new YoloFleetException(ErrorCode.CONFIG, source + " holds " + found + " '" + begin + "' ... '" + end + "'");
        }
        String base64 = pem.substring(start + begin.length(), stop).replaceAll("\\s+", "");
        try {
            return Base64.getDecoder().decode(base64);
        }
        catch (IllegalArgumentException e) {
            throw new YoloFleetException(ErrorCode.CONFIG, source + ": the " + label + " block is not valid base64", e);
        }
    }

    private static void requireAlgorithm(String algorithm, String format, String expectedFormat) {
        if (!(ALGORITHM.equals(algorithm) || "EdDSA".equals(algorithm)) || !expectedFormat.equals(format)) {
            throw new IllegalArgumentException("expected an Ed25519 key in " + expectedFormat + ", got " + algorithm + " in " + format);
        }
    }
}
