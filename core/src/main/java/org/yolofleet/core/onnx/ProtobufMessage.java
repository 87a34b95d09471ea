package org.yolofleet.core.onnx;

/** A protobuf message that writes its own fields, in field order, into a {@link ProtobufWriter}. */
@FunctionalInterface
interface ProtobufMessage {
    void writeTo(ProtobufWriter writer);
}
