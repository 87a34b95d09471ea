package org.yolofleet.publish;

import org.yolofleet.core.release.ChannelPointer;
import org.yolofleet.core.release.ReleaseLayout;
import org.yolofleet.publish.store.ReleaseStore;
import org.yolofleet.publish.store.StoredObject;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A channel as read at the start of a publish: its pointer (none for a new channel) and the pointer's ETag, which the
 * channel write at the end must still find ({@link ReleaseStore#compareAndSet}), so a publish never moves a channel
 * someone else moved in between.
 */
public record ReleaseChannel(Optional<ChannelPointer> pointer, Optional<String> etag) {
    public ReleaseChannel {
        requireNonNull(pointer, "pointer");
        requireNonNull(etag, "etag");
    }

    public static ReleaseChannel read(ReleaseStore store, String model, String channel) {
        String key = ReleaseLayout.channelPointer(model, channel);
        Optional<StoredObject> stat = store.stat(key);
        if (stat.isEmpty()) {
            return new ReleaseChannel(Optional.empty(), Optional.empty());
        }
        // the ETag first: a pointer replaced between the two reads then fails the final conditional write, never passes it
        String etag = stat.get().etag();
        return new ReleaseChannel(Optional.of(ChannelPointer.fromJson(store.read(key))), Optional.of(etag));
    }
}
