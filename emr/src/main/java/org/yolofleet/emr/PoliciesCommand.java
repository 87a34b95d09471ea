package org.yolofleet.emr;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.emr.config.LauncherConfig;
import org.yolofleet.emr.iam.PolicyDocuments;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code policies}: writes the three roles' IAM policy documents for this configuration. */
@Command(name = "policies", mixinStandardHelpOptions = true,
        description = {"Write the IAM policy documents of the three roles.",
                "Write the IAM policy documents of the EMR job role, the scheduler role and the device role with the",
                "configuration's bucket, prefixes and role ARNs filled in, for aws iam create-policy --policy-document file://..."})
final class PoliciesCommand implements Runnable {
    @Mixin
    LauncherOptions options;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "NAME", required = true, description = "the model whose releases and channels the device role may read")
    String model;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".", description = "where the documents go (default: the current directory)")
    Path out;

    @Override
    public void run() {
        LauncherConfig config = options.config();
        for (PolicyDocuments.Role role : PolicyDocuments.Role.values()) {
            Path file = out.resolve(role.file());
            try {
                Files.createDirectories(out);
                Files.writeString(file, PolicyDocuments.render(config, role, model) + "\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new YoloFleetException(ErrorCode.IO, "policies: cannot write " + file + ": " + e.getMessage());
            }
            spec.commandLine().getOut().println("wrote " + file);
        }
    }
}
