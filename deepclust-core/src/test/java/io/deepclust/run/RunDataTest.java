package io.deepclust.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepclust.recipe.RecipeException;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RunDataTest {
  @Test
  void validationSplitIsSeededDisjointAndComplete() {
    int[][] a = RunData.validationSplit(1000, 0.2, 7);
    int[][] b = RunData.validationSplit(1000, 0.2, 7);
    int[][] c = RunData.validationSplit(1000, 0.2, 8);
    assertArrayEquals(a[0], b[0]);
    assertArrayEquals(a[1], b[1]);
    assertFalse(Arrays.equals(a[1], c[1]));
    assertEquals(800, a[0].length);
    assertEquals(200, a[1].length);
    int[] all = IntStream.concat(Arrays.stream(a[0]), Arrays.stream(a[1])).sorted().toArray();
    assertArrayEquals(IntStream.range(0, 1000).toArray(), all);
    RecipeException e =
        assertThrows(RecipeException.class, () -> RunData.validationSplit(2, 0.2, 0));
    assertTrue(e.getMessage().contains("data.validation_fraction"), e.getMessage());
  }
}
