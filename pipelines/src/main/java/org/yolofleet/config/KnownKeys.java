package org.yolofleet.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import org.yolofleet.core.text.EditDistance;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The keys {@code conf/defaults.conf} defines, the one list of what may be set: its leaf values, the objects
 * (sections) above them, and its open maps. An open map is an object that is empty in defaults.conf
 * ({@code aliases {}}, {@code spark.settings {}}): it holds keys the user chooses, so any key below it is
 * accepted. Paths are written as HOCON writes them ({@code yolofleet.spark.settings."spark.driver.memory"}).
 */
public final class KnownKeys {
    private static final int MAXIMUM_SUGGESTIONS = 3;

    private final Set<String> values;
    private final Set<String> sections;
    private final Set<String> openMaps;

    private KnownKeys(Set<String> values, Set<String> sections, Set<String> openMaps) {
        this.values = Set.copyOf(values);
        this.sections = Set.copyOf(sections);
        this.openMaps = Set.copyOf(openMaps);
    }

    /** The keys of {@code defaults}, the unresolved or resolved tree of conf/defaults.conf. */
    public static KnownKeys of(Config defaults) {
        requireNonNull(defaults, "defaults");
        Set<String> values = new HashSet<>();
        Set<String> sections = new HashSet<>();
        Set<String> openMaps = new HashSet<>();
        collect(defaults.root(), List.of(), values, sections, openMaps);
        return new KnownKeys(values, sections, openMaps);
    }

    private static void collect(ConfigObject object, List<String> path, Set<String> values, Set<String> sections, Set<String> openMaps) {
        for (var entry : object.entrySet()) {
            List<String> childPath = child(path, entry.getKey());
            String key = ConfigUtil.joinPath(childPath);
            ConfigValue value = entry.getValue();
            if (value instanceof ConfigObject section) {
                if (section.isEmpty()) {
                    openMaps.add(key);
                } else {
                    sections.add(key);
                    collect(section, childPath, values, sections, openMaps);
                }
            } else {
                values.add(key);
            }
        }
    }

    static List<String> child(List<String> path, String name) {
        List<String> childPath = new ArrayList<>(path);
        childPath.add(name);
        return List.copyOf(childPath);
    }

    /** A key that holds one value (a number, a string, a list...). */
    public boolean isValue(String key) {
        return values.contains(key);
    }

    /** A key that holds an object of known keys. */
    public boolean isSection(String key) {
        return sections.contains(key);
    }

    /** A key that holds an object of keys the user chooses. */
    public boolean isOpenMap(String key) {
        return openMaps.contains(key);
    }

    public Set<String> openMaps() {
        return openMaps;
    }

    /** The known keys directly below {@code section}, sorted, e.g. to say what a section holds. */
    public List<String> children(String section) {
        List<String> path = ConfigUtil.splitPath(section);
        return Stream.of(values, sections, openMaps)
                .flatMap(Set::stream)
                .filter(key -> {
                    List<String> candidate = ConfigUtil.splitPath(key);
                    return candidate.size() == path.size() + 1 && candidate.subList(0, path.size()).equals(path);
                })
                .sorted()
                .toList();
    }

    /**
     * Up to three settable keys (values and open maps) closest to {@code unknown} by edit distance, closest first:
     * those within a third of its length below the root (at least 2 edits) and at most one edit further than the
     * closest (a typo has one likely meaning, not three), or, when none is that near, those whose last name is within
     * one edit of its last name (a key put in the wrong section: {@code train.learning-rate}).
     */
    public List<String> closest(String unknown) {
        requireNonNull(unknown, "unknown");
        List<String> path = ConfigUtil.splitPath(unknown);
        int belowRoot = path.size() < 2 ? unknown.length() : unknown.length() - path.get(0).length() - 1;
        int limit = Math.max(2, belowRoot / 3);
        List<Candidate> candidates = settable().stream()
                .map(key -> new Candidate(key, EditDistance.between(unknown, key)))
                .toList();
        List<Candidate> near = candidates.stream().filter(candidate -> candidate.distance() <= limit).toList();
        if (!near.isEmpty()) {
            int closest = near.stream().mapToInt(Candidate::distance).min().orElseThrow();
            near = near.stream().filter(candidate -> candidate.distance() <= closest + 1).toList();
        } else {
            String lastName = lastName(unknown);
            near = candidates.stream()
                    .filter(candidate -> EditDistance.between(lastName, lastName(candidate.key())) <= 1)
                    .toList();
        }
        return near.stream()
                .sorted(Comparator.comparingInt(Candidate::distance).thenComparing(Candidate::key))
                .limit(MAXIMUM_SUGGESTIONS)
                .map(Candidate::key)
                .toList();
    }

    private List<String> settable() {
        List<String> settable = new ArrayList<>(values);
        settable.addAll(openMaps);
        return settable;
    }

    private static String lastName(String key) {
        List<String> path = ConfigUtil.splitPath(key);
        return path.get(path.size() - 1);
    }

    private record Candidate(String key, int distance) {
    }
}
