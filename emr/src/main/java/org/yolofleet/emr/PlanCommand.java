package org.yolofleet.emr;

import org.yolofleet.emr.config.LauncherConfig;
import org.yolofleet.emr.plan.NightCost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code plan}: what a night costs. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Print what a night costs.",
                "Print what a night costs on the cluster template: training time from the images, epochs and the core",
                "fleet's vCPUs at the measured per-core rate (the line plan.images-per-second-per-core = R in the file",
                "plan.measured-rate names, bench/results/averaging.txt, written by bench/run averaging) or at",
                "plan.images-per-second-per-core when the configuration sets it (an override), plus plan.fixed-overhead,",
                "priced per fleet with prices.*. Prints which rate it used.",
                "Calls no AWS API."})
final class PlanCommand implements Runnable {
    @Mixin
    LauncherOptions options;

    @Spec
    CommandSpec spec;

    @Option(names = "--images", paramLabel = "N", required = true,
            description = "training samples per epoch (train images x augment copies; shards.json counts them)")
    long images;

    @Option(names = "--epochs", paramLabel = "N", required = true, description = "epochs a night trains (yolofleet.train.epochs)")
    int epochs;

    @Override
    public void run() {
        LauncherConfig config = options.config();
        NightCost.estimate(config, images, epochs).lines(config).forEach(spec.commandLine().getOut()::println);
    }
}
