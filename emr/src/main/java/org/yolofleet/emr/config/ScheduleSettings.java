package org.yolofleet.emr.config;

import com.typesafe.config.Config;

import java.time.Duration;
import java.time.ZoneId;
import java.time.DateTimeException;
import java.util.Set;

/** The nightly EventBridge Scheduler schedule: when, in which time zone, how flexibly, and what happens on failure. */
public record ScheduleSettings(String name, String group, String cron, String timeZone, Duration flexibleWindow,
                               int maximumRetryAttempts, Duration maximumEventAge, String deadLetterQueueArn) {

    static ScheduleSettings from(Config config) {
        LauncherConfig.refuseUnknown(config, "schedule.", Set.of("name", "group", "cron", "time-zone", "flexible-window", "retry",
                "dead-letter-queue-arn"));
        String cron = config.getString("cron");
        if (!cron.matches("cron\\(\\S+ \\S+ \\S+ \\S+ \\S+ \\S+\\)")) {
            throw LauncherConfig.invalid("schedule.cron", cron, "cron(minutes hours day-of-month month day-of-week year), e.g. cron(0 2 * * ? *)");
        }
        String zone = config.getString("time-zone");
        try {
            ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw LauncherConfig.invalid("schedule.time-zone", zone, "an IANA time zone such as Europe/Berlin or UTC");
        }
        Config retry = config.getConfig("retry");
        LauncherConfig.refuseUnknown(retry, "schedule.retry.", Set.of("maximum-attempts", "maximum-event-age"));
        int attempts = retry.getInt("maximum-attempts");
        if (attempts < 0 || attempts > 185) {
            throw LauncherConfig.invalid("schedule.retry.maximum-attempts", attempts, "0 to 185");
        }
        String deadLetter = config.getString("dead-letter-queue-arn");
        if (!deadLetter.isEmpty() && !deadLetter.matches("arn:aws[a-z-]*:sqs:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]+")) {
            throw LauncherConfig.invalid("schedule.dead-letter-queue-arn", deadLetter, "an SQS queue ARN or empty");
        }
        return new ScheduleSettings(LauncherConfig.nonEmpty(config, "name"), LauncherConfig.nonEmpty(config, "group"), cron, zone,
                LauncherConfig.duration(config, "flexible-window", "schedule.", Duration.ZERO, Duration.ofHours(24)), attempts,
                LauncherConfig.duration(retry, "maximum-event-age", "schedule.retry.", Duration.ofMinutes(1), Duration.ofHours(24)), deadLetter);
    }
}
