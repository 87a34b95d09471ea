package org.yolofleet.publish.compile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Stops a process and every process it started: vendor compilers start helpers (Python interpreters, Myriad
 * tools), and stopping only the parent would leave them running on the EMR host after a timeout.
 */
final class ProcessTree {
    private static final Duration POLL = Duration.ofMillis(50);

    private ProcessTree() {
    }

    /**
     * Asks {@code process} and its descendants to stop (SIGTERM), then kills (SIGKILL) those still running after
     * {@code grace}. The descendants are listed before anything is stopped: once the parent is gone its children
     * are no longer its descendants.
     *
     * @return how many descendants it had
     */
    static int stop(Process process, Duration grace) throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        if (!awaitGone(tree, grace)) {
            tree.forEach(ProcessHandle::destroyForcibly);
            awaitGone(tree, grace);
        }
        return tree.size() - 1;
    }

    private static boolean awaitGone(List<ProcessHandle> processes, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (processes.stream().anyMatch(ProcessTree::running)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(POLL.toMillis());
        }
        return true;
    }

    /**
     * Whether the process still runs. A killed grandchild whose parent is gone is re-parented to init; until init
     * reaps it, it is a zombie that {@link ProcessHandle#isAlive()} still counts, though it runs nothing. Where
     * {@code /proc} tells the state (Linux), a zombie counts as gone.
     */
    static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
        try {
            String text = Files.readString(stat);
            int end = text.lastIndexOf(')');
            char state = end >= 0 && end + 2 < text.length() ? text.charAt(end + 2) : 'R';
            return state != 'Z' && state != 'X';
        } catch (NoSuchFileException gone) {
            return !Files.isDirectory(Path.of("/proc", "self"));
        } catch (IOException unreadable) {
            return true;
        }
    }
}
