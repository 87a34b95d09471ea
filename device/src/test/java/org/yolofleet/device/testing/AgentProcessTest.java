package org.yolofleet.device.testing;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The kill-anywhere harness on a stand-in main class: kill on a log line, kill after a delay, a normal exit. */
class AgentProcessTest {
    /** Prints its heap limit and its arguments' steps, one line each, then sleeps for the last argument's seconds and exits with 3. */
    public static final class StandIn {
        public static void main(String[] arguments) throws InterruptedException {
            System.err.println("heap " + Runtime.getRuntime().maxMemory());
            System.err.flush();
            for (int index = 0; index < arguments.length - 1; index++) {
                System.out.println("step " + arguments[index]);
                System.out.flush();
            }
            Thread.sleep(Long.parseLong(arguments[arguments.length - 1]) * 1000);
            System.exit(3);
        }
    }

    @Test
    void killsOnTheAwaitedLineAndReturnsTheOutputSoFar() throws IOException, InterruptedException {
        AgentProcess process = AgentProcess.start(StandIn.class.getName(), List.of("download", "verify", "600"), Map.of());

        AgentProcess.Result result = process.killWhen(line -> line.equals("step verify"), Duration.ofSeconds(60));

        assertThat(result.killed()).isTrue();
        assertThat(result.exitCode()).isNotIn(0, 3);
        assertThat(result.output()).contains("step download", "step verify");
        assertThat(result.command()).contains("-Xmx64m", StandIn.class.getName());
        long heap = Long.parseLong(result.output().stream().filter(line -> line.startsWith("heap ")).findFirst().orElseThrow().substring(5));
        assertThat(heap).isLessThanOrEqualTo(64L * 1024 * 1024);
    }

    @Test
    void processThatExitsIsNotKilled() throws IOException, InterruptedException {
        AgentProcess.Result result = AgentProcess.start(StandIn.class.getName(), List.of("only", "0"), Map.of()).await(Duration.ofSeconds(60));

        assertThat(result.killed()).isFalse();
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.output()).contains("step only");
    }

    @Test
    void killAfterADelayStopsAProcessThatWouldRunOn() throws IOException, InterruptedException {
        AgentProcess.Result result = AgentProcess.start(StandIn.class.getName(), List.of("600"), Map.of()).killAfter(Duration.ofMillis(300));

        assertThat(result.killed()).isTrue();
        assertThat(result.exitCode()).isNotIn(0, 3);
    }
}
