package org.yolofleet.prepare;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.spark.HadoopFiles;
import org.yolofleet.stage.Split;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Lists the annotation and image files of every configured VOC root (one listing call per directory). */
public final class VocSourceLister {
    private VocSourceLister() {
    }

    public static List<VocSource> list(PrepareConfig config, Configuration hadoop) {
        List<VocSource> sources = new ArrayList<>();
        for (int index = 0; index < config.inputs().size(); index++) {
            String root = config.inputs().get(index).replaceAll("/+$", "");
            FileSystem fileSystem = HadoopFiles.fileSystem(root, hadoop);
            List<String> annotations = HadoopFiles.listFileNames(fileSystem, new Path(root, VocSource.ANNOTATIONS)).stream()
                    .filter(name -> name.toLowerCase(Locale.ROOT).endsWith(".xml"))
                    .toList();
            List<String> images = HadoopFiles.listFileNames(fileSystem, new Path(root, VocSource.IMAGES));
            if (annotations.isEmpty() && images.isEmpty()) {
                throw new YoloFleetException(ErrorCode.CONFIG, "yolofleet.prepare.inputs: " + root
                        + " holds neither Annotations/*.xml nor JPEGImages/: is it a VOC root?");
            }
            Map<String, Split> imageSets = config.split().mode() == PrepareConfig.SplitMode.IMAGESETS
                    ? readImageSets(fileSystem, root, config.split())
                    : Map.of();
            sources.add(new VocSource(index, config.sourceNames().get(index), root, annotations, images, imageSets));
        }
        return List.copyOf(sources);
    }

    private static Map<String, Split> readImageSets(FileSystem fileSystem, String root, PrepareConfig.SplitPolicy policy) {
        Map<String, Split> result = new HashMap<>();
        readList(fileSystem, root, policy.trainList(), Split.TRAIN, result);
        readList(fileSystem, root, policy.valList(), Split.VAL, result);
        return result;
    }

    private static void readList(FileSystem fileSystem, String root, String list, Split split, Map<String, Split> into) {
        Path path = new Path(root, VocSource.IMAGE_SETS + "/" + list + ".txt");
        byte[] content = HadoopFiles.readIfExists(fileSystem, path).orElseThrow(() -> new YoloFleetException(ErrorCode.CONFIG,
                "yolofleet.prepare.split.mode = imagesets but " + path + " does not exist"));
        for (String line : new String(content, StandardCharsets.UTF_8).split("\\R")) {
            String id = line.trim().split("\\s+")[0];
            if (!id.isEmpty()) {
                into.putIfAbsent(id, split); // an id in both lists stays in the first (train), never leaks into val
            }
        }
    }
}
