package io.deepclust.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deepclust.cluster.ClusterModel;
import io.deepclust.cluster.GaussianMixtureConfig.CovarianceType;
import io.deepclust.cluster.GaussianMixtureModel;
import io.deepclust.cluster.SoftAssignment;
import io.deepclust.data.Checksums;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.reduce.FittedReducer;
import io.deepclust.reduce.PcaModel;
import io.deepclust.reduce.UmapConfig;
import io.deepclust.reduce.UmapCurve;
import io.deepclust.reduce.UmapModel;
import io.deepclust.util.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A run's fitted model, the {@code model/} folder of its run folder: the network weights (when the
 * run trains one), the resolved recipe, the input shape and pixel range, and each method's fitted
 * reducer and clusterer, listed in {@code manifest.json} with the format version and the SHA-256 of
 * every file. No Java serialization: JSON and NumPy {@code .npy} arrays (float64 where the fitted
 * values are double, so that a loaded bundle labels exactly as the run did). The layout is
 * documented in docs/MODEL_BUNDLE.md.
 *
 * <p>{@link #read} checks the format, the version, every checksum and every shape before anything
 * is used; a bundle that fails a check is a {@link BundleException} naming the file and the fix.
 *
 * @param dir the bundle folder ({@code RUN/model})
 * @param recipeName the recipe's name
 * @param recipe the resolved recipe, as {@code config.json}'s {@code recipe}
 * @param input what the network (or the pixel methods) take
 * @param network the trained network, or null for a run that clusters pixels
 * @param methods each method's fitted reducer and clusterer, in recipe order
 */
public record ModelBundle(
    Path dir,
    String recipeName,
    JsonNode recipe,
    Input input,
    Network network,
    List<Method> methods) {

  /** The bundle's folder inside a run folder. */
  public static final String FOLDER = "model";

  /** The manifest file inside the bundle. */
  public static final String MANIFEST = "manifest.json";

  /** The resolved recipe inside the bundle. */
  public static final String RECIPE = "recipe.json";

  /** The network weights inside the bundle (DJL {@code Block.saveParameters} of the root block). */
  public static final String WEIGHTS = "weights.params";

  /** The manifest's {@code format}. */
  public static final String FORMAT = "deepclust-model";

  /**
   * The newest format version written and read by this code: 2 adds the {@code umap} reducer. A
   * bundle without a UMAP reducer is still written as version 1, so that older deepclust reads it.
   */
  public static final int FORMAT_VERSION = 2;

  /** The oldest format version this code reads. */
  public static final int MIN_FORMAT_VERSION = 1;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public ModelBundle {
    Objects.requireNonNull(input, "input");
    methods = List.copyOf(methods);
  }

  /**
   * What the model takes.
   *
   * @param shape the image shape (C, H, W) the network (or the pixel features) take
   * @param dataShape the recipe's {@code data.shape} (C, H, W) images were brought to, or null
   * @param dataset the recipe's {@code data.dataset}, as trained
   * @param embedding {@code encoder} (the network's embedding) or {@code pixels}
   * @param batchSize images per forward pass when embedding
   */
  public record Input(
      int[] shape, int[] dataShape, String dataset, String embedding, int batchSize) {
    /**
     * Pixels are in [0, 1], as every source brings them ({@code io.deepclust.data.PixelScaling}).
     */
    public static final double[] PIXEL_RANGE = {0, 1};

    public Input {
      Objects.requireNonNull(shape, "shape");
      Objects.requireNonNull(embedding, "embedding");
    }

    /** Pixels per image, C*H*W. */
    public int pixels() {
      return shape[0] * shape[1] * shape[2];
    }
  }

  /**
   * The trained network.
   *
   * @param architecture the model's type name in the recipe
   * @param parameters trainable parameter count
   * @param embeddingDim values per embedded image
   * @param head the clustering head inside the network, or null
   */
  public record Network(String architecture, long parameters, int embeddingDim, HeadInfo head) {}

  /**
   * The clustering head's hyper-parameters (the centres are network weights).
   *
   * @param k clusters
   * @param dims embedding dimension
   * @param alpha the kernel's α
   * @param kernel {@code student_t} or {@code inverse}
   */
  public record HeadInfo(int k, int dims, double alpha, String kernel) {}

  /**
   * One method's fitted parts.
   *
   * @param name the method's name
   * @param fitOn the images it was fitted on ({@code eval} or {@code train})
   * @param predictOn the images it labelled
   * @param inputDim values per embedding it takes
   * @param reducer the fitted reducer ({@link FittedReducer#IDENTITY} or a {@link PcaModel})
   * @param clusterer the fitted clusterer
   */
  public record Method(
      String name,
      String fitOn,
      String predictOn,
      int inputDim,
      FittedReducer reducer,
      ClusterModel clusterer) {

    /** Reduces {@code embeddings} and labels them. */
    public int[] predict(FloatMatrix embeddings) {
      return clusterer.predict(reducer.transform(embeddings));
    }
  }

  /** The bundle folder of {@code run}: {@code run/model}, or {@code run} itself if it is one. */
  public static Path locate(Path run) {
    if (Files.isRegularFile(run.resolve(MANIFEST))) {
      return run;
    }
    return run.resolve(FOLDER);
  }

  /** The weights file, checked by {@link #read}; null without a network. */
  public Path weights() {
    return network == null ? null : dir.resolve(WEIGHTS);
  }

  /** The method called {@code name}, or null. */
  public Method method(String name) {
    return methods.stream().filter(m -> m.name().equals(name)).findFirst().orElse(null);
  }

  // ---------------------------------------------------------------- writing

  /**
   * Writes a bundle into {@code dir}: the recipe, the weights, each method's arrays, then the
   * manifest with their checksums, each file atomically. The manifest comes last, so a bundle
   * without one was cut short and {@link #read} says so.
   *
   * @param weights writes the network weights, or null without a network
   * @throws IllegalArgumentException when a method's reducer or clusterer cannot be stored
   * @throws UncheckedIOException when a file cannot be written (with the OS's reason)
   */
  public static void write(
      Path dir,
      String recipeName,
      JsonNode recipe,
      Input input,
      Network network,
      AtomicFiles.Writer weights,
      List<Method> methods) {
    write(dir::resolve, recipeName, recipe, input, network, weights, methods);
  }

  /**
   * As {@link #write(Path, String, JsonNode, Input, Network, AtomicFiles.Writer, List)}, with each
   * file's path given by {@code files} (a bundle-relative name such as {@code
   * methods/0-kmeans/centres.npy} to its path), e.g. to record every file in a run folder.
   */
  public static void write(
      Function<String, Path> dir,
      String recipeName,
      JsonNode recipe,
      Input input,
      Network network,
      AtomicFiles.Writer weights,
      List<Method> methods) {
    Map<String, String> sums = new LinkedHashMap<>();
    ObjectNode m = JSON.createObjectNode();
    m.put("format", FORMAT);
    boolean umap = methods.stream().anyMatch(me -> me.reducer() instanceof UmapModel);
    m.put("format_version", umap ? FORMAT_VERSION : MIN_FORMAT_VERSION);
    m.put("recipe", recipeName);
    ObjectNode in = m.putObject("input");
    ints(in.putArray("shape"), input.shape());
    if (input.dataShape() == null) {
      in.putNull("data_shape");
    } else {
      ints(in.putArray("data_shape"), input.dataShape());
    }
    in.putArray("pixel_range").add(Input.PIXEL_RANGE[0]).add(Input.PIXEL_RANGE[1]);
    in.put("dataset", input.dataset());
    in.put("embedding", input.embedding());
    in.put("batch_size", input.batchSize());
    try {
      put(dir, RECIPE, JSON.writeValueAsBytes(recipe), sums);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.apply(RECIPE) + ": " + e, e);
    }
    if (network == null) {
      m.putNull("network");
    } else {
      ObjectNode n = m.putObject("network");
      n.put("architecture", network.architecture());
      n.put("weights", WEIGHTS);
      n.put("parameters", network.parameters());
      n.put("embedding_dim", network.embeddingDim());
      if (network.head() == null) {
        n.putNull("head");
      } else {
        ObjectNode h = n.putObject("head");
        h.put("k", network.head().k());
        h.put("dims", network.head().dims());
        h.put("alpha", network.head().alpha());
        h.put("kernel", network.head().kernel());
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try {
        weights.write(bytes);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot save the network weights: " + e.getMessage(), e);
      }
      put(dir, WEIGHTS, bytes.toByteArray(), sums);
    }
    ArrayNode ms = m.putArray("methods");
    for (int i = 0; i < methods.size(); i++) {
      Method me = methods.get(i);
      String base = "methods/" + i + "-" + me.name().replaceAll("[^A-Za-z0-9._-]", "_") + "/";
      ObjectNode o = ms.addObject();
      o.put("name", me.name());
      o.put("fit_on", me.fitOn());
      o.put("predict_on", me.predictOn());
      o.put("input_dim", me.inputDim());
      writeReducer(dir, base, me, o.putObject("reducer"), sums);
      writeClusterer(dir, base, me, o.putObject("clusterer"), sums);
    }
    ObjectNode files = m.putObject("files");
    sums.forEach(files::put);
    try {
      AtomicFiles.writeBytes(dir.apply(MANIFEST), JSON.writeValueAsBytes(m));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.apply(MANIFEST) + ": " + e, e);
    }
  }

  /** Whether {@code reducer} can be written into a bundle (none, PCA and UMAP). */
  public static boolean canStore(FittedReducer reducer) {
    return reducer == FittedReducer.IDENTITY
        || reducer instanceof PcaModel
        || reducer instanceof UmapModel;
  }

  private static void writeReducer(
      Function<String, Path> dir, String base, Method me, ObjectNode o, Map<String, String> sums) {
    FittedReducer r = me.reducer();
    if (r == FittedReducer.IDENTITY) {
      o.put("type", "none");
      return;
    }
    if (r instanceof UmapModel u) {
      writeUmap(dir, base, u, o, sums);
      return;
    }
    if (!(r instanceof PcaModel p)) {
      throw new IllegalArgumentException(
          "method '" + me.name() + "': reducer " + r.summary() + " cannot be stored in a bundle");
    }
    int k = p.k();
    int d = p.dimensions();
    o.put("type", "pca");
    o.put("components", k);
    o.put("dims", d);
    o.put("whiten", p.whiten());
    o.put("mean", put(dir, base + "pca_mean.npy", BundleArrays.float64(p.mean(), d), sums));
    o.put(
        "axes",
        put(
            dir,
            base + "pca_components.npy",
            BundleArrays.float32(p.components().data(), k, d),
            sums));
    o.put(
        "explained_variance",
        put(
            dir,
            base + "pca_explained_variance.npy",
            BundleArrays.float64(p.explainedVariance(), k),
            sums));
    o.put(
        "explained_variance_ratio",
        put(
            dir,
            base + "pca_explained_variance_ratio.npy",
            BundleArrays.float64(p.explainedVarianceRatio(), k),
            sums));
  }

  /**
   * A fitted UMAP: its settings, {@code a, b}, the fitted rows and their embedding (what {@link
   * UmapModel#transform} needs: the rows to find a new point's neighbours among, and their
   * coordinates), float32 as they were fitted.
   */
  private static void writeUmap(
      Function<String, Path> dir,
      String base,
      UmapModel u,
      ObjectNode o,
      Map<String, String> sums) {
    UmapConfig c = u.config();
    FloatMatrix x = u.data();
    FloatMatrix y = u.embedding();
    o.put("type", "umap");
    o.put("dims", x.cols());
    o.put("rows", x.rows());
    o.put("n_neighbors", c.nNeighbors());
    o.put("n_components", c.nComponents());
    o.put("min_dist", c.minDist());
    o.put("spread", c.spread());
    o.put("init", c.init().name().toLowerCase(Locale.ROOT));
    if (c.nEpochs() == null) {
      o.putNull("n_epochs");
    } else {
      o.put("n_epochs", c.nEpochs());
    }
    o.put("learning_rate", c.learningRate());
    o.put("negative_sample_rate", c.negativeSampleRate());
    o.put("repulsion_strength", c.repulsionStrength());
    o.put("knn", c.knn().name().toLowerCase(Locale.ROOT));
    o.put("seed", c.seed());
    o.put("parallel", c.parallelLayout());
    o.put("a", u.curve().a());
    o.put("b", u.curve().b());
    o.put("epochs", u.epochs());
    o.put("init_used", u.initUsed());
    o.put("graph_edges", u.graphEdges());
    o.put(
        "data",
        put(dir, base + "umap_data.npy", BundleArrays.float32(x.data(), x.rows(), x.cols()), sums));
    o.put(
        "embedding",
        put(
            dir,
            base + "umap_embedding.npy",
            BundleArrays.float32(y.data(), y.rows(), y.cols()),
            sums));
  }

  private static void writeClusterer(
      Function<String, Path> dir, String base, Method me, ObjectNode o, Map<String, String> sums) {
    ClusterModel c = Objects.requireNonNull(me.clusterer(), "clusterer of " + me.name());
    o.put("k", c.k());
    o.put("dims", c.dims());
    if (c instanceof ClusterModel.NearestCentre nc) {
      o.put("type", "kmeans");
      o.put("centres", centres(dir, base, nc.centres(), sums));
    } else if (c instanceof ClusterModel.SoftCentroids sc) {
      o.put("type", "soft_centroids");
      o.put("centres", centres(dir, base, sc.centres(), sums));
    } else if (c instanceof ClusterModel.Head h) {
      o.put("type", "head");
      o.put("alpha", h.alpha());
      o.put("kernel", h.kernel().id());
      o.put("centres", centres(dir, base, h.centres(), sums));
    } else {
      GaussianMixtureModel g = ((ClusterModel.Mixture) c).mixture();
      int k = g.k();
      int d = g.dims();
      long[] cov = covarianceShape(g.covarianceType(), k, d);
      o.put("type", "gmm");
      o.put("covariance_type", g.covarianceType().sklearnName());
      o.put("lower_bound", g.lowerBound());
      o.put("converged", g.converged());
      o.put("n_iter", g.nIter());
      o.put(
          "weights",
          put(dir, base + "gmm_weights.npy", BundleArrays.float64(g.weights(), k), sums));
      double[] means = new double[k * d];
      for (int j = 0; j < k; j++) {
        System.arraycopy(g.means()[j], 0, means, j * d, d);
      }
      o.put("means", put(dir, base + "gmm_means.npy", BundleArrays.float64(means, k, d), sums));
      o.put(
          "covariances",
          put(dir, base + "gmm_covariances.npy", BundleArrays.float64(g.covariances(), cov), sums));
      o.put(
          "precisions_cholesky",
          put(
              dir,
              base + "gmm_precisions_cholesky.npy",
              BundleArrays.float64(g.precisionsCholesky(), cov),
              sums));
    }
  }

  private static String centres(
      Function<String, Path> dir, String base, FloatMatrix c, Map<String, String> sums) {
    return put(dir, base + "centres.npy", BundleArrays.float32(c.data(), c.rows(), c.cols()), sums);
  }

  /** scikit-learn's {@code covariances_} shape for the type. */
  private static long[] covarianceShape(CovarianceType t, int k, int d) {
    return switch (t) {
      case FULL -> new long[] {k, d, d};
      case TIED -> new long[] {d, d};
      case DIAG -> new long[] {k, d};
      case SPHERICAL -> new long[] {k};
    };
  }

  private static String put(
      Function<String, Path> dir, String name, byte[] bytes, Map<String, String> sums) {
    AtomicFiles.writeBytes(dir.apply(name), bytes);
    sums.put(name, Checksums.sha256(bytes));
    return name;
  }

  private static void ints(ArrayNode a, int[] values) {
    for (int v : values) {
      a.add(v);
    }
  }

  // ---------------------------------------------------------------- reading

  /**
   * Loads and checks the bundle of a run ({@code run/model}, or a bundle folder itself): the
   * manifest's format and version, the SHA-256 of every file it lists, and the shapes of all arrays
   * against the manifest and against each other. The weights file is checked, not loaded.
   *
   * @throws BundleException naming the file, the cause and the fix, when the bundle is missing,
   *     written by another format version, changed after it was written, or inconsistent
   */
  public static ModelBundle read(Path run) {
    Path dir = locate(run);
    Path manifestFile = dir.resolve(MANIFEST);
    JsonNode m;
    try {
      m = JSON.readTree(Files.readAllBytes(manifestFile));
    } catch (NoSuchFileException e) {
      throw new BundleException(
          manifestFile
              + " not found: "
              + run
              + " holds no model bundle (runs written before the bundle existed, or a run"
              + " stopped before clustering, have none); run the recipe again to make one"
              + " (deepclust run "
              + run.resolve("config.json")
              + ")",
          e);
    } catch (IOException e) {
      throw new BundleException(
          "cannot read " + manifestFile + ": " + e.getMessage() + " (check its permissions)", e);
    }
    Reader r = new Reader(dir, m);
    return r.bundle();
  }

  /** Reads a manifest, checking as it goes. */
  private static final class Reader {
    private final Path dir;
    private final JsonNode m;
    private final Map<String, String> sums = new LinkedHashMap<>();

    Reader(Path dir, JsonNode m) {
      this.dir = dir;
      this.m = m;
    }

    ModelBundle bundle() {
      if (m == null || !m.isObject() || !FORMAT.equals(m.path("format").asText())) {
        throw bad(
            MANIFEST, "is not a deepclust model manifest (no \"format\": \"" + FORMAT + "\")");
      }
      int version = m.path("format_version").asInt(-1);
      if (version < MIN_FORMAT_VERSION || version > FORMAT_VERSION) {
        throw new BundleException(
            String.format(
                Locale.ROOT,
                "%s: model bundle format version %s, but this deepclust reads versions %d to %d;"
                    + " %s",
                dir.resolve(MANIFEST),
                m.path("format_version").isMissingNode() ? "missing" : m.get("format_version"),
                MIN_FORMAT_VERSION,
                FORMAT_VERSION,
                version > FORMAT_VERSION
                    ? "update deepclust to the version that wrote it"
                    : "run the recipe again with this deepclust to write a current bundle"));
      }
      JsonNode files = m.path("files");
      if (!files.isObject()) {
        throw bad(MANIFEST, "has no \"files\" checksums");
      }
      for (Map.Entry<String, JsonNode> e : files.properties()) {
        sums.put(e.getKey(), e.getValue().asText());
      }
      // every listed file is checked, used or not
      for (String name : sums.keySet()) {
        bytes(name);
      }
      JsonNode recipe;
      try {
        recipe = JSON.readTree(bytes(RECIPE));
      } catch (IOException e) {
        throw bad(RECIPE, "is not JSON: " + e.getMessage());
      }
      JsonNode in = object(m, "input");
      int[] shape = intArray(in, "shape", 3);
      int[] dataShape = in.path("data_shape").isNull() ? null : intArray(in, "data_shape", 3);
      Input input =
          new Input(
              shape,
              dataShape,
              in.path("dataset").asText(null),
              text(in, "embedding"),
              positive(in, "batch_size"));
      Network network = null;
      JsonNode n = m.path("network");
      if (n.isObject()) {
        JsonNode h = n.path("head");
        HeadInfo head =
            h.isObject()
                ? new HeadInfo(
                    positive(h, "k"),
                    positive(h, "dims"),
                    h.path("alpha").asDouble(),
                    text(h, "kernel"))
                : null;
        network =
            new Network(
                text(n, "architecture"),
                n.path("parameters").asLong(),
                positive(n, "embedding_dim"),
                head);
        bytes(WEIGHTS);
      }
      int embeddingDim = network == null ? input.pixels() : network.embeddingDim();
      List<Method> methods = new ArrayList<>();
      for (JsonNode o : m.path("methods")) {
        methods.add(method(o, embeddingDim));
      }
      if (methods.isEmpty()) {
        throw bad(MANIFEST, "lists no methods");
      }
      return new ModelBundle(dir, m.path("recipe").asText(), recipe, input, network, methods);
    }

    private Method method(JsonNode o, int embeddingDim) {
      String name = text(o, "name");
      int inputDim = positive(o, "input_dim");
      if (inputDim != embeddingDim) {
        throw bad(
            MANIFEST,
            "method '"
                + name
                + "' takes "
                + inputDim
                + "-d embeddings but the model gives "
                + embeddingDim);
      }
      JsonNode r = object(o, "reducer");
      FittedReducer reducer;
      int dims = inputDim;
      switch (text(r, "type")) {
        case "none" -> reducer = FittedReducer.IDENTITY;
        case "pca" -> {
          int k = positive(r, "components");
          int d = positive(r, "dims");
          if (d != inputDim) {
            throw bad(MANIFEST, "method '" + name + "': PCA of " + d + "-d, input " + inputDim);
          }
          reducer =
              new PcaModel(
                  f64(r, "mean", d),
                  new FloatMatrix(k, d, f32(r, "axes", k, d)),
                  f64(r, "explained_variance", k),
                  f64(r, "explained_variance_ratio", k),
                  r.path("whiten").asBoolean());
          dims = k;
        }
        case "umap" -> {
          UmapModel u = umap(r, name, inputDim);
          reducer = u;
          dims = u.embedding().cols();
        }
        default -> throw bad(MANIFEST, "method '" + name + "': unknown reducer " + r.get("type"));
      }
      JsonNode c = object(o, "clusterer");
      int k = positive(c, "k");
      int d = positive(c, "dims");
      if (d != dims) {
        throw bad(
            MANIFEST,
            "method '"
                + name
                + "': the clusterer takes "
                + d
                + "-d rows but the reducer gives "
                + dims);
      }
      ClusterModel clusterer =
          switch (text(c, "type")) {
            case "kmeans" ->
                new ClusterModel.NearestCentre(new FloatMatrix(k, d, f32(c, "centres", k, d)));
            case "soft_centroids" ->
                new ClusterModel.SoftCentroids(new FloatMatrix(k, d, f32(c, "centres", k, d)));
            case "head" ->
                new ClusterModel.Head(
                    new FloatMatrix(k, d, f32(c, "centres", k, d)),
                    c.path("alpha").asDouble(),
                    SoftAssignment.Kernel.parse(text(c, "kernel")));
            case "gmm" -> {
              CovarianceType t = CovarianceType.parse(text(c, "covariance_type"));
              long[] cov = covarianceShape(t, k, d);
              double[] flat = f64(c, "means", k, d);
              double[][] means = new double[k][d];
              for (int j = 0; j < k; j++) {
                System.arraycopy(flat, j * d, means[j], 0, d);
              }
              yield new ClusterModel.Mixture(
                  new GaussianMixtureModel(
                      t,
                      f64(c, "weights", k),
                      means,
                      f64(c, "covariances", cov),
                      f64(c, "precisions_cholesky", cov),
                      c.path("lower_bound").asDouble(),
                      c.path("converged").asBoolean(),
                      c.path("n_iter").asInt(),
                      0,
                      new int[0]));
            }
            default ->
                throw bad(MANIFEST, "method '" + name + "': unknown clusterer " + c.get("type"));
          };
      return new Method(
          name, text(o, "fit_on"), text(o, "predict_on"), inputDim, reducer, clusterer);
    }

    private UmapModel umap(JsonNode r, String name, int inputDim) {
      int d = positive(r, "dims");
      int rows = positive(r, "rows");
      int comps = positive(r, "n_components");
      if (d != inputDim) {
        throw bad(MANIFEST, "method '" + name + "': UMAP of " + d + "-d, input " + inputDim);
      }
      JsonNode epochsNode = r.path("n_epochs");
      UmapConfig c;
      try {
        c =
            UmapConfig.defaults()
                .withNNeighbors(positive(r, "n_neighbors"))
                .withNComponents(comps)
                .withSpread(number(r, "spread"))
                .withMinDist(number(r, "min_dist"))
                .withInit(UmapConfig.Init.parse(text(r, "init")))
                .withNEpochs(epochsNode.isNull() ? null : positive(r, "n_epochs"))
                .withLearningRate(number(r, "learning_rate"))
                .withNegativeSampleRate(positive(r, "negative_sample_rate"))
                .withRepulsionStrength(number(r, "repulsion_strength"))
                .withKnn(UmapConfig.Knn.parse(text(r, "knn")))
                .withSeed(r.path("seed").asLong())
                .withParallelLayout(r.path("parallel").asBoolean())
                .withThreads(Runtime.getRuntime().availableProcessors());
        return UmapModel.restore(
            c,
            new FloatMatrix(rows, d, f32(r, "data", rows, d)),
            new FloatMatrix(rows, comps, f32(r, "embedding", rows, comps)),
            new UmapCurve(number(r, "a"), number(r, "b")),
            positive(r, "epochs"),
            text(r, "init_used"),
            r.path("graph_edges").asInt());
      } catch (IllegalArgumentException e) {
        throw bad(MANIFEST, "method '" + name + "': UMAP reducer invalid: " + e.getMessage());
      }
    }

    private double number(JsonNode o, String field) {
      JsonNode v = o.path(field);
      if (!v.isNumber()) {
        throw bad(MANIFEST, "\"" + field + "\" must be a number, got " + v);
      }
      return v.asDouble();
    }

    private float[] f32(JsonNode o, String field, long... shape) {
      String name = text(o, field);
      return BundleArrays.readFloat32(name, bytes(name), shape);
    }

    private double[] f64(JsonNode o, String field, long... shape) {
      String name = text(o, field);
      return BundleArrays.readFloat64(name, bytes(name), shape);
    }

    /** A listed file's bytes, after its checksum is checked. */
    private byte[] bytes(String name) {
      String want = sums.get(name);
      if (want == null) {
        throw bad(MANIFEST, "names " + name + " but lists no checksum for it");
      }
      Path f = dir.resolve(name).normalize();
      if (!f.startsWith(dir.normalize())) {
        throw bad(MANIFEST, "names " + name + ", which is outside the bundle");
      }
      byte[] b;
      try {
        b = Files.readAllBytes(f);
      } catch (NoSuchFileException e) {
        throw new BundleException(
            f + " is missing from the model bundle; " + FIX + " (or restore the file)", e);
      } catch (IOException e) {
        throw new BundleException("cannot read " + f + ": " + e.getMessage(), e);
      }
      String got = Checksums.sha256(b);
      if (!got.equalsIgnoreCase(want)) {
        throw new BundleException(
            f
                + " was changed after the run wrote it: its SHA-256 is "
                + got
                + " but the manifest records "
                + want
                + "; a changed model would not give the run's results. Restore the file, or "
                + FIX);
      }
      return b;
    }

    private BundleException bad(String name, String why) {
      return new BundleException(dir.resolve(name) + ": " + why + "; " + FIX);
    }

    private static final String FIX =
        "rebuild the bundle by running the recipe again (deepclust run RUN/config.json)";

    private JsonNode object(JsonNode o, String field) {
      JsonNode v = o.path(field);
      if (!v.isObject()) {
        throw bad(MANIFEST, "has no \"" + field + "\" object");
      }
      return v;
    }

    private String text(JsonNode o, String field) {
      JsonNode v = o.path(field);
      if (!v.isTextual()) {
        throw bad(MANIFEST, "has no text \"" + field + "\"");
      }
      return v.asText();
    }

    private int positive(JsonNode o, String field) {
      JsonNode v = o.path(field);
      if (!v.canConvertToInt() || v.asInt() < 1) {
        throw bad(MANIFEST, "\"" + field + "\" must be a positive integer, got " + v);
      }
      return v.asInt();
    }

    private int[] intArray(JsonNode o, String field, int length) {
      JsonNode v = o.path(field);
      if (!v.isArray() || v.size() != length) {
        throw bad(MANIFEST, "\"" + field + "\" must be " + length + " integers, got " + v);
      }
      int[] out = new int[length];
      for (int i = 0; i < length; i++) {
        out[i] = v.get(i).asInt();
        if (out[i] < 1) {
          throw bad(MANIFEST, "\"" + field + "\" must be positive, got " + v);
        }
      }
      return out;
    }
  }
}
