package org.yolofleet.stage;

import java.util.Locale;

/** The two splits of a prepared dataset; the Parquet partition column uses {@link #directoryName()}. */
public enum Split {
    TRAIN,
    VAL;

    public String directoryName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
