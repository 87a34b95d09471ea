package org.yolofleet.publish.store;

import org.yolofleet.core.release.ReleaseReader;

import java.io.InputStream;
import java.nio.file.NoSuchFileException;

import static java.util.Objects.requireNonNull;

/**
 * A release store read as the release verifier reads a release root: by {@code releases/...} and {@code channels/...}
 * paths, a missing file as {@link NoSuchFileException} so the verifier tells it from a failed read.
 */
public record StoreReleaseReader(ReleaseStore store) implements ReleaseReader {
    public StoreReleaseReader {
        requireNonNull(store, "store");
    }

    @Override
    public InputStream open(String relativePath) throws NoSuchFileException {
        if (!store.exists(relativePath)) {
            throw new NoSuchFileException(store.uri() + "/" + relativePath);
        }
        return store.open(relativePath);
    }
}
