package org.yolofleet.emr;

import org.yolofleet.emr.config.LauncherConfig;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The options every verb shares: the launcher configuration, per-key overrides and an optional AWS endpoint. */
public final class LauncherOptions {
    @Option(names = "--conf", paramLabel = "FILE", defaultValue = "emr/conf/emr-launcher.conf",
            description = "the launcher configuration (default: ${DEFAULT-VALUE}; every key documented there)")
    Path configurationFile;

    @Option(names = {"--set", "-s"}, paramLabel = "KEY=VALUE", description = "override one key, repeatable (e.g. --set bucket=my-bucket)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "send every AWS call to this endpoint (an AWS emulator such as moto_server); default: AWS itself")
    URI endpoint;

    /** The validated configuration. */
    LauncherConfig config() {
        return LauncherConfig.load(configurationFile, overrides);
    }

    /** The AWS clients for the configuration's region. */
    AwsClients clients(LauncherConfig config) {
        return AwsClients.of(config.region(), Optional.ofNullable(endpoint));
    }
}
