package org.yolofleet.config;

import com.typesafe.config.ConfigValueFactory;

import java.util.List;

/** Renders command-line values as HOCON so they can join the overrides. */
public final class Hocon {
    private Hocon() {
    }

    public static String string(String value) {
        return ConfigValueFactory.fromAnyRef(value).render();
    }

    public static String list(List<String> values) {
        return ConfigValueFactory.fromIterable(values).render();
    }
}
