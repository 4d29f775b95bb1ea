package io.deepclust.reduce;

import java.util.Arrays;

/**
 * Barnes-Hut quadtree over the 2-D map (van der Maaten 2014, "Accelerating t-SNE using tree-based
 * algorithms", JMLR 15). Nodes live in flat arrays (no per-node objects); each node keeps its
 * square cell, point count and centre of mass. A leaf holds one point, or several that share
 * exactly the same position (or that are still together at {@link #MAX_DEPTH}).
 *
 * <p>Building is sequential and inserts points in index order, so the tree, and every force read
 * from it, is the same whatever the number of threads that later query it.
 */
final class TsneQuadTree {
  /** Below this depth cells are narrower than 2^-48 of the map: points there are merged. */
  static final int MAX_DEPTH = 48;

  private int size;
  private double[] centerX;
  private double[] centerY;
  private double[] halfWidth;
  private double[] sumX;
  private double[] sumY;
  private int[] mass;
  private int[] firstChild;
  private int[] point;
  private double[] comX;
  private double[] comY;
  private final double[] y;

  /** Builds the tree of the {@code n} points {@code (y[2i], y[2i+1])}. */
  TsneQuadTree(double[] y, int n) {
    this.y = y;
    int capacity = Math.max(16, 2 * n);
    centerX = new double[capacity];
    centerY = new double[capacity];
    halfWidth = new double[capacity];
    sumX = new double[capacity];
    sumY = new double[capacity];
    mass = new int[capacity];
    firstChild = new int[capacity];
    point = new int[capacity];
    double minX = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      minX = Math.min(minX, y[2 * i]);
      maxX = Math.max(maxX, y[2 * i]);
      minY = Math.min(minY, y[2 * i + 1]);
      maxY = Math.max(maxY, y[2 * i + 1]);
    }
    double half = Math.max(maxX - minX, maxY - minY) / 2;
    half = half * (1 + 1e-6) + 1e-12;
    newNode((minX + maxX) / 2, (minY + maxY) / 2, half);
    for (int i = 0; i < n; i++) {
      insert(i);
    }
    comX = new double[size];
    comY = new double[size];
    for (int c = 0; c < size; c++) {
      if (mass[c] > 0) {
        comX[c] = sumX[c] / mass[c];
        comY[c] = sumY[c] / mass[c];
      }
    }
  }

  int nodeCount() {
    return size;
  }

  private int newNode(double cx, double cy, double hw) {
    if (size == centerX.length) {
      int cap = size * 2;
      centerX = Arrays.copyOf(centerX, cap);
      centerY = Arrays.copyOf(centerY, cap);
      halfWidth = Arrays.copyOf(halfWidth, cap);
      sumX = Arrays.copyOf(sumX, cap);
      sumY = Arrays.copyOf(sumY, cap);
      mass = Arrays.copyOf(mass, cap);
      firstChild = Arrays.copyOf(firstChild, cap);
      point = Arrays.copyOf(point, cap);
    }
    int id = size++;
    centerX[id] = cx;
    centerY[id] = cy;
    halfWidth[id] = hw;
    sumX[id] = 0;
    sumY[id] = 0;
    mass[id] = 0;
    firstChild[id] = -1;
    point[id] = -1;
    return id;
  }

  private int quadrant(int node, double px, double py) {
    return (px >= centerX[node] ? 1 : 0) + (py >= centerY[node] ? 2 : 0);
  }

  private void insert(int i) {
    double px = y[2 * i];
    double py = y[2 * i + 1];
    int node = 0;
    int depth = 0;
    while (true) {
      if (firstChild[node] < 0) {
        if (mass[node] == 0) {
          point[node] = i;
          add(node, px, py);
          return;
        }
        int rep = point[node];
        if ((y[2 * rep] == px && y[2 * rep + 1] == py) || depth >= MAX_DEPTH) {
          add(node, px, py);
          return;
        }
        split(node, rep);
      }
      add(node, px, py);
      node = firstChild[node] + quadrant(node, px, py);
      depth++;
    }
  }

  /** Gives a leaf four children and moves its content (one position) into the right one. */
  private void split(int node, int rep) {
    double h = halfWidth[node] / 2;
    double cx = centerX[node];
    double cy = centerY[node];
    // children in quadrant order: (x<, y<), (x>=, y<), (x<, y>=), (x>=, y>=)
    int first = newNode(cx - h, cy - h, h);
    newNode(cx + h, cy - h, h);
    newNode(cx - h, cy + h, h);
    newNode(cx + h, cy + h, h);
    firstChild[node] = first;
    int child = first + quadrant(node, y[2 * rep], y[2 * rep + 1]);
    mass[child] = mass[node];
    sumX[child] = sumX[node];
    sumY[child] = sumY[node];
    point[child] = rep;
    point[node] = -1;
  }

  private void add(int node, double px, double py) {
    mass[node]++;
    sumX[node] += px;
    sumY[node] += py;
  }

  /**
   * Repulsive forces on point {@code i}: adds {@code sum_j q_ij^2 Z^2 (y_i - y_j)} (unnormalised,
   * with {@code q_ij Z = 1 / (1 + |y_i - y_j|^2)}) to {@code force[0..1]} and returns {@code sum_{j
   * != i} q_ij Z}, its share of the normaliser Z. A cell of width w at squared distance d2 from y_i
   * stands for all its points when {@code w^2 < theta^2 d2}.
   *
   * @param stack scratch space of at least {@code 3 * MAX_DEPTH + 4} ints
   */
  double repulsion(int i, double theta2, double[] force, int[] stack) {
    double px = y[2 * i];
    double py = y[2 * i + 1];
    double z = 0;
    double fx = 0;
    double fy = 0;
    int top = 0;
    stack[top++] = 0;
    while (top > 0) {
      int node = stack[--top];
      int m = mass[node];
      if (m == 0) {
        continue;
      }
      boolean leaf = firstChild[node] < 0;
      if (leaf) {
        int rep = point[node];
        if (y[2 * rep] == px && y[2 * rep + 1] == py) {
          // i itself and its exact duplicates: q Z = 1 each, no force; leave i out
          z += m - 1;
          continue;
        }
      }
      double dx = px - comX[node];
      double dy = py - comY[node];
      double d2 = dx * dx + dy * dy;
      double w = 2 * halfWidth[node];
      if (leaf || w * w < theta2 * d2) {
        double q = 1.0 / (1.0 + d2);
        double mq = m * q;
        z += mq;
        double mq2 = mq * q;
        fx += mq2 * dx;
        fy += mq2 * dy;
      } else {
        int c = firstChild[node];
        stack[top++] = c + 3;
        stack[top++] = c + 2;
        stack[top++] = c + 1;
        stack[top++] = c;
      }
    }
    force[0] += fx;
    force[1] += fy;
    return z;
  }
}
