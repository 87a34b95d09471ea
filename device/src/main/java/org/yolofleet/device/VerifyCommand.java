package org.yolofleet.device;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.release.ReleaseVerifier;
import org.yolofleet.core.release.TrustedKeys;
import org.yolofleet.core.release.VerifiedRelease;
import org.yolofleet.device.config.DeviceConfig;
import org.yolofleet.device.install.InstallDirectory;
import org.yolofleet.device.install.InstalledRelease;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code yolofleet-agent verify}: re-hashes what is installed. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Verifies the current release again: the manifest's Ed25519 signature against the trusted keys and the size and"
                + " SHA-256 of its files. Exit 6 (RELEASE_TAMPERED, RELEASE_SIGNATURE) when something changed on disk."})
final class VerifyCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--all", description = "Verify every installed release, not only the current one.")
    boolean all;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        DeviceConfig device = config.load();
        InstallDirectory install = new InstallDirectory(device.installDirectory());
        List<InstalledRelease> releases = all ? install.releases() : install.current().map(List::of).orElse(List.of());
        if (releases.isEmpty()) {
            throw new YoloFleetException(ErrorCode.NOT_FOUND, "nothing is installed in " + install.root() + "; run yolofleet-agent sync");
        }
        ReleaseVerifier verifier = new ReleaseVerifier(TrustedKeys.fromPemFiles(device.trustedKeys()));
        for (InstalledRelease release : releases) {
            VerifiedRelease verified = install.verify(release, verifier, device.profile());
            spec.commandLine().getOut().println("verified " + release.version() + " (sequence " + release.sequence() + "): signed by key "
                    + verified.keyId() + ", " + device.profile().modelArtifact(verified.manifest()).map(artifact -> artifact.name() + " "
                    + artifact.sha256()).orElse("no artifact for profile " + device.profile().key()));
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
