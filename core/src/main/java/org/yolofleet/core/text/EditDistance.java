package org.yolofleet.core.text;

import static java.util.Objects.requireNonNull;

/**
 * Levenshtein distance: the fewest single-character insertions, deletions and substitutions from one text to another.
 * What the configuration readers (the jobs', the agent's) use to suggest the key a misspelt one meant.
 */
public final class EditDistance {
    private EditDistance() {
    }

    public static int between(String from, String to) {
        requireNonNull(from, "from");
        requireNonNull(to, "to");
        int[] previous = new int[to.length() + 1];
        int[] current = new int[to.length() + 1];
        for (int column = 0; column <= to.length(); column++) {
            previous[column] = column;
        }
        for (int row = 1; row <= from.length(); row++) {
            current[0] = row;
            for (int column = 1; column <= to.length(); column++) {
                int substitution = previous[column - 1] + (from.charAt(row - 1) == to.charAt(column - 1) ? 0 : 1);
                current[column] = Math.min(substitution, Math.min(previous[column], current[column - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[to.length()];
    }
}
