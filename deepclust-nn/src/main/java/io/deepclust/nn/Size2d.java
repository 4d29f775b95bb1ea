package io.deepclust.nn;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * A kernel size, stride or padding {@code (height, width)} of a 2-D layer ({@link LayerSpec}). In
 * YAML either one integer for a square ({@code kernel: 3}) or two ({@code kernel: [3, 5]}); nothing
 * else (strings and floats are rejected, as for any integer). Ranges are checked by the layer that
 * holds it.
 *
 * @param height size along H (rows)
 * @param width size along W (columns)
 */
@JsonDeserialize(using = Size2d.Reader.class)
@JsonSerialize(using = Size2d.Writer.class)
public record Size2d(int height, int width) {

  /** {@code (n, n)}. */
  public static Size2d square(int n) {
    return new Size2d(n, n);
  }

  /** {@code (height, width)} as a DJL shape. */
  public Shape toShape() {
    return new Shape(height, width);
  }

  /** Whether either size is below {@code min}. */
  boolean below(int min) {
    return height < min || width < min;
  }

  /** {@code n} for a square, else {@code [h, w]}: how it is written in YAML. */
  @Override
  public String toString() {
    return height == width ? Integer.toString(height) : "[" + height + ", " + width + "]";
  }

  /** Reads {@code n} or {@code [h, w]}. */
  static final class Reader extends StdDeserializer<Size2d> {
    private static final long serialVersionUID = 1L;

    Reader() {
      super(Size2d.class);
    }

    @Override
    public Size2d deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
        return square(ctxt.readValue(p, Integer.class));
      }
      if (p.currentToken() == JsonToken.START_ARRAY) {
        int[] sizes = ctxt.readValue(p, int[].class);
        if (sizes.length == 2) {
          return new Size2d(sizes[0], sizes[1]);
        }
        return ctxt.reportInputMismatch(
            this, "need one integer (square) or two [height, width], got %d values", sizes.length);
      }
      return (Size2d) ctxt.handleUnexpectedToken(Size2d.class, p);
    }
  }

  /** Writes {@code n} for a square, else {@code [h, w]}. */
  static final class Writer extends StdSerializer<Size2d> {
    private static final long serialVersionUID = 1L;

    Writer() {
      super(Size2d.class);
    }

    @Override
    public void serialize(Size2d value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      if (value.height() == value.width()) {
        gen.writeNumber(value.height());
      } else {
        gen.writeArray(new int[] {value.height(), value.width()}, 0, 2);
      }
    }
  }
}
