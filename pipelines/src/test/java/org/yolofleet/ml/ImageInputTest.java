package org.yolofleet.ml;

import org.apache.spark.ml.image.ImageSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The input columns the detector takes are told apart by type, and anything else is refused naming the column. */
class ImageInputTest {
    @Test
    void sparkImageSchemaAndBinaryColumnsAreAccepted() {
        assertThat(ImageInput.of(ImageSchema.imageSchema(), "image")).isEqualTo(ImageInput.SPARK_IMAGE);
        StructType binaryFile = new StructType().add("path", DataTypes.StringType).add("content", DataTypes.BinaryType);
        assertThat(ImageInput.of(binaryFile, "content")).isEqualTo(ImageInput.BINARY);
    }

    @Test
    void otherTypesAndStructsLackingAFieldAreRefusedNamingTheColumn() {
        StructType images = new StructType().add("photo", new StructType().add("height", DataTypes.IntegerType)
                .add("width", DataTypes.IntegerType).add("data", DataTypes.BinaryType));

        assertThatThrownBy(() -> ImageInput.of(images, "photo"))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.CONFIG))
                .hasMessageContaining("inputCol 'photo' has type struct<height:int,width:int,data:binary>")
                .hasMessageContaining(ImageInput.ACCEPTED);
        assertThatThrownBy(() -> ImageInput.of(images, "image"))
                .hasMessageContaining("inputCol 'image' is not a column of the input; its columns: photo");
    }
}
