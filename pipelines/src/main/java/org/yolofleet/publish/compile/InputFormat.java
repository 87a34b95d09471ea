package org.yolofleet.publish.compile;

/** The exported model a compiler reads, so the publish stage hands each compiler the export it understands. */
public enum InputFormat {
    /** A TensorFlow frozen graph ({@code .pb}, NHWC), what NCSDK's {@code mvNCCompile} reads. */
    TF_FROZEN_GRAPH,
    /** An ONNX model, which OpenVINO 2022's {@code compile_tool} reads directly (its {@code ov::Core::read_model}). */
    ONNX,
    /** An OpenVINO IR {@code .xml} with its {@code .bin} beside it (Model Optimizer's output). */
    OPENVINO_IR
}
