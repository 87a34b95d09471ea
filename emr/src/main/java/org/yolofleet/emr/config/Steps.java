package org.yolofleet.emr.config;

import com.typesafe.config.Config;

import java.util.List;
import java.util.Set;

/**
 * The arguments of the four steps after {@code <verb> --conf emr.conf}, with {@code {run-id}}, {@code {bucket}},
 * {@code {release-store}} and {@code {prefix.NAME}} placeholders, and the spark-submit options every step gets.
 */
public record Steps(List<String> sparkSubmitOptions, List<String> prepare, List<String> augment, List<String> train, List<String> publish) {

    public Steps {
        sparkSubmitOptions = List.copyOf(sparkSubmitOptions);
        prepare = List.copyOf(prepare);
        augment = List.copyOf(augment);
        train = List.copyOf(train);
        publish = List.copyOf(publish);
    }

    static Steps from(Config config) {
        LauncherConfig.refuseUnknown(config, "steps.", Set.of("spark-submit-options", "prepare", "augment", "train", "publish"));
        Steps steps = new Steps(LauncherConfig.strings(config, "spark-submit-options"), LauncherConfig.strings(config, "prepare"),
                LauncherConfig.strings(config, "augment"), LauncherConfig.strings(config, "train"), LauncherConfig.strings(config, "publish"));
        for (String option : steps.sparkSubmitOptions) {
            if (option.equals("--deploy-mode") || option.equals("--class") || option.equals("--files")) {
                throw LauncherConfig.invalid("steps.spark-submit-options", option, "options other than --deploy-mode, --class and --files "
                        + "(the launcher sets them)");
            }
        }
        return steps;
    }
}
