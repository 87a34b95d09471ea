package org.yolofleet.core.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import static java.util.Objects.requireNonNull;

/**
 * The subset of ONNX's protobuf messages ({@code onnx/onnx.proto}, proto2) that a feed-forward convolutional network
 * needs, with the field numbers of that file. Each record writes its fields in field-number order.
 *
 * <p>Not modelled: sparse tensors, sub-graphs, functions, training info, external data, symbolic dimensions, and every
 * field whose default is what we want ({@code NodeProto.domain}, {@code ModelProto.domain}, {@code model_version}).
 */
final class OnnxProto {
    private OnnxProto() {}

    /** {@code TensorProto.DataType}: the element types we write. */
    enum DataType {
        FLOAT(1, Float.BYTES),
        INT64(7, Long.BYTES),
        /** IEEE half precision, written as {@link Float16} bit patterns. */
        FLOAT16(10, Short.BYTES);

        private final int code;
        private final int bytes;

        DataType(int code, int bytes) {
            this.code = code;
            this.bytes = bytes;
        }

        int code() {
            return code;
        }

        int bytes() {
            return bytes;
        }
    }

    /** {@code ModelProto}: the file. */
    record Model(
            long irVersion,
            String producerName,
            String producerVersion,
            String docString,
            Graph graph,
            List<OperatorSetId> opsetImports,
            List<StringStringEntry> metadataProperties)
            implements ProtobufMessage {
        static final int IR_VERSION = 1;
        static final int PRODUCER_NAME = 2;
        static final int PRODUCER_VERSION = 3;
        static final int DOC_STRING = 6;
        static final int GRAPH = 7;
        static final int OPSET_IMPORT = 8;
        static final int METADATA_PROPS = 14;

        Model {
            requireNonNull(producerName, "producerName");
            requireNonNull(producerVersion, "producerVersion");
            requireNonNull(docString, "docString");
            requireNonNull(graph, "graph");
            opsetImports = List.copyOf(requireNonNull(opsetImports, "opsetImports"));
            metadataProperties = List.copyOf(requireNonNull(metadataProperties, "metadataProperties"));
            if (irVersion < 1) {
                throw new IllegalArgumentException("ir_version must be at least 1, got " + irVersion);
            }
            if (opsetImports.isEmpty()) {
                throw new IllegalArgumentException("a model imports at least one operator set");
            }
        }

        @Override
        public void writeTo(ProtobufWriter writer) {
            writer.writeInt64(IR_VERSION, irVersion);
            writer.writeString(PRODUCER_NAME, producerName);
            writer.writeString(PRODUCER_VERSION, producerVersion);
            writer.writeString(DOC_STRING, docString);
            writer.writeMessage(GRAPH, graph);
            opsetImports.forEach(opset -> writer.writeMessage(OPSET_IMPORT, opset));
            metadataProperties.forEach(entry -> writer.writeMessage(METADATA_PROPS, entry));
        }
    }

    /** {@code OperatorSetIdProto}: an operator set the model's nodes bind to; the empty domain is {@code ai.onnx}. */
    record OperatorSetId(String domain, long version) implements ProtobufMessage {
        static final int DOMAIN = 1;
        static final int VERSION = 2;

        OperatorSetId {
            requireNonNull(domain, "domain");
            if (version < 1) {
                throw new IllegalArgumentException("operator set version must be at least 1, got " + version);
            }
        }

        @Override
        public void writeTo(ProtobufWriter writer) {
            writer.writeString(DOMAIN, domain);
            writer.writeInt64(VERSION, version);
        }
    }

    /** {@code StringStringEntryProto}: one key-value pair of the model's metadata. */
    record StringStringEntry(String key, String value) implements ProtobufMessage {
        static final int KEY = 1;
        static final int VALUE = 2;

        StringStringEntry {
            requireNonNull(key, "key");
            requireNonNull(value, "value");
        }

        @Override
        public void writeTo(ProtobufWriter writer) {
            writer.writeString(KEY, key);
            writer.writeString(VALUE, value);
        }
    }

    /** {@code GraphProto}: nodes in topological order, constant tensors, and the typed inputs and outputs. */
    record Graph(
            List<Node> nodes,
            String name,
            List<Tensor> initializers,
            String docString,
            List<ValueInfo> inputs,
            List<ValueInfo> outputs,
            List<ValueInfo> valueInfos)
            implements ProtobufMessage {
        static final int NODE = 1;
        static final int NAME = 2;
        static final int INITIALIZER = 5;
        static final int DOC_STRING = 10;
        static final int INPUT = 11;
        static final int OUTPUT = 12;
        static final int VALUE_INFO = 13;

        Graph {
            nodes = List.copyOf(requireNonNull(nodes, "nodes"));
            requireNonNull(name, "name");
            initializers = List.copyOf(requireNonNull(initializers, "initializers"));
            requireNonNull(docString, "docString");
            inputs = List.copyOf(requireNonNull(inputs, "inputs"));
            outputs = List.copyOf(requireNonNull(outputs, "outputs"));
            valueInfos = List.copyOf(requireNonNull(valueInfos, "valueInfos"));
        }

        @Override
        public void writeTo(ProtobufWriter writer) {
            nodes.forEach(node -> writer.writeMessage(NODE, node));
            writer.writeString(NAME, name);
            initializers.forEach(tensor -> writer.writeMessage(INITIALIZER, tensor));
            writer.writeString(DOC_STRING, docString);
            inputs.forEach(input -> writer.writeMessage(INPUT, input));
            outputs.forEach(output -> writer.writeMessage(OUTPUT, output));
            valueInfos.forEach(valueInfo -> writer.writeMessage(VALUE_INFO, valueInfo));
        }
    }

    /** {@code NodeProto}: one operator of the default domain ({@code ai.onnx}), with named inputs and outputs. */
    record Node(List<String> inputs, List<String> outputs, String name, String operatorType, List<Attribute> attributes)
            implements ProtobufMessage {
        static final int INPUT = 1;
        static final int OUTPUT = 2;
        static final int NAME = 3;
        static final int OP_TYPE = 4;
        static final int ATTRIBUTE = 5;

        Node {
            inputs = List.copyOf(requireNonNull(inputs, "inputs"));
            outputs = List.copyOf(requireNonNull(outputs, "outputs"));
            requireNonNull(name, "name");
            requireNonNull(operatorType, "operatorType");
            attributes = List.copyOf(requireNonNull(attributes, "attributes"));
        }

        @Override
        public void writeTo(ProtobufWriter writer) {
            inputs.forEach(input -> writer.writeString(INPUT, input));
            outputs.forEach(output -> writer.writeString(OUTPUT, output));
            writer.writeString(NAME, name);
            writer.writeString(OP_TYPE, operatorType);
            attributes.forEach(attribute -> writer.writeMessage(ATTRIBUTE, attribute));
        }
    }

    /**
     * {@code AttributeProto}: a named operator setting. The IR requires the {@code type} discriminator next to the one
     * value field in use.
     */
    sealed interface Attribute extends ProtobufMessage permits FloatAttribute, IntegerAttribute, StringAttribute, IntegersAttribute {
        // field numbers, named as onnx.proto names the fields
        int NAME = 1;
        int F = 2;
        int I = 3;
        int S = 4;
        int INTS = 8;
        int TYPE = 20;

        /** {@code AttributeProto.AttributeType} values. */
        int TYPE_FLOAT = 1;
        int TYPE_INT = 2;
        int TYPE_STRING = 3;
        int TYPE_INTS = 7;

        String name();
    }

    /** An attribute of type {@code FLOAT}, such as LeakyRelu's {@code alpha}. */
    record FloatAttribute(String name, float value) implements Attribute {
        FloatAttribute {
            requireNonNull(name, "name");
        }

        @Override
        public void writeTo(ProtobufWriter writer) {
            writer.writeString(NAME, name);
            writer.writeFloat(F, value);
            writer.writeInt64(TYPE, TYPE_FLOAT);
        }
    }

    /** An attribute of type {@code INT}, such as Cast's {@code to}. */
    record IntegerAttribute(String name, long value) implements Attribute {
        IntegerAttribute {
            requireNonNull(name, "name");
        }

        @Override
        public void writeTo(ProtobufWriter writer) {
            writer.writeString(NAME, name);
            writer.writeInt64(I, value);
            writer.writeInt64(TYPE, TYPE_INT);
        }
    }

    /** An attribute of type {@code STRING}, such as Pad's {@code mode}. */
    record StringAttribute(String name, String value) implements Attribute {
        StringAttribute {
            requireNonNull(name, "name");
            requireNonNull(value, "value");
        }

        @Override
        public void writeTo(ProtobufWriter writer) {
            writer.writeString(NAME, name);
            writer.writeString(S, value);
            writer.writeInt64(TYPE, TYPE_STRING);
        }
    }

    /** An attribute of type {@code INTS}, such as Conv's {@code kernel_shape}, {@code strides} and {@code pads}. */
    record IntegersAttribute(String name, List<Long> values) implements Attribute {
        IntegersAttribute {
            requireNonNull(name, "name");
            values = List.copyOf(requireNonNull(values, "values"));
        }

        static IntegersAttribute of(String name, long... values) {
            return new IntegersAttribute(name, Arrays.stream(values).boxed().toList());
        }

        @Override
        public void writeTo(ProtobufWriter writer) {
            writer.writeString(NAME, name);
            writer.writeRepeatedInt64(INTS, values);
            writer.writeInt64(TYPE, TYPE_INTS);
        }
    }

    /**
     * {@code TensorProto} with its values in {@code raw_data}: fixed-width little-endian, row-major. The array is
     * copied in and never handed out.
     */
    record Tensor(List<Long> dimensions, DataType dataType, String name, byte[] rawData) implements ProtobufMessage {
        static final int DIMS = 1;
        static final int DATA_TYPE = 2;
        static final int NAME = 8;
        static final int RAW_DATA = 9;

        Tensor {
            dimensions = List.copyOf(requireNonNull(dimensions, "dimensions"));
            requireNonNull(dataType, "dataType");
            requireNonNull(name, "name");
            rawData = requireNonNull(rawData, "rawData").clone();
            long elements = 1;
            for (long dimension : dimensions) {
                if (dimension < 0) {
                    throw new IllegalArgumentException("tensor " + name + " has a negative dimension: " + dimensions);
                }
                elements = Math.multiplyExact(elements, dimension);
            }
            if (rawData.length != elements * dataType.bytes()) {
                throw new IllegalArgumentException("tensor " + name + " of shape " + dimensions + " needs " + elements * dataType.bytes()
                        + " bytes of " + dataType + ", got " + rawData.length);
            }
        }

        static Tensor floats(String name, List<Long> dimensions, float[] values) {
            ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(values);
            return new Tensor(dimensions, DataType.FLOAT, name, bytes.array());
        }

        /** Half-precision values, given as their {@link Float16} bit patterns. */
        static Tensor halves(String name, List<Long> dimensions, short[] bits) {
            ByteBuffer bytes = ByteBuffer.allocate(bits.length * Short.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asShortBuffer().put(bits);
            return new Tensor(dimensions, DataType.FLOAT16, name, bytes.array());
        }

        static Tensor longs(String name, List<Long> dimensions, long[] values) {
            ByteBuffer bytes = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asLongBuffer().put(values);
            return new Tensor(dimensions, DataType.INT64, name, bytes.array());
        }

        @Override
        public byte[] rawData() {
            return rawData.clone();
        }

        @Override
        public void writeTo(ProtobufWriter writer) {
            writer.writeRepeatedInt64(DIMS, dimensions);
            writer.writeInt64(DATA_TYPE, dataType.code());
            writer.writeString(NAME, name);
            writer.writeBytes(RAW_DATA, rawData);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Tensor that
                    && dimensions.equals(that.dimensions)
                    && dataType == that.dataType
                    && name.equals(that.name)
                    && Arrays.equals(rawData, that.rawData);
        }

        @Override
        public int hashCode() {
            return Objects.hash(dimensions, dataType, name, Arrays.hashCode(rawData));
        }

        @Override
        public String toString() {
            return "Tensor[" + name + " " + dataType + " " + dimensions + "]";
        }
    }

    /**
     * {@code ValueInfoProto} of a tensor with a static shape: {@code type} is a {@code TypeProto} whose
     * {@code tensor_type} ({@code TypeProto.Tensor}) holds {@code elem_type} and a {@code TensorShapeProto} of one
     * {@code Dimension} ({@code dim_value}) per axis.
     */
    record ValueInfo(String name, DataType elementType, List<Long> dimensions, String docString) implements ProtobufMessage {
        static final int NAME = 1;
        static final int TYPE = 2;
        static final int DOC_STRING = 3;
        static final int TYPE_TENSOR_TYPE = 1;
        static final int TENSOR_ELEM_TYPE = 1;
        static final int TENSOR_SHAPE = 2;
        static final int SHAPE_DIM = 1;
        static final int DIMENSION_DIM_VALUE = 1;

        ValueInfo {
            requireNonNull(name, "name");
            requireNonNull(elementType, "elementType");
            dimensions = List.copyOf(requireNonNull(dimensions, "dimensions"));
            requireNonNull(docString, "docString");
        }

        @Override
        public void writeTo(ProtobufWriter writer) {
            writer.writeString(NAME, name);
            writer.writeMessage(TYPE, type -> type.writeMessage(TYPE_TENSOR_TYPE, tensorType -> {
                tensorType.writeInt64(TENSOR_ELEM_TYPE, elementType.code());
                tensorType.writeMessage(TENSOR_SHAPE, shape -> dimensions.forEach(
                        dimension -> shape.writeMessage(SHAPE_DIM, dim -> dim.writeInt64(DIMENSION_DIM_VALUE, dimension))));
            }));
            if (!docString.isEmpty()) {
                writer.writeString(DOC_STRING, docString);
            }
        }
    }
}
