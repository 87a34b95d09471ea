package org.yolofleet.jobs;

import com.typesafe.config.Config;
import org.yolofleet.publish.PublishConfig;
import org.yolofleet.publish.channel.ChannelMover;
import org.yolofleet.publish.store.ReleaseStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code yolofleet publish promote}: a channel moved to an existing release, verified first. */
@Command(name = "promote", mixinStandardHelpOptions = true,
        description = {"Point a channel (e.g. stable) at an existing release, after verifying it in full (signature, every",
                "artifact's size and SHA-256): RELEASE_SIGNATURE or RELEASE_TAMPERED (exit 6) leave the channel as it was. The",
                "pointer is replaced with a conditional write (CHANNEL_CONFLICT when another move came in between)."})
public final class PublishPromoteCommand implements Callable<Integer> {
    @Mixin
    ReleaseStoreAccess access;

    @Option(names = "--channel", paramLabel = "NAME", required = true, description = "the channel to move")
    String channel;

    @Option(names = "--version-name", paramLabel = "V", required = true, description = "the release to serve")
    String version;

    @Override
    public Integer call() {
        Config raw = access.load();
        PublishConfig config = PublishConfig.from(raw);
        try (ReleaseStore releases = access.open(config, raw)) {
            ChannelMover mover = new ChannelMover(releases, access.trusted(config, raw), Clock.systemUTC());
            System.out.println(mover.promote(config.model(), channel, version).describe());
        }
        return 0;
    }
}
