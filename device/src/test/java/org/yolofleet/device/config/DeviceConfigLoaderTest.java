package org.yolofleet.device.config;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceConfigLoaderTest {
    private static final String MINIMAL = "device { store = \"s3://fleet-releases/prod\", model = voc-tiny, trusted-keys = [keys/publisher.pem] }";

    @TempDir
    Path directory;

    @Test
    void aMinimalFileGetsTheDocumentedDefaults() {
        DeviceConfig config = load(MINIMAL);

        assertThat(config.store().scheme()).isEqualTo(StoreLocation.Scheme.S3);
        assertThat(config.store().bucket()).isEqualTo("fleet-releases");
        assertThat(config.store().prefix()).isEqualTo("prod");
        assertThat(config.channel()).isEqualTo("stable");
        assertThat(config.profile()).isEqualTo(Profile.CPU);
        assertThat(config.trustedKeys()).containsExactly(directory.resolve("keys/publisher.pem"));
        assertThat(config.installDirectory()).isEqualTo(Path.of("/var/lib/yolofleet-agent"));
        assertThat(config.keepReleases()).isEqualTo(3);
        assertThat(config.postSwitchCommand()).isEmpty();
        assertThat(config.healthCheckTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(config.poll().interval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.bandwidthCap()).isZero();
        assertThat(config.retry().attempts()).isEqualTo(6);
        assertThat(config.s3().endpoint()).isEmpty();
    }

    @Test
    void readsEverySetting() {
        DeviceConfig config = load("device { store = \"file:releases\", model = m, channel = canary, profile = ncs2,"
                + " trusted-keys = [/etc/a.pem, /etc/b.pem], install-dir = inst, keep-releases = 5, post-switch-command = \"systemctl restart d\","
                + " health-check { command = \"/usr/bin/check\", timeout = 7s }, poll { interval = 10m, jitter = 2m }, bandwidth-cap = 100000,"
                + " retry { attempts = 2, initial-backoff = 2s, max-backoff = 4s }, s3 { region = eu-west-1, endpoint = \"http://minio:9000\", path-style = true } }");

        assertThat(config.store().directory()).isEqualTo(directory.resolve("releases"));
        assertThat(config.profile()).isEqualTo(Profile.NCS2);
        assertThat(config.trustedKeys()).containsExactly(Path.of("/etc/a.pem"), Path.of("/etc/b.pem"));
        assertThat(config.installDirectory()).isEqualTo(directory.resolve("inst"));
        assertThat(config.keepReleases()).isEqualTo(5);
        assertThat(config.postSwitchCommand()).contains("systemctl restart d");
        assertThat(config.healthCheckCommand()).contains("/usr/bin/check");
        assertThat(config.healthCheckTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(config.poll().jitter()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.bandwidthCap()).isEqualTo(100000);
        assertThat(config.retry().maxBackoff()).isEqualTo(Duration.ofSeconds(4));
        assertThat(config.s3()).isEqualTo(new DeviceConfig.S3Settings(Optional.of("eu-west-1"), Optional.of("http://minio:9000"), true));
    }

    @Test
    void anUnknownKeyIsRefusedWithTheClosestKnownOne() {
        assertConfigError(MINIMAL + "\ndevice.keep-release = 4", "unknown key 'device.keep-release'", "device.keep-releases");
        assertConfigError(MINIMAL + "\ndevice.health-check.timout = 4s", "device.health-check.timeout");
        assertConfigError(MINIMAL + "\nother { x = 1 }", "unknown key 'other.x'");
    }

    @Test
    void wrongValuesAreRefusedNamingTheKeyAndWhatIsAllowed() {
        assertConfigError(MINIMAL + "\ndevice.profile = gpu", "device.profile", "gpu", "ncs, ncs2, oak, cpu");
        assertConfigError(MINIMAL + "\ndevice.keep-releases = 0", "device.keep-releases", "at least 1");
        assertConfigError(MINIMAL + "\ndevice.keep-releases = many", "device.keep-releases", "an integer");
        assertConfigError(MINIMAL + "\ndevice.poll.interval = soon", "device.poll.interval", "duration");
        assertConfigError(MINIMAL + "\ndevice.store = \"ftp://host/x\"", "device.store", "unknown scheme 'ftp'");
        assertConfigError(MINIMAL + "\ndevice.model = \"../etc\"", "device.model", "letters, digits");
        assertConfigError(MINIMAL + "\ndevice.retry { initial-backoff = 10s, max-backoff = 1s }", "device.retry.max-backoff");
        assertConfigError(MINIMAL + "\ndevice.s3 = 3", "device.s3");
    }

    @Test
    void requiredValuesMustBeSet() {
        assertConfigError("device { model = m, trusted-keys = [a.pem] }", "device.store", "required");
        assertConfigError("device { store = \"s3://b\", trusted-keys = [a.pem] }", "device.model", "required");
        assertConfigError("device { store = \"s3://b\", model = m }", "device.trusted-keys", "at least one");
    }

    @Test
    void loadsAFileAndResolvesPathsAgainstItsDirectory() throws Exception {
        Path conf = directory.resolve("etc/device.conf");
        Files.createDirectories(conf.getParent());
        Files.writeString(conf, MINIMAL);

        assertThat(DeviceConfigLoader.load(conf).trustedKeys()).containsExactly(directory.resolve("etc/keys/publisher.pem"));
        assertThatThrownBy(() -> DeviceConfigLoader.load(directory.resolve("missing.conf"))).isInstanceOfSatisfying(YoloFleetException.class,
                failure -> assertThat(failure.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void everyDefaultKeyIsDocumentedByAComment() throws Exception {
        String defaults = new String(DeviceConfigLoader.class.getClassLoader().getResourceAsStream(DeviceConfigLoader.DEFAULTS).readAllBytes());
        String[] lines = defaults.split("\n");
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].strip();
            boolean setting = line.matches("[a-z-]+ = .*");
            if (setting) {
                assertThat(lines[i - 1].strip()).as("the line before '%s'", line).startsWith("#");
            }
        }
    }

    private DeviceConfig load(String text) {
        return DeviceConfigLoader.of(ConfigFactory.parseString(text), directory);
    }

    private void assertConfigError(String text, String... fragments) {
        assertThatThrownBy(() -> load(text)).isInstanceOfSatisfying(YoloFleetException.class, failure -> {
            assertThat(failure.code()).isEqualTo(ErrorCode.CONFIG);
            assertThat(failure.getMessage()).contains(fragments);
        });
    }
}
