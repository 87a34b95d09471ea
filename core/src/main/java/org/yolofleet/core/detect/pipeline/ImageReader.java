package org.yolofleet.core.detect.pipeline;

import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.image.RgbImage;

/**
 * Reads and decodes one input of a {@link DetectPipeline} (a file, a Hadoop URI), on one of the pipeline's decode
 * threads, so it must be safe to call from several threads at once. A {@link YoloFleetException} skips that image
 * (reported in order as {@link DetectOutcome.Skipped}); any other exception ends the run.
 *
 * @param <T> what names an image
 */
@FunctionalInterface
public interface ImageReader<T> {
    RgbImage read(T item);
}
