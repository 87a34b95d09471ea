package org.yolofleet.jobs;

import com.typesafe.config.ConfigValueFactory;

import java.util.List;

/** Renders command-line values as HOCON so they can join the overrides. */
final class Hocon {
    private Hocon() {
    }

    static String string(String value) {
        return ConfigValueFactory.fromAnyRef(value).render();
    }

    static String list(List<String> values) {
        return ConfigValueFactory.fromIterable(values).render();
    }
}
