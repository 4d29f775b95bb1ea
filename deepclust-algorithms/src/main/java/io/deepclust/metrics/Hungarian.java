package io.deepclust.metrics;

import java.util.Arrays;
import java.util.Objects;

/**
 * Optimal assignment for rectangular matrices (Kuhn-Munkres / Hungarian method, Jonker-Volgenant
 * style shortest augmenting paths with potentials), O(r^2 c) for an {@code r x c} matrix with r
 * &lt;= c (the wider side is transposed away), i.e. O(k^3) for square ones.
 *
 * <p>Exactly {@code min(r, c)} rows are assigned to distinct columns; when r &gt; c the surplus
 * rows stay unassigned ({@code -1}). Ties between optimal assignments are broken arbitrarily but
 * deterministically; the optimal total is unique.
 */
public final class Hungarian {
  private Hungarian() {}

  /**
   * Assignment maximising the sum of {@code weights[i][assignment[i]]}.
   *
   * @param weights {@code r x c}, finite values, rows of equal length
   * @return {@code assignment[i]} = column of row i, or -1 if row i is unassigned (only when r &gt;
   *     c)
   */
  public static int[] maximize(double[][] weights) {
    double[][] costs = copyChecked(weights, "weights");
    for (double[] row : costs) {
      for (int j = 0; j < row.length; j++) {
        row[j] = -row[j];
      }
    }
    return solve(costs);
  }

  /** Assignment minimising the sum of {@code costs[i][assignment[i]]}; see {@link #maximize}. */
  public static int[] minimize(double[][] costs) {
    return solve(copyChecked(costs, "costs"));
  }

  /** Sum of {@code matrix[i][assignment[i]]} over assigned rows. */
  public static double total(double[][] matrix, int[] assignment) {
    double sum = 0;
    for (int i = 0; i < assignment.length; i++) {
      if (assignment[i] >= 0) {
        sum += matrix[i][assignment[i]];
      }
    }
    return sum;
  }

  private static double[][] copyChecked(double[][] m, String name) {
    Objects.requireNonNull(m, name);
    int cols = m.length == 0 ? 0 : m[0].length;
    double[][] copy = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      if (m[i] == null || m[i].length != cols) {
        throw new IllegalArgumentException(
            name
                + ": row "
                + i
                + " has "
                + (m[i] == null ? "no" : Integer.toString(m[i].length))
                + " values, expected "
                + cols
                + " (the matrix must be rectangular)");
      }
      for (int j = 0; j < cols; j++) {
        if (!Double.isFinite(m[i][j])) {
          throw new IllegalArgumentException(
              name + "[" + i + "][" + j + "] is " + m[i][j] + "; all entries must be finite");
        }
      }
      copy[i] = m[i].clone();
    }
    return copy;
  }

  /** Minimises; costs may be modified. */
  private static int[] solve(double[][] costs) {
    int rows = costs.length;
    int cols = rows == 0 ? 0 : costs[0].length;
    if (rows == 0 || cols == 0) {
      int[] none = new int[rows];
      Arrays.fill(none, -1);
      return none;
    }
    if (rows <= cols) {
      return solveWide(costs, rows, cols);
    }
    double[][] t = new double[cols][rows];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        t[j][i] = costs[i][j];
      }
    }
    int[] colToRow = solveWide(t, cols, rows);
    int[] rowToCol = new int[rows];
    Arrays.fill(rowToCol, -1);
    for (int j = 0; j < cols; j++) {
      rowToCol[colToRow[j]] = j;
    }
    return rowToCol;
  }

  /**
   * Shortest augmenting path algorithm for n &lt;= m: adds rows one at a time, keeping dual
   * potentials u (rows) and v (columns) feasible, so each step is a Dijkstra over columns. 1-based
   * internally; column 0 is the virtual source.
   */
  private static int[] solveWide(double[][] a, int n, int m) {
    double[] u = new double[n + 1];
    double[] v = new double[m + 1];
    int[] p = new int[m + 1]; // p[j] = row matched to column j (0 = none)
    int[] way = new int[m + 1];
    double[] minv = new double[m + 1];
    boolean[] used = new boolean[m + 1];
    for (int i = 1; i <= n; i++) {
      p[0] = i;
      int j0 = 0;
      Arrays.fill(minv, Double.POSITIVE_INFINITY);
      Arrays.fill(used, false);
      do {
        used[j0] = true;
        int i0 = p[j0];
        double delta = Double.POSITIVE_INFINITY;
        int j1 = -1;
        double[] row = a[i0 - 1];
        for (int j = 1; j <= m; j++) {
          if (!used[j]) {
            double cur = row[j - 1] - u[i0] - v[j];
            if (cur < minv[j]) {
              minv[j] = cur;
              way[j] = j0;
            }
            if (minv[j] < delta) {
              delta = minv[j];
              j1 = j;
            }
          }
        }
        for (int j = 0; j <= m; j++) {
          if (used[j]) {
            u[p[j]] += delta;
            v[j] -= delta;
          } else {
            minv[j] -= delta;
          }
        }
        j0 = j1;
      } while (p[j0] != 0);
      do {
        int j1 = way[j0];
        p[j0] = p[j1];
        j0 = j1;
      } while (j0 != 0);
    }
    int[] rowToCol = new int[n];
    Arrays.fill(rowToCol, -1);
    for (int j = 1; j <= m; j++) {
      if (p[j] != 0) {
        rowToCol[p[j] - 1] = j - 1;
      }
    }
    return rowToCol;
  }
}
