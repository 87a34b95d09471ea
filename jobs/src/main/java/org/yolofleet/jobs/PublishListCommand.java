package org.yolofleet.jobs;

import com.typesafe.config.Config;
import org.yolofleet.publish.PublishConfig;
import org.yolofleet.publish.channel.ReleaseListing;
import org.yolofleet.publish.store.ReleaseStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code yolofleet publish list}: a model's releases and channels. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"List a model's complete releases (version, sequence, creation, run, val mAP@0.5, forced, the channels",
                "serving it) and its channels. Manifests are read, not verified: publish verify does that."})
public final class PublishListCommand implements Callable<Integer> {
    @Mixin
    ReleaseStoreAccess access;

    @Override
    public Integer call() {
        Config raw = access.load();
        PublishConfig config = PublishConfig.from(raw);
        try (ReleaseStore releases = access.open(config, raw)) {
            System.out.print(ReleaseListing.read(releases, config.model()).text());
        }
        return 0;
    }
}
