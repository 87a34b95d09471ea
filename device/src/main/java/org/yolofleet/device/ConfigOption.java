package org.yolofleet.device;

import org.yolofleet.device.config.DeviceConfig;
import org.yolofleet.device.config.DeviceConfigLoader;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code --config} option every agent command shares (a picocli mixin). */
public final class ConfigOption {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "${env:YOLOFLEET_AGENT_CONFIG:-/etc/yolofleet-agent/device.conf}",
            description = "device.conf (HOCON; keys in device-defaults.conf). Default: $YOLOFLEET_AGENT_CONFIG, else ${DEFAULT-VALUE}.")
    Path file;

    /** The validated configuration. */
    public DeviceConfig load() {
        return DeviceConfigLoader.load(file);
    }
}
