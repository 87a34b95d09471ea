package org.yolofleet.publish.store;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * One release being written to {@code releases/<model>/<version>/} so that it is never visible half-written.
 *
 * <p>Every file goes first to {@code releases/<model>/.staging-<version>-<random>/}, is read back and checked (size and
 * SHA-256 against what was given) before the next; {@link #commit} then moves the files into the release prefix
 * (local disk: one directory rename; S3: a copy and delete per object) with {@value #SIGNATURE} moved last. A release
 * prefix without {@value #SIGNATURE} is incomplete by definition: readers skip it ({@link #completeVersions}) and
 * {@link #cleanStale} removes it, with the staging prefixes of killed runs. The manifest's format is not known here:
 * files are names and bytes.
 */
public final class StagedRelease {
    /** The file whose presence makes a release complete; written last. */
    public static final String SIGNATURE = "manifest.sig";
    static final String STAGING = ".staging-";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");
    /** What {@link #begin} puts after {@code .staging-<version>-}: a random UUID. */
    private static final Pattern STAGING_SUFFIX = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final ReleaseStore store;
    private final String model;
    private final String version;
    private final String staging;
    private final Map<String, FileDigest> files = new LinkedHashMap<>();
    private boolean committed;

    private StagedRelease(ReleaseStore store, String model, String version, String staging) {
        this.store = store;
        this.model = model;
        this.version = version;
        this.staging = staging;
    }

    /** Opens a new staging prefix for {@code model} {@code version}. */
    public static StagedRelease begin(ReleaseStore store, String model, String version) {
        requireNonNull(store, "store");
        checkName("model", model);
        checkName("version", version);
        return new StagedRelease(store, model, version, modelPrefix(model) + "/" + STAGING + version + "-" + UUID.randomUUID());
    }

    public static String modelPrefix(String model) {
        return "releases/" + checkName("model", model);
    }

    public static String releasePrefix(String model, String version) {
        return modelPrefix(model) + "/" + checkName("version", version);
    }

    public String stagingPrefix() {
        return staging;
    }

    /** Writes one file of the release to the staging prefix and checks it by reading it back. */
    public FileDigest add(String name, byte[] content) {
        requireNonNull(content, "content");
        String key = stagedKey(name);
        FileDigest expected = new FileDigest(content.length, hex(LocalReleaseStore.newSha256().digest(content)));
        store.write(key, content);
        return verified(name, key, expected);
    }

    /** Writes one file of the release from disk (streamed, never whole in memory) and checks it by reading it back. */
    public FileDigest add(String name, Path file) {
        requireNonNull(file, "file");
        String key = stagedKey(name);
        FileDigest expected;
        try (InputStream input = Files.newInputStream(file)) {
            expected = digest(input);
        } catch (IOException exception) {
            throw new YoloFleetException(ErrorCode.IO, "cannot read " + file + " for release " + model + " " + version + ": " + exception, exception);
        }
        store.write(key, file);
        return verified(name, key, expected);
    }

    /** The files written so far, in order, with their digests. */
    public Map<String, FileDigest> files() {
        return Map.copyOf(files);
    }

    /**
     * Moves the staged files into {@code releases/<model>/<version>/}, {@value #SIGNATURE} last, and removes the staging
     * prefix. A leftover incomplete release of the same version (a commit killed half-way) is replaced. A complete
     * release of that version is left alone: committing the very same files again (a rerun) succeeds; different ones
     * fail with OUTPUT_EXISTS (a version is immutable once signed).
     */
    public Map<String, FileDigest> commit() {
        if (committed) {
            throw new IllegalStateException("release " + model + " " + version + " is already committed");
        }
        if (!files.containsKey(SIGNATURE)) {
            throw new YoloFleetException(ErrorCode.INTERNAL, "release " + model + " " + version + " has no " + SIGNATURE
                    + " among its files " + files.keySet() + ": add it before committing");
        }
        String release = releasePrefix(model, version);
        if (store.exists(release + "/" + SIGNATURE)) {
            refuseUnlessSame(release);
        } else {
            store.delete(release);
            if (!store.renamePrefixAtomically(staging, release)) {
                for (String name : files.keySet()) {
                    if (!name.equals(SIGNATURE)) {
                        store.move(staging + "/" + name, release + "/" + name);
                    }
                }
                store.move(staging + "/" + SIGNATURE, release + "/" + SIGNATURE);
            }
            for (var file : files.entrySet()) {
                long size = store.stat(release + "/" + file.getKey()).map(StoredObject::size).orElse(-1L);
                if (size != file.getValue().size()) {
                    throw new YoloFleetException(ErrorCode.IO, release + "/"
                            + file.getKey() + " holds " + size + " bytes after the commit, " + file.getValue().size() + " were written");
                }
            }
        }
        store.delete(staging);
        committed = true;
        return Map.copyOf(files);
    }

    /** Removes what was staged (after a failure); the release prefix is not touched. */
    public void abort() {
        store.delete(staging);
    }

    /** Whether {@code releases/<model>/<version>/} holds a signature, the mark of a complete release. */
    public static boolean isComplete(ReleaseStore store, String model, String version) {
        return store.exists(releasePrefix(model, version) + "/" + SIGNATURE);
    }

    /** The versions of {@code model} that are complete (signed), sorted by name. */
    public static List<String> completeVersions(ReleaseStore store, String model) {
        String prefix = modelPrefix(model) + "/";
        Set<String> versions = new TreeSet<>();
        for (String key : store.list(modelPrefix(model))) {
            String below = key.substring(prefix.length());
            int slash = below.indexOf('/');
            if (slash > 0 && !below.startsWith(STAGING) && below.substring(slash + 1).equals(SIGNATURE)) {
                versions.add(below.substring(0, slash));
            }
        }
        return List.copyOf(versions);
    }

    /**
     * Removes what killed runs left for {@code model}: every staging prefix, and every release prefix without a
     * signature. Returns the prefixes removed. Must not run while another publish of the same model is writing
     * (it would take that run's staging prefix for a leftover).
     */
    public static List<String> cleanStale(ReleaseStore store, String model) {
        return removeLeftovers(store, model, top -> true);
    }

    /**
     * Removes what killed publishes of {@code model} {@code version} left: its staging prefixes and its release prefix
     * when that holds no signature. A rerun of the same version calls it before staging anew; publishes of other versions
     * are not touched (their staging prefixes carry their own version). Returns the prefixes removed.
     */
    public static List<String> cleanLeftovers(ReleaseStore store, String model, String version) {
        checkName("version", version);
        String staged = STAGING + version + "-";
        return removeLeftovers(store, model, top -> top.equals(version)
                || top.startsWith(staged) && STAGING_SUFFIX.matcher(top.substring(staged.length())).matches());
    }

    private static List<String> removeLeftovers(ReleaseStore store, String model, Predicate<String> candidate) {
        String prefix = modelPrefix(model) + "/";
        Set<String> tops = new TreeSet<>();
        Set<String> signed = new TreeSet<>();
        for (String key : store.list(modelPrefix(model))) {
            String below = key.substring(prefix.length());
            int slash = below.indexOf('/');
            if (slash < 0) {
                continue;
            }
            String top = below.substring(0, slash);
            if (!candidate.test(top)) {
                continue;
            }
            tops.add(top);
            if (below.substring(slash + 1).equals(SIGNATURE) && !top.startsWith(STAGING)) {
                signed.add(top);
            }
        }
        tops.removeAll(signed);
        List<String> removed = tops.stream().map(top -> prefix + top).toList();
        removed.forEach(store::delete);
        return removed;
    }

    private void refuseUnlessSame(String release) {
        for (var file : files.entrySet()) {
            FileDigest found = store.stat(release + "/" + file.getKey()).map(ignored -> readDigest(release + "/" + file.getKey())).orElse(null);
            if (!file.getValue().equals(found)) {
                store.delete(staging);
                throw new YoloFleetException(ErrorCode.OUTPUT_EXISTS, "release " + model + " " + version + " already exists in "
                        + store.uri() + " (" + release + ", signed) with other content (" + file.getKey() + "): a signed version "
                        + "is never replaced; publish a new version");
            }
        }
    }

    private FileDigest verified(String name, String key, FileDigest expected) {
        FileDigest found = readDigest(key);
        if (!found.equals(expected)) {
            throw new YoloFleetException(ErrorCode.IO, "read-back of " + store.uri() + " " + key + " differs from what was written: "
                    + found.size() + " bytes, SHA-256 " + found.sha256() + ", expected " + expected.size() + " bytes, SHA-256 "
                    + expected.sha256() + "; the write was damaged on its way: run publish again");
        }
        files.put(name, expected);
        return expected;
    }

    private FileDigest readDigest(String key) {
        try (InputStream input = store.open(key)) {
            return digest(input);
        } catch (IOException exception) {
            throw new YoloFleetException(ErrorCode.IO, "cannot read back " + store.uri() + " " + key + ": " + exception, exception);
        }
    }

    private static FileDigest digest(InputStream input) throws IOException {
        MessageDigest digest = LocalReleaseStore.newSha256();
        long size;
        try (DigestInputStream digesting = new DigestInputStream(input, digest)) {
            size = digesting.transferTo(OutputStream.nullOutputStream());
        }
        return new FileDigest(size, hex(digest.digest()));
    }

    private String stagedKey(String name) {
        checkName("file name", name);
        if (committed) {
            throw new IllegalStateException("release " + model + " " + version + " is already committed");
        }
        if (files.containsKey(name)) {
            throw new IllegalArgumentException(name + " was already added to release " + model + " " + version);
        }
        return staging + "/" + name;
    }

    private static String checkName(String what, String name) {
        requireNonNull(name, what);
        if (!NAME.matcher(name).matches()) {
            throw new YoloFleetException(ErrorCode.CONFIG, what + " '" + name + "' is not allowed: letters, digits, '.', '_', '+', '-', "
                    + "starting with a letter or digit");
        }
        return name;
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
