package org.yolofleet.core.release;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a release's files live, relative to the release root (an S3 prefix or a directory):
 * <pre>
 *   releases/&lt;model&gt;/&lt;version&gt;/&lt;artifact&gt;        the artifacts
 *   releases/&lt;model&gt;/&lt;version&gt;/manifest.json     what the release holds, signed
 *   releases/&lt;model&gt;/&lt;version&gt;/manifest.sig      the signature over manifest.json's bytes
 *   channels/&lt;model&gt;/&lt;channel&gt;.json             the version a channel serves, written last
 * </pre>
 * Paths use {@code /} whatever the platform. Every name that becomes a path segment (model, version, channel, artifact
 * name) must be a safe segment: letters, digits, {@code .}, {@code _} and {@code -}, and neither {@code .} nor
 * {@code ..}; anything else is refused with {@link ErrorCode#CONFIG} naming what and the value.
 */
public final class ReleaseLayout {
    public static final String RELEASES = "releases";
    public static final String CHANNELS = "channels";
    public static final String MANIFEST = "manifest.json";
    public static final String SIGNATURE = "manifest.sig";

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Set<String> RESERVED_ARTIFACT_NAMES = Set.of(MANIFEST, SIGNATURE);

    private ReleaseLayout() {}

    /** {@code releases/<model>/<version>} */
    public static String releaseDirectory(String model, String version) {
        return RELEASES + "/" + requireSegment("model", model) + "/" + requireSegment("version", version);
    }

    /** {@code releases/<model>/<version>/manifest.json} */
    public static String manifest(String model, String version) {
        return releaseDirectory(model, version) + "/" + MANIFEST;
    }

    /** {@code releases/<model>/<version>/manifest.sig} */
    public static String signature(String model, String version) {
        return releaseDirectory(model, version) + "/" + SIGNATURE;
    }

    /** {@code releases/<model>/<version>/<name>} */
    public static String artifact(String model, String version, String name) {
        return releaseDirectory(model, version) + "/" + requireArtifactName(name);
    }

    /** {@code channels/<model>/<channel>.json} */
    public static String channelPointer(String model, String channel) {
        return CHANNELS + "/" + requireSegment("model", model) + "/" + requireSegment("channel", channel) + ".json";
    }

    /** An artifact's file name: a safe segment other than {@value #MANIFEST} and {@value #SIGNATURE}. */
    public static String requireArtifactName(String name) {
        requireSegment("artifact name", name);
        if (RESERVED_ARTIFACT_NAMES.contains(name)) {
            throw new YoloFleetException(ErrorCode.CONFIG, "artifact name '" + name + "' is reserved for the release's own "
                    + name + "; name the artifact otherwise");
        }
        return name;
    }

    /** {@code value} when it is a safe path segment, else {@link ErrorCode#CONFIG} naming {@code what}. */
    public static String requireSegment(String what, String value) {
        if (!isSafeSegment(value)) {
            throw new YoloFleetException(ErrorCode.CONFIG, what + " '" + value + "' cannot name a release path: use letters, digits,"
                    + " '.', '_' and '-' only, and neither '.' nor '..'");
        }
        return value;
    }

    /** Whether {@code value} may be a path segment: letters, digits, {@code .}, {@code _} and {@code -}, not {@code .} or {@code ..}. */
    public static boolean isSafeSegment(String value) {
        return value != null && SEGMENT.matcher(value).matches() && !value.equals(".") && !value.equals("..");
    }
}
