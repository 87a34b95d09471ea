package org.yolofleet.emr;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.emr.cluster.NightlyJobFlow;
import org.yolofleet.emr.config.LauncherConfig;
import org.yolofleet.emr.deploy.Deployer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** {@code deploy JAR}: uploads the jobs uber-jar, the jobs configuration and the bootstrap scripts of one version. */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = {"Upload the jobs jar, configurations and bootstrap scripts of one version to S3.",
                "Upload the jobs uber-jar, the jobs configuration (deploy.jobs-config) and the bootstrap scripts",
                "(deploy.bootstrap-dir) to s3://<bucket>/<prefixes.deploy>/<version>/, each with its SHA-256 in the object's",
                "metadata, and deploy-manifest.json listing them. An object already there with the same SHA-256 is not",
                "uploaded again, so deploying the same files twice uploads nothing. The launcher configuration and the",
                "cluster templates (deploy.templates-dir) go along as a record of what ran."})
final class DeployCommand implements Runnable {
    @Mixin
    LauncherOptions options;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "JAR", description = "the jobs uber-jar (mvn -Puber-jar -pl jobs -am package: jobs/target/yolofleet-jobs-all.jar)")
    Path jar;

    @Option(names = "--deploy-version", paramLabel = "VERSION", description = "deploy under this version instead of the configuration's 'version'")
    String version;

    @Override
    public void run() {
        LauncherConfig config = options.config();
        String deployVersion = version == null ? config.version() : version;
        List<Deployer.Artifact> artifacts = new ArrayList<>();
        artifacts.add(new Deployer.Artifact(NightlyJobFlow.JAR, jar));
        artifacts.add(new Deployer.Artifact(NightlyJobFlow.JOBS_CONFIG, config.jobsConfig()));
        artifacts.add(new Deployer.Artifact("conf/" + options.configurationFile.getFileName(), options.configurationFile));
        for (Path template : files(config.templatesDirectory(), ".conf", "deploy.templates-dir")) {
            artifacts.add(new Deployer.Artifact("templates/" + template.getFileName(), template));
        }
        for (Path script : files(config.bootstrapDirectory(), ".sh", "deploy.bootstrap-dir")) {
            artifacts.add(new Deployer.Artifact("bootstrap/" + script.getFileName(), script));
        }
        try (S3Client s3 = options.clients(config).s3()) {
            Deployer.Report report = new Deployer(s3).deploy(config.bucket(), config.prefix("deploy") + "/" + deployVersion, deployVersion, artifacts);
            for (Deployer.Deployed object : report.objects()) {
                spec.commandLine().getOut().printf("%-9s s3://%s/%s  sha256 %s  %d bytes%n", object.uploaded() ? "uploaded" : "unchanged",
                        config.bucket(), object.key(), object.sha256().substring(0, 16), object.size());
            }
            spec.commandLine().getOut().printf("deploy %s: %d uploaded, %d unchanged, at %s%n", deployVersion, report.uploadedCount(),
                    report.objects().size() - report.uploadedCount(), report.uri());
        }
    }

    private static List<Path> files(Path directory, String suffix, String key) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new YoloFleetException(ErrorCode.NOT_FOUND, "deploy: cannot list the *" + suffix + " files in " + directory
                    + " (" + key + "): " + e.getMessage());
        }
    }
}
