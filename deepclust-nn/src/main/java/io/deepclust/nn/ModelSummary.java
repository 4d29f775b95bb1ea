package io.deepclust.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parameter counts and a per-layer table (name, output shape, parameters) of an initialised DJL
 * {@link Block}, in the spirit of Keras' {@code model.summary()} / torchinfo.
 *
 * <p>"Parameters" are counted as PyTorch's {@code sum(p.numel() for p in model.parameters())}:
 * every DJL parameter except BatchNorm running statistics ({@link Parameter.Type#RUNNING_MEAN},
 * {@link Parameter.Type#RUNNING_VAR}), which PyTorch keeps as buffers and Keras reports as
 * "non-trainable". Frozen parameters still count, as in PyTorch. Running statistics are reported
 * separately as buffers.
 *
 * @param rows one row per block in pre-order (the root first, children indented by depth)
 * @param parameters total learnable parameter count of the root block
 * @param buffers total running-statistics elements of the root block
 */
public record ModelSummary(List<Row> rows, long parameters, long buffers) {

  /**
   * One block of the tree.
   *
   * @param depth 0 for the root, 1 for its children, ...
   * @param name child name as DJL stores it (e.g. {@code 01Conv2d}); the root's class name
   * @param type simple class name of the block, or a LambdaBlock's name (e.g. {@code ReLU})
   * @param outputShape output shape for the summarised input, batch axis included (the first
   *     output's when the block has several)
   * @param parameters learnable parameters of this block and its descendants
   */
  public record Row(int depth, String name, String type, Shape outputShape, long parameters) {}

  /** Copies {@code rows} so the summary stays immutable. */
  public ModelSummary {
    rows = List.copyOf(rows);
  }

  /**
   * Learnable parameter count (PyTorch's {@code parameters()} count) of an initialised block.
   *
   * @throws IllegalStateException if a parameter has no shape yet
   */
  public static long countParameters(Block block) {
    return count(block, false);
  }

  /** Elements of BatchNorm running statistics (PyTorch buffers) of an initialised block. */
  public static long countBuffers(Block block) {
    return count(block, true);
  }

  /**
   * Summarises {@code block} for input {@code inputShapes}, initialising it in {@code manager}
   * (FLOAT32) if it is not initialised yet. The manager must outlive the block's use, as it will
   * own the parameters.
   */
  public static ModelSummary of(Block block, NDManager manager, Shape... inputShapes) {
    if (!block.isInitialized()) {
      block.initialize(manager, DataType.FLOAT32, inputShapes);
    }
    return of(block);
  }

  /**
   * Summarises an initialised block for the input shapes it was initialised with.
   *
   * @throws IllegalStateException if the block is not initialised
   */
  public static ModelSummary of(Block block) {
    if (!block.isInitialized()) {
      throw new IllegalStateException(
          "ModelSummary: block "
              + block.getClass().getSimpleName()
              + " is not initialised; call ModelSummary.of(block, manager, inputShape),"
              + " block.initialize(manager, DataType.FLOAT32, inputShape) or trainer.initialize");
    }
    List<Row> rows = new ArrayList<>();
    collect(block, block.getClass().getSimpleName(), 0, rows);
    return new ModelSummary(rows, countParameters(block), countBuffers(block));
  }

  /** A fixed-width text table with totals, one line per row. */
  @Override
  public String toString() {
    int nameWidth = "Layer".length();
    for (Row row : rows) {
      nameWidth = Math.max(nameWidth, 2 * row.depth() + label(row).length());
    }
    String format = "%-" + nameWidth + "s  %-22s  %,14d%n";
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT, "%-" + nameWidth + "s  %-22s  %14s%n", "Layer", "Output shape", "Params"));
    sb.append("-".repeat(nameWidth + 40)).append('\n');
    for (Row row : rows) {
      String indented = "  ".repeat(row.depth()) + label(row);
      sb.append(
          String.format(
              Locale.ROOT, format, indented, String.valueOf(row.outputShape()), row.parameters()));
    }
    sb.append("-".repeat(nameWidth + 40)).append('\n');
    sb.append(String.format(Locale.ROOT, "Parameters: %,d%n", parameters));
    sb.append(String.format(Locale.ROOT, "Buffers (BatchNorm running stats): %,d%n", buffers));
    return sb.toString();
  }

  private static String label(Row row) {
    return row.name().endsWith(row.type()) ? row.name() : row.name() + " (" + row.type() + ")";
  }

  private static void collect(Block block, String name, int depth, List<Row> rows) {
    Shape[] outputs = block.getOutputShapes(block.getInputShapes());
    rows.add(
        new Row(
            depth,
            name,
            typeOf(block),
            outputs.length == 0 ? new Shape() : outputs[0],
            countParameters(block)));
    for (Pair<String, Block> child : block.getChildren()) {
      collect(child.getValue(), child.getKey(), depth + 1, rows);
    }
  }

  /** The class name, or a LambdaBlock's own name (e.g. "ReLU", "batchFlatten"). */
  private static String typeOf(Block block) {
    if (block instanceof LambdaBlock lambda && !LambdaBlock.DEFAULT_NAME.equals(lambda.getName())) {
      return lambda.getName();
    }
    return block.getClass().getSimpleName();
  }

  private static long count(Block block, boolean buffers) {
    long total = 0;
    for (Pair<String, Parameter> entry : block.getParameters()) {
      Parameter parameter = entry.getValue();
      Parameter.Type type = parameter.getType();
      boolean isBuffer = type == Parameter.Type.RUNNING_MEAN || type == Parameter.Type.RUNNING_VAR;
      if (isBuffer != buffers) {
        continue;
      }
      Shape shape = parameter.getShape();
      if (shape == null) {
        throw new IllegalStateException(
            "ModelSummary: parameter '"
                + entry.getKey()
                + "' has no shape yet; initialise the block first (block.initialize(manager,"
                + " DataType.FLOAT32, inputShape) or trainer.initialize)");
      }
      total += shape.size();
    }
    return total;
  }
}
