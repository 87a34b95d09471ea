package org.yolofleet.config;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KnownKeysTest {
    private static final KnownKeys DEFAULTS = KnownKeys.of(ConfigLoader.defaults());

    @Test
    void openMapsAreTheEmptyObjectsOfDefaultsConf() {
        assertThat(DEFAULTS.openMaps()).containsExactlyInAnyOrder("yolofleet.aliases", "yolofleet.spark.settings");
        assertThat(DEFAULTS.isValue("yolofleet.train.optimizer.learning-rate")).isTrue();
        assertThat(DEFAULTS.isSection("yolofleet.train.optimizer")).isTrue();
        assertThat(DEFAULTS.isValue("yolofleet.train.optimizer")).isFalse();
    }

    @Test
    void quotedKeysKeepTheirQuotes() {
        KnownKeys keys = KnownKeys.of(ConfigFactory.parseString("a { \"b.c\" = 1, d {} }"));
        assertThat(keys.isValue("a.\"b.c\"")).isTrue();
        assertThat(keys.isOpenMap("a.d")).isTrue();
        assertThat(keys.children("a")).containsExactly("a.\"b.c\"", "a.d");
    }

    @Test
    void suggestsTheClosestKeysOrTheSameNameInAnotherSection() {
        assertThat(DEFAULTS.closest("yolofleet.train.epoch")).containsExactly("yolofleet.train.epochs");
        assertThat(DEFAULTS.closest("yolofleet.spark.setting")).containsExactly("yolofleet.spark.settings");
        assertThat(DEFAULTS.closest("yolofleet.train.learning-rate")).containsExactly("yolofleet.train.optimizer.learning-rate");
        assertThat(DEFAULTS.closest("yolofleet.prepare.outptu")).containsExactly("yolofleet.prepare.output");
        assertThat(DEFAULTS.closest("yolofleet.train.threshold"))
                .containsExactly("yolofleet.detect.threshold", "yolofleet.train.validation.threshold",
                        "yolofleet.train.master.shared.threshold");
        assertThat(DEFAULTS.closest("yolofleet.colour-space")).isEmpty();
    }
}
