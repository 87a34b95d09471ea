package org.yolofleet.ml;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;

/** The README's example of {@link YoloDetector} in a user's own Spark ML pipeline, compiled and run by {@link UserPipelineExampleTest}. */
public final class UserPipelineExample {
    private UserPipelineExample() {}

    // README begin
    /** Objects per photo and class, by a pipeline that is saved and loaded again on the way. */
    public static Dataset<Row> objectsPerClass(SparkSession spark, String model, String photos, String pipelineUri) throws IOException {
        Dataset<Row> files = spark.read().format("binaryFile").load(photos);            // path, ..., content
        YoloDetector detector = new YoloDetector().setModelUri(model).setInputCol("content").setThreshold(0.3);
        SQLTransformer perClass = new SQLTransformer().setStatement("SELECT path, d.className, count(*) AS objects"
                + " FROM __THIS__ LATERAL VIEW explode(detections) found AS d GROUP BY path, d.className");
        PipelineModel pipeline = new Pipeline().setStages(new PipelineStage[] {detector, perClass}).fit(files);
        pipeline.write().overwrite().save(pipelineUri);                                 // params only: the model stays at its URI
        return PipelineModel.load(pipelineUri).transform(files);
    }
    // README end
}
