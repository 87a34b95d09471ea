package org.yolofleet.core.onnx;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The protobuf wire format, as much of it as ONNX files need: varints, 32-bit little-endian floats, length-delimited
 * bytes, strings and embedded messages, and repeated varints.
 *
 * <p>Repeated fields are written the way {@code onnx.proto} declares them: its {@code dims} and {@code ints} are proto2
 * fields without {@code [packed = true]}, so one tagged value per element, as the ONNX project's own serializer writes
 * them. The only packed fields of {@code onnx.proto} ({@code float_data}, {@code int64_data}, ...) are not needed: tensor
 * values go into {@code raw_data}.
 *
 * <p>A message is written twice: once into a writer that only counts bytes, to learn its size, and once into a byte
 * array of exactly that size. Both passes run the same {@link ProtobufMessage#writeTo} code, so the length prefixes
 * cannot disagree with what follows them. Embedded messages are counted again at each level of nesting; that costs a
 * walk over the (few) fields, never a copy of tensor data.
 */
final class ProtobufWriter {
    /** Protobuf's hard limit for one message: 2 GiB minus one byte. */
    static final long MAXIMUM_MESSAGE_BYTES = Integer.MAX_VALUE;

    /** Wire type 0: a varint (int32, int64, uint64, bool, enum). */
    private static final int VARINT = 0;
    /** Wire type 2: a varint length followed by that many bytes (bytes, string, message, packed repeated). */
    private static final int LENGTH_DELIMITED = 2;
    /** Wire type 5: four little-endian bytes (fixed32, float). */
    private static final int FIXED_32 = 5;

    private static final int MAXIMUM_FIELD_NUMBER = (1 << 29) - 1;
    /** The largest array the JVM reliably allocates is a few bytes short of {@link Integer#MAX_VALUE}. */
    private static final long MAXIMUM_ARRAY_BYTES = Integer.MAX_VALUE - 8L;

    /** {@code null} for a writer that only counts. */
    private final byte[] buffer;
    private long position;

    private ProtobufWriter(byte[] buffer) {
        this.buffer = buffer;
    }

    /** The encoded size of a message in bytes, without writing it. */
    static long sizeOf(ProtobufMessage message) {
        ProtobufWriter counter = new ProtobufWriter(null);
        message.writeTo(counter);
        return counter.position;
    }

    /** The message encoded; {@link ErrorCode#BAD_MODEL_SPEC} if it exceeds protobuf's 2 GiB limit. */
    static byte[] serialize(ProtobufMessage message) {
        long size = sizeOf(message);
        if (size > Math.min(MAXIMUM_MESSAGE_BYTES, MAXIMUM_ARRAY_BYTES)) {
            throw new YoloFleetException(ErrorCode.BAD_MODEL_SPEC,
                    "the encoded model takes " + size + " bytes, more than protobuf's limit of 2 GiB for one message");
        }
        ProtobufWriter writer = new ProtobufWriter(new byte[Math.toIntExact(size)]);
        message.writeTo(writer);
        if (writer.position != size) {
            throw new YoloFleetException(ErrorCode.INTERNAL, "protobuf message wrote " + writer.position + " bytes, counted " + size);
        }
        return writer.buffer;
    }

    /** A varint field; negative values take ten bytes, as protobuf encodes a negative int64. */
    void writeInt64(int field, long value) {
        writeTag(field, VARINT);
        writeVarint(value);
    }

    /** A float field (wire type fixed32). */
    void writeFloat(int field, float value) {
        writeTag(field, FIXED_32);
        writeFixed32(Float.floatToRawIntBits(value));
    }

    /** A string field, UTF-8 encoded. */
    void writeString(int field, String value) {
        writeBytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    void writeBytes(int field, byte[] value) {
        writeTag(field, LENGTH_DELIMITED);
        writeVarint(value.length);
        writeRaw(value);
    }

    void writeMessage(int field, ProtobufMessage message) {
        writeTag(field, LENGTH_DELIMITED);
        writeVarint(sizeOf(message));
        message.writeTo(this);
    }

    /** A repeated varint field, one tagged value per element (how proto2 encodes a repeated field not marked packed). */
    void writeRepeatedInt64(int field, List<Long> values) {
        for (long value : values) {
            writeInt64(field, value);
        }
    }

    private void writeTag(int field, int wireType) {
        if (field < 1 || field > MAXIMUM_FIELD_NUMBER) {
            throw new IllegalArgumentException("protobuf field numbers are in [1, " + MAXIMUM_FIELD_NUMBER + "], got " + field);
        }
        writeVarint(((long) field << 3) | wireType);
    }

    private void writeVarint(long value) {
        long rest = value;
        while ((rest & ~0x7FL) != 0) {
            writeByte((int) ((rest & 0x7F) | 0x80));
            rest >>>= 7;
        }
        writeByte((int) rest);
    }

    private void writeFixed32(int value) {
        writeByte(value);
        writeByte(value >>> 8);
        writeByte(value >>> 16);
        writeByte(value >>> 24);
    }

    private void writeByte(int value) {
        if (buffer != null) {
            buffer[(int) position] = (byte) value;
        }
        position++;
    }

    private void writeRaw(byte[] bytes) {
        requireNonNull(bytes, "bytes");
        if (buffer != null) {
            System.arraycopy(bytes, 0, buffer, (int) position, bytes.length);
        }
        position += bytes.length;
    }
}
