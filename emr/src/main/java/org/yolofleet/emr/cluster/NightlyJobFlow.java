package org.yolofleet.emr.cluster;

import org.yolofleet.emr.config.ClusterTemplate;
import org.yolofleet.emr.config.Fleet;
import org.yolofleet.emr.config.LauncherConfig;
import org.yolofleet.emr.config.SparkSettings;
import software.amazon.awssdk.services.emr.model.Application;
import software.amazon.awssdk.services.emr.model.AutoTerminationPolicy;
import software.amazon.awssdk.services.emr.model.BootstrapActionConfig;
import software.amazon.awssdk.services.emr.model.Configuration;
import software.amazon.awssdk.services.emr.model.HadoopJarStepConfig;
import software.amazon.awssdk.services.emr.model.InstanceFleetConfig;
import software.amazon.awssdk.services.emr.model.InstanceFleetProvisioningSpecifications;
import software.amazon.awssdk.services.emr.model.InstanceTypeConfig;
import software.amazon.awssdk.services.emr.model.JobFlowInstancesConfig;
import software.amazon.awssdk.services.emr.model.RunJobFlowRequest;
import software.amazon.awssdk.services.emr.model.ScriptBootstrapActionConfig;
import software.amazon.awssdk.services.emr.model.SpotProvisioningSpecification;
import software.amazon.awssdk.services.emr.model.StepConfig;
import software.amazon.awssdk.services.emr.model.Tag;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the one RunJobFlow request of a night: a transient cluster from the template whose four steps (prepare, augment,
 * train, publish) each spark-submit the deployed jobs jar in cluster deploy mode. {@code run} sends it; {@code schedule}
 * serialises the same request as the input of EventBridge Scheduler's universal RunJobFlow target.
 */
public final class NightlyJobFlow {
    /** The deployed jobs uber-jar's name under {@code deploy/<version>/}. */
    public static final String JAR = "yolofleet.jar";
    /** The deployed jobs configuration's name, also its name in the driver's working directory. */
    public static final String JOBS_CONFIG = "emr.conf";
    /** The entry point of the jobs jar. */
    public static final String MAIN_CLASS = "org.yolofleet.jobs.YoloFleet";
    /** The verbs a night runs, in order. */
    public static final List<String> VERBS = List.of("prepare", "augment", "train", "publish");
    /**
     * The run id of a scheduled night: EventBridge Scheduler replaces this keyword with the invocation's id (such as
     * {@code d32c5kddcf5bb8c3}) wherever it appears in the input, so every night of a schedule gets its own run.
     */
    public static final String SCHEDULED_RUN_ID = "<aws.scheduler.execution-id>";
    /** The tag that carries the run id. */
    public static final String RUN_ID_TAG = "yolofleet:run-id";

    private static final DateTimeFormatter RUN_ID_FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private NightlyJobFlow() {
    }

    /** The run id of a night started now: its UTC start time, as {@code train} names runs by default. */
    public static String runIdNow(Clock clock) {
        return RUN_ID_FORMAT.format(clock.instant());
    }

    /** The RunJobFlow request of one night on the deployed {@code deployVersion}. */
    public static RunJobFlowRequest request(LauncherConfig config, String deployVersion, String runId) {
        ClusterTemplate cluster = config.cluster();
        String deploy = config.deployUri(deployVersion);
        List<Tag> tags = new ArrayList<>();
        new TreeMap<>(cluster.tags()).forEach((key, value) -> tags.add(Tag.builder().key(key).value(value).build()));
        tags.add(Tag.builder().key(RUN_ID_TAG).value(runId).build());
        return RunJobFlowRequest.builder()
                .name(cluster.name() + "-" + runId)
                .releaseLabel(cluster.releaseLabel())
                .logUri(config.uri("logs") + "/")
                .serviceRole(config.roles().service())
                .jobFlowRole(config.roles().jobInstanceProfile())
                .visibleToAllUsers(true)
                .ebsRootVolumeSize(cluster.ebsRootVolumeSizeGib())
                .applications(cluster.applications().stream().map(name -> Application.builder().name(name).build()).toList())
                .instances(instances(cluster))
                .configurations(configurations(cluster.spark()))
                .bootstrapActions(bootstrapActions(cluster, deploy))
                .steps(VERBS.stream().map(verb -> step(config, deploy, verb, runId)).toList())
                .autoTerminationPolicy(AutoTerminationPolicy.builder().idleTimeout(cluster.idleTimeout().toSeconds()).build())
                .tags(tags)
                .build();
    }

    private static JobFlowInstancesConfig instances(ClusterTemplate cluster) {
        JobFlowInstancesConfig.Builder instances = JobFlowInstancesConfig.builder()
                .keepJobFlowAliveWhenNoSteps(false)
                .terminationProtected(false)
                .instanceFleets(cluster.fleets().stream().map(NightlyJobFlow::fleet).toList());
        if (!cluster.subnetIds().isEmpty()) {
            instances.ec2SubnetIds(cluster.subnetIds());
        }
        return instances.build();
    }

    private static InstanceFleetConfig fleet(Fleet fleet) {
        InstanceFleetConfig.Builder builder = InstanceFleetConfig.builder()
                .name(fleet.role().name().toLowerCase(java.util.Locale.ROOT))
                .instanceFleetType(fleet.role().apiName())
                .targetOnDemandCapacity(fleet.targetOnDemand())
                .targetSpotCapacity(fleet.targetSpot())
                .instanceTypeConfigs(fleet.instanceTypes().stream()
                        .map(type -> InstanceTypeConfig.builder().instanceType(type.type()).weightedCapacity(type.weight()).build())
                        .toList());
        fleet.spot().ifPresent(spot -> builder.launchSpecifications(InstanceFleetProvisioningSpecifications.builder()
                .spotSpecification(SpotProvisioningSpecification.builder()
                        .allocationStrategy(spot.allocationStrategy())
                        .timeoutDurationMinutes((int) spot.timeout().toMinutes())
                        .timeoutAction(spot.timeoutAction())
                        .build())
                .build()));
        return builder.build();
    }

    private static List<Configuration> configurations(SparkSettings spark) {
        List<Configuration> configurations = new ArrayList<>();
        configurations.add(Configuration.builder().classification("spark-defaults").properties(spark.sparkDefaults()).build());
        Map<String, String> exports = spark.sparkEnvExports();
        if (!exports.isEmpty()) {
            configurations.add(Configuration.builder().classification("spark-env")
                    .configurations(Configuration.builder().classification("export").properties(exports).build())
                    .build());
        }
        return configurations;
    }

    private static List<BootstrapActionConfig> bootstrapActions(ClusterTemplate cluster, String deploy) {
        List<BootstrapActionConfig> actions = new ArrayList<>();
        if (cluster.installJemalloc()) {
            actions.add(bootstrap("install jemalloc", deploy + "/bootstrap/install-jemalloc.sh"));
        }
        if (cluster.installOpenVino()) {
            actions.add(bootstrap("install OpenVINO 2022.3", deploy + "/bootstrap/install-openvino.sh"));
        }
        return actions;
    }

    private static BootstrapActionConfig bootstrap(String name, String path) {
        return BootstrapActionConfig.builder().name(name)
                .scriptBootstrapAction(ScriptBootstrapActionConfig.builder().path(path).build())
                .build();
    }

    private static StepConfig step(LauncherConfig config, String deploy, String verb, String runId) {
        List<String> arguments = new ArrayList<>(List.of("spark-submit", "--deploy-mode", "cluster", "--name", "yolofleet-" + verb + "-" + runId));
        arguments.addAll(config.steps().sparkSubmitOptions());
        arguments.addAll(List.of("--files", deploy + "/" + JOBS_CONFIG, "--class", MAIN_CLASS, deploy + "/" + JAR, verb, "--conf", JOBS_CONFIG));
        List<String> verbArguments = switch (verb) {
            case "prepare" -> config.steps().prepare();
            case "augment" -> config.steps().augment();
            case "train" -> config.steps().train();
            case "publish" -> config.steps().publish();
            default -> throw new IllegalArgumentException(verb);
        };
        verbArguments.forEach(argument -> arguments.add(substitute(config, argument, runId)));
        return StepConfig.builder()
                .name("yolofleet " + verb + " " + runId)
                .actionOnFailure(config.cluster().actionOnFailure())
                .hadoopJarStep(HadoopJarStepConfig.builder().jar("command-runner.jar").args(arguments).build())
                .build();
    }

    /**
     * Replaces {@code {run-id}}, {@code {bucket}}, {@code {release-store}} ({@link LauncherConfig#releaseStoreUri()}) and
     * {@code {prefix.NAME}} in one step argument.
     */
    static String substitute(LauncherConfig config, String argument, String runId) {
        String result = argument.replace("{run-id}", runId).replace("{bucket}", config.bucket())
                .replace("{release-store}", config.releaseStoreUri());
        for (String prefix : LauncherConfig.PREFIXES) {
            result = result.replace("{prefix." + prefix + "}", config.prefix(prefix));
        }
        return result;
    }
}
