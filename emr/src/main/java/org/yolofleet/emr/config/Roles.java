package org.yolofleet.emr.config;

import com.typesafe.config.Config;

import java.util.Set;

/**
 * The IAM roles a night uses: EMR's service role, the nodes' instance profile (the EMR job role) and the role
 * EventBridge Scheduler assumes; with the ARNs of the two EMR roles, the only ones the scheduler role may pass.
 */
public record Roles(String service, String jobInstanceProfile, String schedulerArn, String serviceArn, String jobArn) {

    private static final String ROLE_ARN = "arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+";

    static Roles from(Config config) {
        LauncherConfig.refuseUnknown(config, "roles.", Set.of("service", "job-instance-profile", "scheduler", "service-arn", "job-arn"));
        for (String key : new String[] {"scheduler", "service-arn", "job-arn"}) {
            String arn = config.getString(key);
            if (!arn.matches(ROLE_ARN)) {
                throw LauncherConfig.invalid("roles." + key, arn, "an IAM role ARN, arn:aws:iam::<12-digit account>:role/<name>");
            }
        }
        return new Roles(LauncherConfig.nonEmpty(config, "service"), LauncherConfig.nonEmpty(config, "job-instance-profile"),
                config.getString("scheduler"), config.getString("service-arn"), config.getString("job-arn"));
    }
}
