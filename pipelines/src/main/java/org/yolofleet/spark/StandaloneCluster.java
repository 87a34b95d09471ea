package org.yolofleet.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.yolofleet.model.FastRuntimeSettings;
import org.yolofleet.model.Nd4jRuntime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Spark standalone cluster on loopback, for the tests and the benchmarks: a master and workers started as
 * separate JVMs from Spark's own classes ({@code org.apache.spark.deploy.master.Master}, {@code ...worker.Worker}) with
 * this JVM's classpath and its Java 17 {@code --add-opens} flags, stopped by their PIDs. The workers launch executor
 * JVMs of their own, so code submitted through {@link #session} really runs in other processes, and
 * {@link #killWorker} takes one machine away mid-job. No Spark distribution is needed: the workers get an empty Spark
 * home and the executors this JVM's classpath through {@code spark.executor.extraClassPath}. It lives in main code,
 * not among the tests, because the averaging benchmark (module {@code bench}) runs training on it too.
 */
public final class StandaloneCluster implements AutoCloseable {
    private static final Pattern ALIVE_WORKERS = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");

    private final Process master;
    private final List<Process> workers;
    private final int port;
    private final Path directory;

    private StandaloneCluster(Process master, List<Process> workers, int port, Path directory) {
        this.master = master;
        this.workers = workers;
        this.port = port;
        this.directory = directory;
    }

    /** Starts a master and {@code workers} workers (1 core, 2 GB each) under {@code directory}; waits until all registered. */
    public static StandaloneCluster start(Path directory, int workerCount) throws IOException, InterruptedException {
        return start(directory, workerCount, "2g");
    }

    /**
     * Starts a master and {@code workers} workers of 1 core and {@code workerMemory} each (such as {@code 4g}: what the
     * executor's {@code spark.executor.memory} may take) under {@code directory}; waits until all registered.
     */
    public static StandaloneCluster start(Path directory, int workerCount, String workerMemory) throws IOException, InterruptedException {
        Path sparkHome = Files.createDirectories(directory.resolve("spark-home"));
        Files.createDirectories(sparkHome.resolve("jars")); // the launcher's classpath wants it; the test classpath is added
        int port = freePort();
        int webUiPort = freePort();
        Process master = launch(directory, sparkHome, "master", List.of("org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port", String.valueOf(webUiPort)));
        List<Process> workers = new ArrayList<>();
        StandaloneCluster cluster = new StandaloneCluster(master, workers, port, directory);
        try {
            for (int worker = 0; worker < workerCount; worker++) {
                Path workDirectory = Files.createDirectories(directory.resolve("worker-" + worker));
                workers.add(launch(directory, sparkHome, "worker-" + worker, List.of("org.apache.spark.deploy.worker.Worker",
                        cluster.masterUrl(), "--host", "127.0.0.1", "--cores", "1", "--memory", workerMemory, "--webui-port", "0",
                        "--work-dir", workDirectory.toString())));
            }
            cluster.awaitWorkers(webUiPort, workerCount, Duration.ofSeconds(90));
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException failure) {
            cluster.close();
            throw failure;
        }
    }

    private static Process launch(Path directory, Path sparkHome, String name, List<String> mainAndArguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.addAll(opensFlags());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.addAll(mainAndArguments);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve(name + ".log").toFile());
        Map<String, String> environment = builder.environment();
        environment.put("SPARK_HOME", sparkHome.toString());
        environment.put("SPARK_SCALA_VERSION", scala.util.Properties.versionNumberString().replaceAll("^(\\d+\\.\\d+).*", "$1"));
        environment.remove("SPARK_CONF_DIR");
        return builder.start();
    }

    /**
     * Spark's Java 17 flags as this JVM got them ({@code --add-opens}, {@code --add-exports} and
     * {@code -XX:+IgnoreUnrecognizedVMOptions}, from {@code conf/java17-opens.args} or the build's test settings): the
     * cluster's JVMs and executors need the same.
     */
    public static List<String> opensFlags() {
        List<String> flags = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(argument -> argument.startsWith("--add-opens") || argument.startsWith("--add-exports")
                        || argument.equals("-XX:+IgnoreUnrecognizedVMOptions"))
                .toList();
        if (flags.stream().noneMatch(flag -> flag.startsWith("--add-opens"))) {
            throw new IllegalStateException("this JVM runs without Spark's Java 17 --add-opens flags, so the cluster's JVMs would not"
                    + " get them either: start it with @conf/java17-opens.args");
        }
        return flags;
    }

    private void awaitWorkers(int webUiPort, int count, Duration timeout) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webUiPort + "/json/"))
                .timeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(timeout);
        int alive = 0;
        while (Instant.now().isBefore(deadline)) {
            if (!master.isAlive()) {
                throw new IllegalStateException("the Spark master exited with " + master.exitValue() + ": " + log("master"));
            }
            try {
                Matcher matcher = ALIVE_WORKERS.matcher(client.send(request, HttpResponse.BodyHandlers.ofString()).body());
                alive = matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
                if (alive >= count) {
                    return;
                }
            } catch (IOException notYet) {
                // the master's web UI is not up yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(alive + " of " + count + " Spark workers registered within " + timeout
                + "; worker-0 log: " + log("worker-0"));
    }

    private String log(String name) {
        try {
            return Files.readString(directory.resolve(name + ".log"));
        } catch (IOException exception) {
            return "(no log: " + exception.getMessage() + ")";
        }
    }

    public String masterUrl() {
        return "spark://127.0.0.1:" + port;
    }

    /** The worker JVMs' process ids, in start order. */
    public List<Long> workerPids() {
        return workers.stream().map(Process::pid).toList();
    }

    /** The executor JVMs a worker launched (its child processes), as process ids. */
    public List<Long> executorPids(int worker) {
        return workers.get(worker).descendants().map(ProcessHandle::pid).toList();
    }

    /** Kills a worker JVM and the executors it launched, as if its machine went away. */
    public void killWorker(int worker) {
        Process process = workers.get(worker);
        List<ProcessHandle> executors = process.descendants().toList();
        stop(process.toHandle());
        executors.forEach(StandaloneCluster::stop);
    }

    /**
     * A session on this cluster: one 1-core, 2 GB executor per worker, executors started with Spark's Java 17 flags, this
     * JVM's classpath and the fast ND4J settings ({@link FastRuntimeSettings}: one OpenMP thread per executor core, and
     * jemalloc with decay off when this JVM has it preloaded, as {@code LD_PRELOAD} the executors get through
     * {@code spark.executorEnv.*}), plus the given settings (such as {@code spark.hadoop.*}, which the executors see too).
     * Stop it before another session starts: a JVM holds one Spark context.
     */
    public SparkSession session(String appName, Map<String, String> settings) {
        System.setProperty("org.deeplearning4j.spark.time.TimeSource", "org.deeplearning4j.spark.time.SystemClockTimeSource");
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
        SparkConf conf = new SparkConf(false)
                .setMaster(masterUrl())
                .setAppName(appName)
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.executor.cores", "1")
                .set("spark.executor.memory", "2g") // a parameter-averaging result of Tiny-YOLOv2 (weights and Adam state) is ~190 MB serialized
                .set("spark.cores.max", String.valueOf(workers.size()))
                .set("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .set("spark.executor.extraJavaOptions", String.join(" ", opensFlags()))
                .set("spark.sql.shuffle.partitions", "4")
                .set("spark.sql.session.timeZone", "UTC");
        String preloaded = System.getenv("LD_PRELOAD");
        String mallocConf = System.getenv("MALLOC_CONF");
        boolean jemalloc = preloaded != null && !preloaded.isBlank() && !preloaded.contains(" ") && Nd4jRuntime.mappedJemalloc().isPresent();
        FastRuntimeSettings fast = FastRuntimeSettings.defaults();
        if (jemalloc) {
            fast = new FastRuntimeSettings(0, preloaded, mallocConf == null || mallocConf.isBlank() ? fast.mallocConf() : mallocConf);
        }
        fast.applyTo(conf);
        if (!jemalloc) { // nothing to preload: leave malloc as it is rather than name a library this machine may lack
            fast.environment().keySet().forEach(name -> conf.remove("spark.executorEnv." + name));
        }
        settings.forEach(conf::set);
        return SparkSession.builder().config(conf).getOrCreate();
    }

    private static void stop(ProcessHandle process) {
        process.destroyForcibly();
        try {
            process.onExit().get(20, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (Exception ignored) {
            // it is gone or going; nothing else to do
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException exception) {
            throw new UncheckedIOException(exception);
        }
    }

    /** Stops the workers (with their executors) and the master by PID and waits for them to exit. */
    @Override
    public void close() {
        for (int worker = 0; worker < workers.size(); worker++) {
            killWorker(worker);
        }
        stop(master.toHandle());
    }
}
