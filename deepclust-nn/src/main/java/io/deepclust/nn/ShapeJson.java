package io.deepclust.nn;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * JSON / YAML form of a DJL {@link Shape} record component: a list of integers such as {@code [1,
 * 28, 28]} (strings, floats and scalars are rejected as for any {@code int[]}). Sizes are checked
 * by the record that holds the shape.
 */
final class ShapeJson {

  private ShapeJson() {}

  /** Reads {@code [d0, d1, ...]}. */
  static final class Reader extends StdDeserializer<Shape> {
    private static final long serialVersionUID = 1L;

    Reader() {
      super(Shape.class);
    }

    @Override
    public Shape deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      int[] sizes = ctxt.readValue(p, int[].class);
      long[] dims = new long[sizes.length];
      for (int i = 0; i < sizes.length; i++) {
        dims[i] = sizes[i];
      }
      return new Shape(dims);
    }
  }

  /** Writes {@code [d0, d1, ...]}. */
  static final class Writer extends StdSerializer<Shape> {
    private static final long serialVersionUID = 1L;

    Writer() {
      super(Shape.class);
    }

    @Override
    public void serialize(Shape value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      long[] dims = value.getShape();
      gen.writeArray(dims, 0, dims.length);
    }
  }

  /** {@code [1, 28, 28]}: how a shape is written in a recipe. */
  static String yaml(Shape shape) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < shape.dimension(); i++) {
      sb.append(i == 0 ? "" : ", ").append(shape.get(i));
    }
    return sb.append(']').toString();
  }
}
