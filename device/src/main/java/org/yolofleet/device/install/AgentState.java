package org.yolofleet.device.install;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What the agent remembers between runs ({@code state.json}, written by {@link StateFile}): the installed release, the
 * channel pointer's ETag (so an unchanged channel costs one conditional request), versions that failed their health
 * check, an operator's rollback, a switch in progress, and the last event and error for {@code status}. The installed
 * release on disk ({@code current}) is the truth; this mirrors it.
 *
 * @param installedVersion the version {@code current} points at, once a sync or rollback switched it
 * @param installedSequence its sequence; 0 when none
 * @param channelEtag the ETag of the channel pointer the installed release came from
 * @param badVersions versions never to install again
 * @param rollbackHold the release an operator rolled back from: the channel's releases up to its sequence are held
 * @param pending a switch whose health check has not passed yet (a killed agent finishes or undoes it on restart)
 * @param lastEvent the last thing that happened
 * @param lastError the last failure, cleared by the next successful sync
 */
public record AgentState(Optional<String> installedVersion, long installedSequence, Optional<String> channelEtag, List<BadVersion> badVersions,
                         Optional<Hold> rollbackHold, Optional<PendingSwitch> pending, Optional<Event> lastEvent, Optional<Event> lastError) {
    public AgentState {
        requireNonNull(installedVersion, "installedVersion");
        requireNonNull(channelEtag, "channelEtag");
        badVersions = List.copyOf(badVersions);
        requireNonNull(rollbackHold, "rollbackHold");
        requireNonNull(pending, "pending");
        requireNonNull(lastEvent, "lastEvent");
        requireNonNull(lastError, "lastError");
    }

    /** A version that failed after a switch, with why. */
    public record BadVersion(String version, long sequence, String reason, Instant at) {
        public BadVersion {
            requireNonNull(version, "version");
            requireNonNull(reason, "reason");
            requireNonNull(at, "at");
        }
    }

    /** The release an operator rolled back from: nothing up to {@code sequence} is installed again. */
    public record Hold(String version, long sequence, Instant at) {
        public Hold {
            requireNonNull(version, "version");
            requireNonNull(at, "at");
        }
    }

    /** A switch to {@code version} from {@code previousVersion} (empty: from nothing) not yet confirmed healthy. */
    public record PendingSwitch(String version, long sequence, Optional<String> previousVersion) {
        public PendingSwitch {
            requireNonNull(version, "version");
            requireNonNull(previousVersion, "previousVersion");
        }
    }

    /**
     * One event: a name ({@code installed}, {@code refused}, ...), a code ({@code RELEASE_SIGNATURE} for errors, else
     * empty), a message and when.
     */
    public record Event(String name, Optional<String> code, String message, Instant at) {
        public Event {
            requireNonNull(name, "name");
            requireNonNull(code, "code");
            requireNonNull(message, "message");
            requireNonNull(at, "at");
        }
    }

    /** The state of a new device. */
    public static AgentState initial() {
        return new AgentState(Optional.empty(), 0, Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public boolean isBad(String version) {
        return badVersions.stream().anyMatch(bad -> bad.version().equals(version));
    }

    public AgentState withInstalled(String version, long sequence) {
        return new AgentState(Optional.of(version), sequence, channelEtag, badVersions, rollbackHold, pending, lastEvent, lastError);
    }

    public AgentState withChannelEtag(Optional<String> etag) {
        return new AgentState(installedVersion, installedSequence, etag, badVersions, rollbackHold, pending, lastEvent, lastError);
    }

    public AgentState withBadVersion(BadVersion bad) {
        List<BadVersion> bads = new ArrayList<>(badVersions);
        bads.removeIf(existing -> existing.version().equals(bad.version()));
        bads.add(bad);
        return new AgentState(installedVersion, installedSequence, channelEtag, bads, rollbackHold, pending, lastEvent, lastError);
    }

    public AgentState withRollbackHold(Optional<Hold> hold) {
        return new AgentState(installedVersion, installedSequence, channelEtag, badVersions, hold, pending, lastEvent, lastError);
    }

    public AgentState withPending(Optional<PendingSwitch> switching) {
        return new AgentState(installedVersion, installedSequence, channelEtag, badVersions, rollbackHold, switching, lastEvent, lastError);
    }

    public AgentState withEvent(Event event) {
        return new AgentState(installedVersion, installedSequence, channelEtag, badVersions, rollbackHold, pending, Optional.of(event), lastError);
    }

    /** Records a failure: it is the last event and the last error. */
    public AgentState withError(Event error) {
        return new AgentState(installedVersion, installedSequence, channelEtag, badVersions, rollbackHold, pending, Optional.of(error), Optional.of(error));
    }

    public AgentState withoutError() {
        return new AgentState(installedVersion, installedSequence, channelEtag, badVersions, rollbackHold, pending, lastEvent, Optional.empty());
    }
}
