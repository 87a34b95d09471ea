package org.yolofleet.core.release;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The release signing key pair: generating one, writing and reading its PEM files ({@link Ed25519Pem}), reading the
 * private key from an environment variable's PEM text (how a CI secret arrives), and the key id devices know a public
 * key by: the first 16 hex digits of the SHA-256 of its SubjectPublicKeyInfo DER. The private key is never written
 * into a release.
 */
public final class SigningKeys {
    private static final int KEY_ID_LENGTH = 16;
    private static final int PRIVATE_KEY_LENGTH = 32;

    private SigningKeys() {}

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(Ed25519Pem.ALGORITHM).generateKeyPair();
        }
        catch (GeneralSecurityException e) {
            throw new YoloFleetException(ErrorCode.INTERNAL, "this JVM cannot generate Ed25519 keys", e);
        }
    }

    /** The key id of a public key: 16 lower-case hex digits. */
    public static String keyId(PublicKey key) {
        requireNonNull(key, "key");
        return HexFormat.of().formatHex(Sha256.digest().digest(key.getEncoded())).substring(0, KEY_ID_LENGTH);
    }

    /**
     * The public key of a private key, so a signer configured with the private key alone can name its key id. The JDK
     * offers no such derivation; its Ed25519 key pair generator computes the public key from 32 random bytes it takes as
     * the private key, so it is handed a random source that yields this key's bytes, and the result is checked.
     */
    public static PublicKey publicKeyOf(PrivateKey key) {
        requireNonNull(key, "key");
        if (!(key instanceof EdECPrivateKey edKey) || edKey.getBytes().isEmpty()
                || !NamedParameterSpec.ED25519.getName().equalsIgnoreCase(edKey.getParams().getName())) {
            throw new IllegalArgumentException("expected an Ed25519 private key, got " + key.getAlgorithm());
        }
        byte[] secret = edKey.getBytes().get();
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(Ed25519Pem.ALGORITHM);
            generator.initialize(NamedParameterSpec.ED25519, new FixedBytes(secret));
            KeyPair pair = generator.generateKeyPair();
            byte[] derived = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow();
            if (secret.length != PRIVATE_KEY_LENGTH || !Arrays.equals(derived, secret)) {
                throw new YoloFleetException(ErrorCode.INTERNAL, "this JVM's Ed25519 generator did not take the given private key;"
                        + " cannot derive its public key");
            }
            return pair.getPublic();
        }
        catch (GeneralSecurityException | IllegalStateException e) {
            throw new YoloFleetException(ErrorCode.INTERNAL, "cannot derive the Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the pair as PEM files; the private one readable by its owner only where the file system has POSIX
     * permissions. {@link ErrorCode#OUTPUT_EXISTS} when either file exists: a key is never overwritten.
     */
    public static void write(KeyPair pair, Path privateKeyFile, Path publicKeyFile) {
        requireNonNull(pair, "pair");
        for (Path file : new Path[] {privateKeyFile, publicKeyFile}) {
            if (Files.exists(requireNonNull(file, "file"))) {
                throw new YoloFleetException(ErrorCode.OUTPUT_EXISTS, "key file " + file + " exists; move it away or write the new pair elsewhere");
            }
        }
        try {
            Files.writeString(privateKeyFile, "", StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW);
            if (Files.getFileStore(privateKeyFile).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(privateKeyFile, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
            }
            Files.writeString(privateKeyFile, Ed25519Pem.privateKeyPem(pair.getPrivate()), StandardCharsets.US_ASCII);
            Files.writeString(publicKeyFile, Ed25519Pem.publicKeyPem(pair.getPublic()), StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW);
        }
        catch (FileAlreadyExistsException e) {
            throw new YoloFleetException(ErrorCode.OUTPUT_EXISTS, "key file " + e.getFile() + " exists; move it away or write the new pair elsewhere", e);
        }
        catch (IOException e) {
            throw new YoloFleetException(ErrorCode.IO, "cannot write the key pair " + privateKeyFile + ", " + publicKeyFile + ": " + e.getMessage(), e);
        }
    }

    public static PrivateKey readPrivateKey(Path file) {
        return Ed25519Pem.readPrivateKey(read(file, "private key"), "private key file " + file);
    }

    public static PublicKey readPublicKey(Path file) {
        return Ed25519Pem.readPublicKey(read(file, "public key"), "public key file " + file);
    }

    /** The private key whose PEM text the process environment variable holds. */
    public static PrivateKey privateKeyFromEnvironment(String variable) {
        return privateKeyFromEnvironment(variable, System.getenv());
    }

    /** The private key whose PEM text {@code environment} holds under {@code variable}; {@link ErrorCode#CONFIG} when unset. */
    public static PrivateKey privateKeyFromEnvironment(String variable, Map<String, String> environment) {
        requireNonNull(variable, "variable");
        String pem = requireNonNull(environment, "environment").get(variable);
        if (pem == null || pem.isBlank()) {
            throw new YoloFleetException(ErrorCode.CONFIG, "environment variable " + variable + " is not set; it must hold the Ed25519 private"
                    + " key's PEM text (-----BEGIN PRIVATE KEY----- ...)");
        }
        return Ed25519Pem.readPrivateKey(pem, "environment variable " + variable);
    }

    private static String read(Path file, String what) {
        requireNonNull(file, "file");
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        }
        catch (NoSuchFileException e) {
            throw new YoloFleetException(ErrorCode.NOT_FOUND, what + " file not found: " + file, e);
        }
        catch (IOException e) {
            throw new YoloFleetException(ErrorCode.IO, "cannot read the " + what + " file " + file + ": " + e.getMessage(), e);
        }
    }

    /** A random source that yields the given bytes: how {@link #publicKeyOf} hands the generator a known private key. */
    private static final class FixedBytes extends SecureRandom {
        private final byte[] bytes;

        FixedBytes(byte[] bytes) {
            this.bytes = bytes.clone();
        }

        @Override
        public void nextBytes(byte[] target) {
            if (target.length != bytes.length) {
                throw new IllegalStateException("expected a request for " + bytes.length + " bytes, got " + target.length);
            }
            System.arraycopy(bytes, 0, target, 0, bytes.length);
        }
    }
}
