package org.yolofleet.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * How far an unfinished epoch got when its mid-epoch checkpoint was written ({@code checkpoints/progress/progress.json}):
 * a resumed run loads that checkpoint's model and goes on with the epoch's next minibatch (the epoch's order is a
 * shuffle seeded by (seed, epoch), so it is the same order), its loss sum and timings continued.
 *
 * @param epoch        the unfinished epoch
 * @param batchesDone  minibatches of the epoch's order already trained
 * @param iteration    the schedule's position (iterations of one worker) after them
 * @param lossSum      the sum of the epoch's averaging-round losses so far
 * @param rounds       the epoch's averaging rounds so far
 * @param images       training images of the epoch so far
 * @param trainSeconds training time of the epoch so far
 */
public record EpochProgress(int epoch, int batchesDone, long iteration, double lossSum, int rounds, long images, double trainSeconds) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public EpochProgress {
        if (epoch < 1 || batchesDone < 0 || iteration < 0 || rounds < 0 || images < 0 || trainSeconds < 0) {
            throw new IllegalArgumentException("epoch must be positive and the counts not negative");
        }
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsString(this).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException exception) {
            throw new YoloFleetException(ErrorCode.INTERNAL, "cannot write progress.json: " + exception.getMessage(), exception);
        }
    }

    public static EpochProgress fromJson(byte[] json) {
        try {
            return JSON.readValue(json, EpochProgress.class);
        } catch (IOException exception) {
            throw new YoloFleetException(ErrorCode.IO, "cannot read progress.json: " + exception.getMessage(), exception);
        }
    }
}
