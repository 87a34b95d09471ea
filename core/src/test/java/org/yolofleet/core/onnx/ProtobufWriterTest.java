package org.yolofleet.core.onnx;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Encodings checked by hand against the protobuf encoding guide (protobuf.dev/programming-guides/encoding). */
class ProtobufWriterTest {
    @Test
    void varintsTakeSevenBitsPerByteLeastSignificantFirst() {
        assertThat(encode(writer -> writer.writeInt64(1, 1))).isEqualTo("0801");
        // the guide's example: field 1 = 150
        assertThat(encode(writer -> writer.writeInt64(1, 150))).isEqualTo("089601");
        assertThat(encode(writer -> writer.writeInt64(1, 0))).isEqualTo("0800");
        // a negative int64 is its two's complement: ten bytes
        assertThat(encode(writer -> writer.writeInt64(1, -1))).isEqualTo("08ffffffffffffffffff01");
    }

    @Test
    void fieldNumbersAbove15TakeTwoTagBytes() {
        // AttributeProto.type = 20: tag (20 << 3) | 0 = 160 = a0 01
        assertThat(encode(writer -> writer.writeInt64(20, 7))).isEqualTo("a00107");
    }

    @Test
    void floatsAreFourLittleEndianBytes() {
        assertThat(encode(writer -> writer.writeFloat(2, 1.0f))).isEqualTo("150000803f");
        assertThat(encode(writer -> writer.writeFloat(2, 0.1f))).isEqualTo("15cdcccc3d");
    }

    @Test
    void stringsAndBytesAreLengthDelimited() {
        // the guide's example: field 2 = "testing"
        assertThat(encode(writer -> writer.writeString(2, "testing"))).isEqualTo("120774657374696e67");
        assertThat(encode(writer -> writer.writeString(2, ""))).isEqualTo("1200");
        assertThat(encode(writer -> writer.writeString(1, "é"))).isEqualTo("0a02c3a9");
        assertThat(encode(writer -> writer.writeBytes(9, new byte[] {1, 2}))).isEqualTo("4a020102");
    }

    @Test
    void embeddedMessagesArePrefixedWithTheirLength() {
        // the guide's example: field 3 = a message whose field 1 = 150
        assertThat(encode(writer -> writer.writeMessage(3, inner -> inner.writeInt64(1, 150)))).isEqualTo("1a03089601");
        assertThat(encode(writer -> writer.writeMessage(3, inner -> inner.writeMessage(1, innermost -> innermost.writeInt64(1, 150)))))
                .isEqualTo("1a050a03089601");
    }

    @Test
    void repeatedFieldsNotMarkedPackedRepeatTheTag() {
        assertThat(encode(writer -> writer.writeRepeatedInt64(1, List.of(1L, 300L)))).isEqualTo("080108ac02");
        assertThat(encode(writer -> writer.writeRepeatedInt64(1, List.of()))).isEmpty();
    }

    @Test
    void lengthPrefixesLongerThan127TakeTwoBytes() {
        byte[] bytes = ProtobufWriter.serialize(writer -> writer.writeBytes(9, new byte[200]));
        assertThat(HexFormat.of().formatHex(bytes, 0, 3)).isEqualTo("4ac801");
        assertThat(bytes).hasSize(3 + 200);
        assertThat(ProtobufWriter.sizeOf(writer -> writer.writeBytes(9, new byte[200]))).isEqualTo(203);
    }

    @Test
    void rejectsFieldNumbersOutsideTheProtobufRange() {
        assertThatThrownBy(() -> encode(writer -> writer.writeInt64(0, 1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> encode(writer -> writer.writeInt64(1 << 29, 1))).isInstanceOf(IllegalArgumentException.class);
    }

    private static String encode(ProtobufMessage message) {
        return HexFormat.of().formatHex(ProtobufWriter.serialize(message));
    }
}
