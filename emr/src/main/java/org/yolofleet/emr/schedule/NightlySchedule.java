package org.yolofleet.emr.schedule;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.emr.cluster.SdkJson;
import org.yolofleet.emr.config.LauncherConfig;
import org.yolofleet.emr.config.ScheduleSettings;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.emr.model.RunJobFlowRequest;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.ConflictException;
import software.amazon.awssdk.services.scheduler.model.CreateScheduleRequest;
import software.amazon.awssdk.services.scheduler.model.DeadLetterConfig;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindow;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindowMode;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;
import software.amazon.awssdk.services.scheduler.model.RetryPolicy;
import software.amazon.awssdk.services.scheduler.model.ScheduleSummary;
import software.amazon.awssdk.services.scheduler.model.Target;
import software.amazon.awssdk.services.scheduler.model.UpdateScheduleRequest;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The nightly EventBridge Scheduler schedule: a cron in a time zone whose target is the universal target
 * {@value #RUN_JOB_FLOW_TARGET}, its input the night's RunJobFlow request as EMR's API JSON. Creating it again updates
 * it, so {@code schedule} after a new deploy points the nights at the new version.
 */
public final class NightlySchedule {
    /** EventBridge Scheduler's universal target for EMR's RunJobFlow. */
    public static final String RUN_JOB_FLOW_TARGET = "arn:aws:scheduler:::aws-sdk:emr:runJobFlow";

    private final SchedulerClient scheduler;

    public NightlySchedule(SchedulerClient scheduler) {
        this.scheduler = requireNonNull(scheduler, "scheduler");
    }

    /** The schedule's target: the universal RunJobFlow target with {@code request} as its input. */
    public static Target target(LauncherConfig config, RunJobFlowRequest request) {
        ScheduleSettings settings = config.schedule();
        Target.Builder target = Target.builder()
                .arn(RUN_JOB_FLOW_TARGET)
                .roleArn(config.roles().schedulerArn())
                .input(SdkJson.write(request))
                .retryPolicy(RetryPolicy.builder()
                        .maximumRetryAttempts(settings.maximumRetryAttempts())
                        .maximumEventAgeInSeconds((int) settings.maximumEventAge().toSeconds())
                        .build());
        if (!settings.deadLetterQueueArn().isEmpty()) {
            target.deadLetterConfig(DeadLetterConfig.builder().arn(settings.deadLetterQueueArn()).build());
        }
        return target.build();
    }

    /** Creates the schedule, or updates it when it exists; returns its ARN. */
    public String put(LauncherConfig config, RunJobFlowRequest request) {
        ScheduleSettings settings = config.schedule();
        FlexibleTimeWindow window = settings.flexibleWindow().isZero()
                ? FlexibleTimeWindow.builder().mode(FlexibleTimeWindowMode.OFF).build()
                : FlexibleTimeWindow.builder().mode(FlexibleTimeWindowMode.FLEXIBLE)
                        .maximumWindowInMinutes((int) Math.max(1, settings.flexibleWindow().toMinutes())).build();
        String description = "yolofleet nightly: RunJobFlow " + request.name() + " (" + request.releaseLabel() + ")";
        try {
            try {
                return scheduler.createSchedule(CreateScheduleRequest.builder()
                        .name(settings.name()).groupName(settings.group()).description(description)
                        .scheduleExpression(settings.cron()).scheduleExpressionTimezone(settings.timeZone())
                        .flexibleTimeWindow(window).target(target(config, request)).state("ENABLED")
                        .build()).scheduleArn();
            } catch (ConflictException exists) {
                return scheduler.updateSchedule(UpdateScheduleRequest.builder()
                        .name(settings.name()).groupName(settings.group()).description(description)
                        .scheduleExpression(settings.cron()).scheduleExpressionTimezone(settings.timeZone())
                        .flexibleTimeWindow(window).target(target(config, request)).state("ENABLED")
                        .build()).scheduleArn();
            }
        } catch (SdkException e) {
            boolean refused = e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException service && service.statusCode() >= 400
                    && service.statusCode() < 500 && !service.isThrottlingException();
            throw new YoloFleetException(refused ? ErrorCode.CONFIG : ErrorCode.IO, "schedule: EventBridge Scheduler refused " + settings.group()
                    + "/" + settings.name() + ": " + e.getMessage() + (refused ? " (check roles.scheduler, schedule.* and that your credentials "
                    + "may scheduler:CreateSchedule and iam:PassRole the scheduler role)" : " (rerunning may succeed)"), e);
        }
    }

    /** Deletes the schedule; false when there was none. */
    public boolean delete(ScheduleSettings settings) {
        try {
            scheduler.deleteSchedule(request -> request.name(settings.name()).groupName(settings.group()));
            return true;
        } catch (ResourceNotFoundException e) {
            return false;
        } catch (SdkException e) {
            throw new YoloFleetException(ErrorCode.IO, "unschedule: cannot delete " + settings.group() + "/" + settings.name() + ": " + e.getMessage());
        }
    }

    /** The schedules of a group whose name starts with {@code namePrefix}. */
    public List<ScheduleSummary> list(String group, String namePrefix) {
        List<ScheduleSummary> schedules = new ArrayList<>();
        try {
            scheduler.listSchedulesPaginator(request -> request.groupName(group).namePrefix(namePrefix)).schedules().forEach(schedules::add);
        } catch (SdkException e) {
            throw new YoloFleetException(ErrorCode.IO, "schedules: cannot list group " + group + ": " + e.getMessage());
        }
        return schedules;
    }
}
