package org.yolofleet.ml.eval;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.eval.Prediction;
import org.yolofleet.testing.LocalSpark;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DetectionFrameTest {
    @Test
    void castsOtherNumericTypesAndIgnoresOtherColumns() {
        SparkSession spark = LocalSpark.session();
        StructType schema = new StructType()
                .add("source", DataTypes.StringType)
                .add(DetectionFrame.IMAGE_ID, DataTypes.StringType)
                .add(DetectionFrame.CLASS_ID, DataTypes.LongType)
                .add(DetectionFrame.SCORE, DataTypes.FloatType)
                .add(DetectionFrame.XMIN, DataTypes.IntegerType)
                .add(DetectionFrame.YMIN, DataTypes.IntegerType)
                .add(DetectionFrame.XMAX, DataTypes.DoubleType)
                .add(DetectionFrame.YMAX, DataTypes.DoubleType);
        Dataset<Row> frame = spark.createDataFrame(List.of(RowFactory.create("s3a://bucket/x", "a", 2L, 0.5f, 1, 2, 3.5, 4.5)), schema);

        Dataset<Row> normalised = DetectionFrame.normalise(frame);

        assertThat(normalised.schema().fieldNames()).containsExactly(DetectionFrame.SCHEMA.fieldNames());
        assertThat(DetectionFrame.prediction(normalised.first())).isEqualTo(new Prediction("a", new Detection(2, 0.5, new BoundingBox(1, 2, 3.5, 4.5))));
    }

    @Test
    void refusesAColumnOfTheWrongKind() {
        SparkSession spark = LocalSpark.session();
        Dataset<Row> frame = DetectionFrame.of(spark, List.of()).withColumn(DetectionFrame.SCORE, org.apache.spark.sql.functions.lit("high"));

        assertThatThrownBy(() -> DetectionFrame.normalise(frame))
                .isInstanceOf(YoloFleetException.class)
                .hasMessageContaining("column 'score' must be numeric, got string");
    }
}
