package org.yolofleet.jobs;

import com.typesafe.config.Config;
import org.yolofleet.config.ConfigLoader;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The options every verb shares: a configuration file and per-key overrides. */
public final class ConfigOptions {
    @Option(names = "--conf", paramLabel = "FILE",
            description = "HOCON file whose keys override conf/defaults.conf (e.g. conf/local.conf, conf/emr.conf)")
    File configurationFile;

    @Option(names = {"--set", "-s"}, paramLabel = "KEY=VALUE",
            description = "override one key, repeatable; the 'yolofleet.' prefix is optional (e.g. --set prepare.split.val-fraction=0.2)")
    List<String> overrides = new ArrayList<>();

    /** The configuration with {@code extra} overrides applied after the user's. */
    public Config load(List<String> extra) {
        List<String> all = new ArrayList<>(overrides);
        all.addAll(extra);
        return ConfigLoader.load(Optional.ofNullable(configurationFile), all);
    }

    /** As {@link #load(List)} with {@code conf/local.conf} between the defaults and the user's file ({@code run-local}). */
    public Config loadLocal(List<String> extra) {
        List<String> all = new ArrayList<>(overrides);
        all.addAll(extra);
        return ConfigLoader.load(ConfigLoader.local(), Optional.ofNullable(configurationFile), all);
    }
}
