package org.yolofleet.jobs;

import picocli.CommandLine;

/** The version from the jar manifest, or "development" when run from classes. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = YoloFleet.class.getPackage().getImplementationVersion();
        return new String[] {"yolofleet " + (version == null ? "development" : version)};
    }
}
