package org.yolofleet.emr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.emr.cluster.NightlyJobFlow;
import org.yolofleet.emr.config.LauncherConfig;
import org.yolofleet.emr.deploy.Deployer;
import org.yolofleet.emr.iam.PolicyDocuments;
import org.yolofleet.emr.testing.MotoServer;
import picocli.CommandLine;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.Cluster;
import software.amazon.awssdk.services.emr.model.Configuration;
import software.amazon.awssdk.services.emr.model.StepSummary;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.GetScheduleResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The launcher's verbs against a real moto_server: what deploy, run and schedule leave in S3, EMR and Scheduler. */
class EmrLauncherMotoTest {
    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();

    static final String BUCKET = "yolofleet-test";
    static final String VERSION = "1.2.3";
    static final Path CONF = Path.of("conf/emr-launcher.conf");

    @TempDir
    Path temporary;

    @BeforeEach
    void emptyAccount() throws IOException {
        MOTO.reset();
    }

    static List<String> common(String... arguments) {
        List<String> all = new ArrayList<>(List.of(arguments));
        all.addAll(List.of("--conf", CONF.toString(), "--endpoint", MOTO.endpoint().toString(), "--set", "bucket=" + BUCKET,
                "--set", "version=" + VERSION));
        return all;
    }

    record Result(int exitCode, String out, String err) {
    }

    static Result launch(List<String> arguments) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = EmrLauncher.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(arguments.toArray(String[]::new));
        return new Result(exitCode, out.toString(), err.toString());
    }

    static LauncherConfig config() {
        return LauncherConfig.load(CONF, List.of("bucket=" + BUCKET, "version=" + VERSION));
    }

    /** An EMR client that keeps the JSON body of the last request it sent, as the SDK marshalled it. */
    static EmrClient recordingEmr(AtomicReference<String> body) {
        ExecutionInterceptor recorder = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                context.requestBody().ifPresent(requestBody -> {
                    try (InputStream in = requestBody.contentStreamProvider().newStream()) {
                        body.set(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
        };
        AwsClients clients = MOTO.clients();
        return EmrClient.builder().region(clients.region()).credentialsProvider(clients.credentials()).endpointOverride(MOTO.endpoint())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(configuration -> configuration.addExecutionInterceptor(recorder)).build();
    }

    @Test
    void deployUploadsEverythingWithChecksumsOnceAndASecondDeployUploadsNothing() throws IOException {
        Path jar = temporary.resolve("yolofleet-jobs-all.jar");
        byte[] content = new byte[300_000];
        new Random(7).nextBytes(content);
        Files.write(jar, content);
        try (S3Client s3 = MOTO.clients().s3()) {
            s3.createBucket(request -> request.bucket(BUCKET));

            Result first = launch(common("deploy", jar.toString()));
            assertThat(first.exitCode()).as(first.err()).isZero();
            String prefix = "yolofleet/deploy/" + VERSION + "/";
            List<String> keys = s3.listObjectsV2(request -> request.bucket(BUCKET).prefix(prefix)).contents().stream().map(S3Object::key).toList();
            assertThat(keys).containsExactlyInAnyOrder(prefix + "yolofleet.jar", prefix + "emr.conf", prefix + "conf/emr-launcher.conf", prefix + "templates/emr-7.13.0.conf",
                    prefix + "templates/emr-7.13.0-gpu.conf", prefix + "bootstrap/install-jemalloc.sh", prefix + "bootstrap/install-openvino.sh", prefix + Deployer.MANIFEST);
            Map<String, String> metadata = s3.headObject(request -> request.bucket(BUCKET).key(prefix + "yolofleet.jar")).metadata();
            assertThat(metadata).containsEntry(Deployer.CHECKSUM_METADATA, Deployer.sha256(jar));
            JsonNode manifest = new ObjectMapper().readTree(s3.getObjectAsBytes(request -> request.bucket(BUCKET).key(prefix + Deployer.MANIFEST))
                    .asByteArray());
            assertThat(manifest.get("version").asText()).isEqualTo(VERSION);
            assertThat(manifest.get("files")).hasSize(7);
            assertThat(manifest.get("files").get(0).get("sha256").asText()).isEqualTo(Deployer.sha256(jar));
            assertThat(first.out()).contains("8 uploaded, 0 unchanged");

            Result second = launch(common("deploy", jar.toString()));
            assertThat(second.exitCode()).as(second.err()).isZero();
            assertThat(second.out()).contains("0 uploaded, 8 unchanged");

            content[0] ^= 1;
            Files.write(jar, content);
            Result changed = launch(common("deploy", jar.toString()));
            assertThat(changed.out()).contains("2 uploaded, 6 unchanged").containsPattern("uploaded +s3://\\S+/yolofleet.jar");
        }
    }

    @Test
    void deployOfAMissingJarFailsAsAUserError() {
        Result result = launch(common("deploy", temporary.resolve("missing.jar").toString()));
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).contains("[NOT_FOUND]").contains("missing.jar").contains("-Puber-jar");
    }

    @Test
    void runStartsATransientClusterWithTheTemplateAndTheFourSteps() {
        Result result = launch(common("run", "--run-id", "20261206T020000Z"));
        assertThat(result.exitCode()).as(result.err()).isZero();
        String clusterId = result.out().replaceAll("(?s).*started (j-[A-Z0-9]+).*", "$1");
        String deploy = "s3://" + BUCKET + "/yolofleet/deploy/" + VERSION;
        try (EmrClient emr = MOTO.clients().emr()) {
            Cluster cluster = emr.describeCluster(request -> request.clusterId(clusterId)).cluster();
            assertThat(cluster.name()).isEqualTo("yolofleet-nightly-20261206T020000Z");
            assertThat(cluster.releaseLabel()).isEqualTo("emr-7.13.0");
            assertThat(cluster.logUri()).isEqualTo("s3://" + BUCKET + "/yolofleet/emr-logs/");
            assertThat(cluster.serviceRole()).isEqualTo("EMR_DefaultRole_V2");
            assertThat(cluster.ec2InstanceAttributes().iamInstanceProfile()).isEqualTo("yolofleet-emr-job");
            assertThat(cluster.autoTerminate()).as("KeepJobFlowAliveWhenNoSteps=false").isTrue();
            assertThat(cluster.applications()).extracting(application -> application.name()).containsExactly("Spark");
            assertThat(cluster.tags()).extracting(tag -> tag.key() + "=" + tag.value())
                    .containsExactlyInAnyOrder("project=yolofleet", "stage=nightly", "yolofleet:run-id=20261206T020000Z");

            Configuration defaults = cluster.configurations().stream().filter(c -> c.classification().equals("spark-defaults")).findFirst().orElseThrow();
            assertThat(defaults.properties()).containsEntry("spark.executorEnv.LD_PRELOAD", "/usr/lib64/libjemalloc.so.2")
                    .containsKey("spark.executorEnv.MALLOC_CONF").containsEntry("spark.executor.memoryOverhead", "7g");
            assertThat(defaults.properties().get("spark.executor.extraJavaOptions"))
                    .contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED")
                    .contains("-Dorg.deeplearning4j.spark.time.TimeSource=org.deeplearning4j.spark.time.SystemClockTimeSource")
                    .contains("-Dorg.bytedeco.javacpp.maxbytes=6G").contains("-Dorg.bytedeco.javacpp.maxphysicalbytes=11G");
            Configuration env = cluster.configurations().stream().filter(c -> c.classification().equals("spark-env")).findFirst().orElseThrow();
            assertThat(env.configurations()).singleElement().satisfies(export -> {
                assertThat(export.classification()).isEqualTo("export");
                assertThat(export.properties()).containsEntry("LD_PRELOAD", "/usr/lib64/libjemalloc.so.2");
            });

            assertThat(emr.listBootstrapActions(request -> request.clusterId(clusterId)).bootstrapActions())
                    .extracting(action -> action.scriptPath())
                    .containsExactly(deploy + "/bootstrap/install-jemalloc.sh", deploy + "/bootstrap/install-openvino.sh");

            List<StepSummary> steps = new ArrayList<>(emr.listSteps(request -> request.clusterId(clusterId)).steps());
            java.util.Collections.reverse(steps);
            assertThat(steps).extracting(StepSummary::name).containsExactly("yolofleet prepare 20261206T020000Z",
                    "yolofleet augment 20261206T020000Z", "yolofleet train 20261206T020000Z", "yolofleet publish 20261206T020000Z");
            assertThat(steps).allSatisfy(step -> {
                assertThat(step.actionOnFailureAsString()).isEqualTo("TERMINATE_CLUSTER");
                assertThat(step.config().jar()).isEqualTo("command-runner.jar");
            });
            List<String> head = List.of("spark-submit", "--deploy-mode", "cluster", "--name");
            String runs = "s3://" + BUCKET + "/yolofleet/runs";
            assertThat(steps.get(0).config().args()).containsExactlyElementsOf(concat(head, List.of("yolofleet-prepare-20261206T020000Z",
                    "--files", deploy + "/emr.conf", "--class", "org.yolofleet.jobs.YoloFleet", deploy + "/yolofleet.jar", "prepare",
                    "--conf", "emr.conf", "--output", "s3://" + BUCKET + "/yolofleet/prepared/20261206T020000Z", "--overwrite")));
            assertThat(steps.get(1).config().args()).containsExactlyElementsOf(concat(head, List.of("yolofleet-augment-20261206T020000Z",
                    "--files", deploy + "/emr.conf", "--class", "org.yolofleet.jobs.YoloFleet", deploy + "/yolofleet.jar", "augment",
                    "--conf", "emr.conf", "--input", "s3://" + BUCKET + "/yolofleet/prepared/20261206T020000Z",
                    "--output", "s3://" + BUCKET + "/yolofleet/shards/20261206T020000Z", "--overwrite")));
            assertThat(steps.get(2).config().args()).containsExactlyElementsOf(concat(head, List.of("yolofleet-train-20261206T020000Z",
                    "--files", deploy + "/emr.conf", "--class", "org.yolofleet.jobs.YoloFleet", deploy + "/yolofleet.jar", "train",
                    "--conf", "emr.conf", "--input", "s3://" + BUCKET + "/yolofleet/shards/20261206T020000Z", "--runs-root", runs,
                    "--run-id", "20261206T020000Z")));
            assertThat(steps.get(3).config().args()).containsExactlyElementsOf(concat(head, List.of("yolofleet-publish-20261206T020000Z",
                    "--files", deploy + "/emr.conf", "--class", "org.yolofleet.jobs.YoloFleet", deploy + "/yolofleet.jar", "publish",
                    "--conf", "emr.conf", "--run", runs + "/20261206T020000Z", "--store", "s3://" + BUCKET + "/yolofleet")));
        }

        Result status = launch(common("status", clusterId));
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out()).contains("cluster " + clusterId).contains("yolofleet prepare 20261206T020000Z")
                .contains("logs: s3://" + BUCKET + "/yolofleet/emr-logs/" + clusterId + "/");
        assertThat(status.out().indexOf("prepare")).isLessThan(status.out().indexOf("publish"));
    }

    @Test
    void statusOfAnUnknownClusterIsAUserError() {
        Result result = launch(common("status", "j-DOESNOTEXIST"));
        assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(3);
        assertThat(result.err()).contains("[NOT_FOUND]").contains("j-DOESNOTEXIST");
    }

    @Test
    void theRequestOnTheWireCarriesTheFleetsAndAutoTerminationMotoDoesNotStore() throws IOException {
        AtomicReference<String> body = new AtomicReference<>();
        try (EmrClient emr = recordingEmr(body)) {
            emr.runJobFlow(NightlyJobFlow.request(config(), VERSION, "20261206T020000Z"));
        }
        JsonNode sent = new ObjectMapper().readTree(body.get());
        assertThat(sent.at("/AutoTerminationPolicy/IdleTimeout").asLong()).isEqualTo(3600);
        assertThat(sent.at("/Instances/KeepJobFlowAliveWhenNoSteps").asBoolean(true)).isFalse();
        JsonNode fleets = sent.at("/Instances/InstanceFleets");
        assertThat(fleets).hasSize(3);
        assertThat(fleets.get(0).get("InstanceFleetType").asText()).isEqualTo("MASTER");
        assertThat(fleets.get(0).get("TargetOnDemandCapacity").asInt()).isEqualTo(1);
        assertThat(fleets.get(1).get("InstanceFleetType").asText()).isEqualTo("CORE");
        assertThat(fleets.get(1).get("TargetOnDemandCapacity").asInt()).isEqualTo(4);
        assertThat(fleets.get(1).get("TargetSpotCapacity").asInt()).isZero();
        JsonNode task = fleets.get(2);
        assertThat(task.get("InstanceFleetType").asText()).isEqualTo("TASK");
        assertThat(task.get("TargetSpotCapacity").asInt()).isEqualTo(4);
        assertThat(task.at("/LaunchSpecifications/SpotSpecification/AllocationStrategy").asText()).isEqualTo("price-capacity-optimized");
        assertThat(task.at("/LaunchSpecifications/SpotSpecification/TimeoutAction").asText()).isEqualTo("SWITCH_TO_ON_DEMAND");
        assertThat(task.at("/LaunchSpecifications/SpotSpecification/TimeoutDurationMinutes").asInt()).isEqualTo(10);
        assertThat(task.get("InstanceTypeConfigs")).extracting(type -> type.get("InstanceType").asText())
                .containsExactly("m5.2xlarge", "m5a.2xlarge", "m6i.2xlarge");
    }

    @Test
    void theScheduleSendsTheSameRequestAsRunThroughTheUniversalTarget() throws IOException {
        Result scheduled = launch(common("schedule"));
        assertThat(scheduled.exitCode()).as(scheduled.err()).isZero();
        GetScheduleResponse schedule;
        try (SchedulerClient scheduler = MOTO.clients().scheduler()) {
            schedule = scheduler.getSchedule(request -> request.name("yolofleet-nightly").groupName("default"));
        }
        assertThat(schedule.scheduleExpression()).isEqualTo("cron(0 2 * * ? *)");
        assertThat(schedule.scheduleExpressionTimezone()).isEqualTo("Europe/Berlin");
        assertThat(schedule.flexibleTimeWindow().modeAsString()).isEqualTo("FLEXIBLE");
        assertThat(schedule.flexibleTimeWindow().maximumWindowInMinutes()).isEqualTo(15);
        assertThat(schedule.target().arn()).isEqualTo("arn:aws:scheduler:::aws-sdk:emr:runJobFlow");
        assertThat(schedule.target().roleArn()).isEqualTo("arn:aws:iam::123456789012:role/yolofleet-scheduler");
        assertThat(schedule.target().retryPolicy().maximumRetryAttempts()).isEqualTo(3);
        assertThat(schedule.target().retryPolicy().maximumEventAgeInSeconds()).isEqualTo(7200);
        assertThat(schedule.target().deadLetterConfig().arn()).isEqualTo("arn:aws:sqs:us-east-1:123456789012:yolofleet-schedule-dlq");

        // run's request, as the SDK itself puts it on the wire to EMR, for the run id Scheduler fills in
        String runId = "d32c5kddcf5bb8c3";
        AtomicReference<String> body = new AtomicReference<>();
        try (EmrClient emr = recordingEmr(body)) {
            emr.runJobFlow(NightlyJobFlow.request(config(), VERSION, runId));
        }
        ObjectMapper mapper = new ObjectMapper();
        String input = schedule.target().input();
        assertThat(input).contains(NightlyJobFlow.SCHEDULED_RUN_ID);
        assertThat(mapper.readTree(input.replace(NightlyJobFlow.SCHEDULED_RUN_ID, runId))).isEqualTo(mapper.readTree(body.get()));

        Result again = launch(common("schedule", "--deploy-version", "1.2.4"));
        assertThat(again.exitCode()).as("scheduling again updates: " + again.err()).isZero();
        Result listed = launch(common("schedules"));
        assertThat(listed.out()).contains("yolofleet-nightly").contains("1 schedule(s)");
        try (SchedulerClient scheduler = MOTO.clients().scheduler()) {
            assertThat(scheduler.getSchedule(request -> request.name("yolofleet-nightly").groupName("default")).target().input())
                    .contains("/deploy/1.2.4/yolofleet.jar");
        }
        assertThat(launch(common("unschedule")).out()).startsWith("deleted default/yolofleet-nightly");
        assertThat(launch(common("schedules")).out()).contains("0 schedule(s)");
        assertThat(launch(common("unschedule")).out()).startsWith("no schedule");
    }

    @Test
    void thePoliciesAreAcceptedByIamAndGrantNoMoreThanEachRoleNeeds() throws IOException {
        Result result = launch(common("policies", "--model", "car-detector", "--out", temporary.toString()));
        assertThat(result.exitCode()).as(result.err()).isZero();
        ObjectMapper mapper = new ObjectMapper();
        try (IamClient iam = MOTO.clients().iam()) {
            for (PolicyDocuments.Role role : PolicyDocuments.Role.values()) {
                String document = Files.readString(temporary.resolve(role.file()));
                String arn = iam.createPolicy(request -> request.policyName("yolofleet-" + role.name().toLowerCase().replace('_', '-'))
                        .policyDocument(document)).policy().arn();
                assertThat(iam.getPolicy(request -> request.policyArn(arn)).policy().defaultVersionId()).isEqualTo("v1");
            }
        }
        String bucketArn = "arn:aws:s3:::" + BUCKET;
        for (PolicyDocuments.Role role : List.of(PolicyDocuments.Role.EMR_JOB, PolicyDocuments.Role.DEVICE)) {
            for (JsonNode statement : mapper.readTree(temporary.resolve(role.file()).toFile()).get("Statement")) {
                assertThat(statement.get("Effect").asText()).isEqualTo("Allow");
                assertThat(strings(statement.get("Action"))).allSatisfy(action -> assertThat(action).startsWith("s3:").doesNotContain("*"));
                assertThat(strings(statement.get("Resource"))).allSatisfy(resource ->
                        assertThat(resource).matches(java.util.regex.Pattern.quote(bucketArn) + "(/yolofleet/[a-z-]+/.*|/datasets/\\*)?"));
            }
        }
        JsonNode job = mapper.readTree(temporary.resolve(PolicyDocuments.Role.EMR_JOB.file()).toFile()).get("Statement");
        for (JsonNode statement : job) {
            if (strings(statement.get("Action")).stream().anyMatch(action -> action.equals("s3:PutObject") || action.equals("s3:DeleteObject"))) {
                assertThat(strings(statement.get("Resource"))).as("raw data and the deployed jar are read-only")
                        .noneMatch(resource -> resource.contains("/datasets/") || resource.contains("/deploy/"));
            }
        }
        JsonNode device = mapper.readTree(temporary.resolve(PolicyDocuments.Role.DEVICE.file()).toFile()).get("Statement");
        assertThat(device).singleElement().satisfies(statement -> {
            assertThat(strings(statement.get("Action"))).containsExactly("s3:GetObject");
            assertThat(strings(statement.get("Resource"))).containsExactlyInAnyOrder(bucketArn + "/yolofleet/releases/car-detector/*",
                    bucketArn + "/yolofleet/channels/car-detector/*");
        });
        JsonNode scheduler = mapper.readTree(temporary.resolve(PolicyDocuments.Role.SCHEDULER.file()).toFile()).get("Statement");
        List<String> passRoleResources = new ArrayList<>();
        for (JsonNode statement : scheduler) {
            List<String> actions = strings(statement.get("Action"));
            assertThat(actions).noneMatch(action -> action.contains("*"));
            if (actions.contains("iam:PassRole")) {
                assertThat(actions).containsExactly("iam:PassRole");
                passRoleResources.addAll(strings(statement.get("Resource")));
            }
            if (strings(statement.get("Resource")).contains("*")) {
                assertThat(actions).as("only RunJobFlow, which has no resource-level permissions, on every resource")
                        .containsExactly("elasticmapreduce:RunJobFlow");
            }
        }
        assertThat(passRoleResources).containsExactlyInAnyOrder("arn:aws:iam::123456789012:role/EMR_DefaultRole_V2",
                "arn:aws:iam::123456789012:role/yolofleet-emr-job");
    }

    @Test
    void everyVerbPrintsItsHelp() {
        for (String verb : EmrLauncher.commandLine().getSubcommands().keySet()) {
            Result help = launch(List.of(verb, "--help"));
            assertThat(help.exitCode()).as(verb + ": " + help.err()).isZero();
            assertThat(help.out()).as(verb).startsWith("Usage: yolofleet-emr " + verb).contains("--conf=FILE");
        }
        assertThat(EmrLauncher.commandLine().getSubcommands().keySet())
                .containsExactlyInAnyOrder("deploy", "run", "status", "schedule", "unschedule", "schedules", "plan", "policies");
        assertThat(launch(List.of("frobnicate")).exitCode()).isEqualTo(2);
    }

    static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(element -> values.add(element.asText()));
        } else {
            values.add(node.asText());
        }
        return values;
    }

    static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
