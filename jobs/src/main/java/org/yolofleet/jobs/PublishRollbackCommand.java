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

/** {@code yolofleet publish rollback}: a channel moved back to the release it served before, verified first. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Point a channel back at the release it served before its last move (the pointer's previousVersion),",
                "verified in full first. A second rollback undoes the first."})
public final class PublishRollbackCommand implements Callable<Integer> {
    @Mixin
    ReleaseStoreAccess access;

    @Option(names = "--channel", paramLabel = "NAME", required = true, description = "the channel to move back")
    String channel;

    @Override
    public Integer call() {
        Config raw = access.load();
        PublishConfig config = PublishConfig.from(raw);
        try (ReleaseStore releases = access.open(config, raw)) {
            ChannelMover mover = new ChannelMover(releases, access.trusted(config, raw), Clock.systemUTC());
            System.out.println(mover.rollback(config.model(), channel).describe());
        }
        return 0;
    }
}
