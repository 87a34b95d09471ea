package org.yolofleet.publish.store;

import org.junit.jupiter.api.Test;
import org.yolofleet.config.ConfigLoader;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReleaseStoreOptionsTest {
    @Test
    void readsTheDefaultsAndOverrides() {
        assertThat(ReleaseStoreOptions.from(ConfigLoader.load(Optional.empty(), List.of())))
                .isEqualTo(ReleaseStoreOptions.DEFAULTS);
        ReleaseStoreOptions options = ReleaseStoreOptions.from(ConfigLoader.load(Optional.empty(),
                List.of("publish.store.conditional-writes=required", "publish.store.max-attempts=2")));
        assertThat(options.conditionalWrites()).isEqualTo(ConditionalWrites.REQUIRED);
        assertThat(options.maxAttempts()).isEqualTo(2);
    }

    @Test
    void refusesUnknownModesAndAttempts() {
        assertThatThrownBy(() -> ReleaseStoreOptions.from(ConfigLoader.load(Optional.empty(), List.of("publish.store.conditional-writes=always"))))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.CONFIG))
                .hasMessageContaining("yolofleet.publish.store.conditional-writes").hasMessageContaining("auto, required, off");
        assertThatThrownBy(() -> ReleaseStoreOptions.from(ConfigLoader.load(Optional.empty(), List.of("publish.store.max-attempts=0"))))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.CONFIG));
    }

    @Test
    void opensTheStoreItsSchemeNames() {
        var configuration = new org.apache.hadoop.conf.Configuration(false);
        assertThat(ReleaseStores.open(java.net.URI.create("file:/tmp/yolofleet-releases"), configuration)).isInstanceOf(LocalReleaseStore.class);
        assertThatThrownBy(() -> ReleaseStores.open(java.net.URI.create("gs://bucket/releases"), configuration))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.CONFIG));
    }
}
