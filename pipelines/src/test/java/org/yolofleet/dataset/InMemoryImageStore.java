package org.yolofleet.dataset;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** An image folder in memory; paths are {@code JPEGImages/<name>}. */
final class InMemoryImageStore implements ImageStore {
    private final Map<String, byte[]> files;

    InMemoryImageStore(Map<String, byte[]> files) {
        this.files = new TreeMap<>(files);
    }

    static InMemoryImageStore of(String name, byte[] bytes) {
        return new InMemoryImageStore(Map.of(name, bytes));
    }

    @Override
    public Set<String> fileNames() {
        return Set.copyOf(files.keySet());
    }

    @Override
    public Optional<byte[]> read(String fileName) {
        return Optional.ofNullable(files.get(fileName)).map(byte[]::clone);
    }

    @Override
    public String path(String fileName) {
        return "JPEGImages/" + fileName;
    }
}
