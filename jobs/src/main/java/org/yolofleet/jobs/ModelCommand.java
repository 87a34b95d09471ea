package org.yolofleet.jobs;

import org.yolofleet.core.darknet.DarknetCfgReader;
import org.yolofleet.core.darknet.DarknetCfgWriter;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.ModelSummary;
import org.yolofleet.core.model.TinyYoloV2;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code yolofleet model}: prints the model summary of a Darknet cfg or of the built-in Tiny-YOLOv2, and writes cfgs. */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = {"Print a network's layers, output shapes, parameters and FLOPs: a Darknet .cfg (--cfg) or the built-in",
                "yolov2-tiny-voc with --classes/--size; --write-cfg saves the network as a Darknet .cfg."})
public final class ModelCommand implements Callable<Integer> {
    @Option(names = "--cfg", paramLabel = "FILE", description = "a Darknet .cfg (yolov2-tiny-voc.cfg, yolov2-tiny.cfg keys)")
    Path cfg;

    @Option(names = "--classes", paramLabel = "N", description = "classes of the built-in network (default: its 20 VOC classes)")
    Integer classes;

    @Option(names = "--size", paramLabel = "PIXELS", description = "square input size, a multiple of 32 (default: 416)")
    Integer size;

    @Option(names = "--write-cfg", paramLabel = "FILE", description = "also write the network as a Darknet .cfg")
    Path writeCfg;

    @Override
    public Integer call() {
        ModelSpec spec = cfg != null ? DarknetCfgReader.read(cfg) : TinyYoloV2.voc();
        if (classes != null) {
            spec = spec.withClasses(classes);
        }
        if (size != null) {
            spec = spec.withInputSize(size, size);
        }
        System.out.print(ModelSummary.of(spec).toTable());
        if (writeCfg != null) {
            DarknetCfgWriter.write(spec, writeCfg);
            System.out.println("written: " + writeCfg.toAbsolutePath());
        }
        return 0;
    }
}
