package org.yolofleet.publish.channel;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.release.ChannelPointer;
import org.yolofleet.core.release.ReleaseLayout;
import org.yolofleet.core.release.ReleaseVerifier;
import org.yolofleet.core.release.Sha256;
import org.yolofleet.core.release.TrustedKeys;
import org.yolofleet.core.release.VerifiedRelease;
import org.yolofleet.publish.ReleaseChannel;
import org.yolofleet.publish.store.ChannelWrite;
import org.yolofleet.publish.store.ReleaseStore;
import org.yolofleet.publish.store.StoreReleaseReader;

import java.time.Clock;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Moves a channel to an existing release: {@code publish promote} (to a named version) and {@code publish rollback} (to
 * the version the channel served before). The target release is verified in full first (signature, every artifact), and
 * the pointer is replaced with the same conditional write as publish, so a move never lands on a damaged release nor
 * over a concurrent move. A rollback's new pointer names the version it rolled back from as its previous one, so a
 * second rollback undoes the first.
 */
public final class ChannelMover {
    private final ReleaseStore store;
    private final ReleaseVerifier verifier;
    private final Clock clock;

    public ChannelMover(ReleaseStore store, TrustedKeys trusted, Clock clock) {
        this.store = requireNonNull(store, "store");
        this.verifier = new ReleaseVerifier(requireNonNull(trusted, "trusted"));
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * A channel move.
     *
     * @param from        the version the channel served before; empty for a new channel
     * @param to          the version it serves now
     * @param moved       false when it already served {@code to} (nothing written)
     * @param conditional whether the store honoured a conditional write
     */
    public record Move(String model, String channel, Optional<String> from, String to, long sequence, boolean moved, boolean conditional) {
        public Move {
            requireNonNull(model, "model");
            requireNonNull(channel, "channel");
            requireNonNull(from, "from");
            requireNonNull(to, "to");
        }

        public String describe() {
            return moved
                    ? "channel " + channel + " of " + model + ": " + from.orElse("(new channel)") + " -> " + to + " (sequence " + sequence + ", "
                            + (conditional ? "conditional write" : "read-compare-write") + ")"
                    : "channel " + channel + " of " + model + " already serves " + to + ": nothing to do";
        }
    }

    /** Points {@code channel} at release {@code version}, verified first. */
    public Move promote(String model, String channel, String version) {
        ReleaseLayout.requireSegment("channel", channel);
        ReleaseChannel current = ReleaseChannel.read(store, model, channel);
        VerifiedRelease release = verifier.verify(new StoreReleaseReader(store), model, version);
        if (current.pointer().map(ChannelPointer::version).filter(version::equals).isPresent()) {
            return new Move(model, channel, Optional.of(version), version, release.manifest().sequence(), false, false);
        }
        byte[] manifestJson = store.read(ReleaseLayout.manifest(model, version));
        if (!Sha256.of(manifestJson).hex().equals(release.manifestSha256())) {
            throw new YoloFleetException(ErrorCode.RELEASE_TAMPERED, "release " + model + " " + version
                    + "'s manifest changed between its verification and the channel move");
        }
        ChannelPointer pointer = ChannelPointer.to(release.manifest(), manifestJson, channel, clock.instant(), current.pointer());
        ChannelWrite write = store.compareAndSet(ReleaseLayout.channelPointer(model, channel), current.etag(), pointer.toJson());
        return new Move(model, channel, current.pointer().map(ChannelPointer::version), version, pointer.sequence(), true, write.conditional());
    }

    /** Points {@code channel} back at the version it served before its last move, verified first. */
    public Move rollback(String model, String channel) {
        ChannelPointer current = ReleaseChannel.read(store, model, channel).pointer().orElseThrow(() -> new YoloFleetException(
                ErrorCode.NOT_FOUND, "channel " + channel + " of " + model + " does not exist in " + store.uri() + ": nothing to roll back"));
        String previous = current.previousVersion().orElseThrow(() -> new YoloFleetException(ErrorCode.CONFIG, "channel " + channel + " of "
                + model + " has served only " + current.version() + ": there is no earlier release to roll back to (promote one by version)"));
        return promote(model, channel, previous);
    }
}
