package io.deepclust.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens report pages in a real headless Chromium and says what a reader would see go wrong: console
 * errors, uncaught exceptions, failed loads and images that did not load ({@code naturalWidth} 0).
 *
 * <p>Chromium is driven over the Chrome DevTools Protocol with the JDK's {@link WebSocket}: it is
 * started with {@code --headless=new --remote-debugging-port=0} and a fresh profile in a temporary
 * folder, the DevTools address is read from its standard error, and each page is opened in a new
 * target ({@code Target.createTarget}, flat session) with {@code Runtime}, {@code Log} and {@code
 * Page} enabled, navigated to its {@code file://} URI, and inspected after its load event. Chromium
 * (with its child processes) is ended and the profile deleted on {@link #close()}.
 *
 * <p>The browser is {@code $DEEPCLUST_CHROMIUM} when set, else the first of {@code chromium},
 * {@code chromium-browser}, {@code google-chrome}, {@code google-chrome-stable} on the {@code
 * PATH}.
 */
public final class BrowserCheck implements AutoCloseable {
  /** What one page showed. */
  public record PageResult(Path page, int images, List<String> problems) {
    /** Whether the page loaded without a problem. */
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://\\S+)");
  private static final long START_SECONDS = 30;
  private static final long LOAD_SECONDS = 30;

  /** Lists the page's images: how many, and those that did not load. */
  private static final String IMAGES_SCRIPT =
      "JSON.stringify({n: document.images.length, broken: Array.from(document.images)"
          + ".filter(i => !(i.complete && i.naturalWidth > 0))"
          + ".map(i => (i.getAttribute('src') || '').slice(0, 120))})";

  private final Process process;
  private final Path profile;
  private final Deque<String> stderrTail = new ArrayDeque<>();
  private final WebSocket socket;
  private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
  private int nextId;

  /** The Chromium this machine has, if any (see the class comment for where it is looked up). */
  public static Optional<Path> findChromium() {
    String env = System.getenv("DEEPCLUST_CHROMIUM");
    if (env != null && !env.isBlank()) {
      Path p = Path.of(env);
      return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    String path = System.getenv("PATH");
    List<String> dirs = new ArrayList<>();
    if (path != null) {
      dirs.addAll(List.of(path.split(java.io.File.pathSeparator)));
    }
    dirs.add("/usr/bin");
    for (String name :
        List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
      for (String d : dirs) {
        if (d.isEmpty()) {
          continue;
        }
        Path p = Path.of(d, name);
        if (Files.isRegularFile(p) && Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Starts {@code chromium} headless with a fresh temporary profile.
   *
   * @throws IOException when it cannot be started or does not offer DevTools within 30 s (the
   *     message holds the end of its standard error)
   */
  public BrowserCheck(Path chromium) throws IOException {
    profile = Files.createTempDirectory("deepclust-chromium-");
    Process p = null;
    try {
      p =
          new ProcessBuilder(
                  chromium.toString(),
                  "--headless=new",
                  "--no-sandbox",
                  "--disable-gpu",
                  "--disable-dev-shm-usage",
                  "--no-first-run",
                  "--no-default-browser-check",
                  "--disable-extensions",
                  "--remote-debugging-port=0",
                  "--user-data-dir=" + profile,
                  "about:blank")
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      process = p;
      CompletableFuture<String> url = new CompletableFuture<>();
      Process started = p;
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(started.getErrorStream(), StandardCharsets.UTF_8))) {
                  String line;
                  // keep draining: a full pipe would stall the browser
                  while ((line = r.readLine()) != null) {
                    Matcher m = DEVTOOLS.matcher(line);
                    if (m.find()) {
                      url.complete(m.group(1));
                    }
                    synchronized (stderrTail) {
                      stderrTail.addLast(line);
                      if (stderrTail.size() > 20) {
                        stderrTail.removeFirst();
                      }
                    }
                  }
                } catch (IOException e) {
                  // the browser ended
                }
                url.complete(null);
              },
              "chromium-stderr");
      reader.setDaemon(true);
      reader.start();
      String ws;
      try {
        ws = url.get(START_SECONDS, TimeUnit.SECONDS);
      } catch (Exception e) {
        ws = null;
      }
      if (ws == null) {
        throw new IOException(
            chromium + " did not start DevTools within " + START_SECONDS + " s: " + stderrTail());
      }
      socket =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .buildAsync(URI.create(ws), new Listener())
              .get(START_SECONDS, TimeUnit.SECONDS);
    } catch (IOException | RuntimeException e) {
      destroy(p);
      deleteProfile();
      throw e;
    } catch (Exception e) {
      destroy(p);
      deleteProfile();
      throw new IOException("cannot connect to " + chromium + "'s DevTools: " + e, e);
    }
  }

  /**
   * Opens {@code page} and lists what went wrong: console errors ({@code console.error}, failed
   * assertions), uncaught exceptions, error log entries (failed loads) and images that did not
   * load.
   *
   * @throws IOException when the browser stops answering or the page does not load within 30 s
   */
  public PageResult check(Path page) throws IOException {
    List<String> problems = new ArrayList<>();
    String target =
        call(null, "Target.createTarget", JSON.createObjectNode().put("url", "about:blank"))
            .path("targetId")
            .asText();
    String session =
        call(
                null,
                "Target.attachToTarget",
                JSON.createObjectNode().put("targetId", target).put("flatten", true))
            .path("sessionId")
            .asText();
    try {
      call(session, "Runtime.enable", JSON.createObjectNode());
      call(session, "Log.enable", JSON.createObjectNode());
      call(session, "Page.enable", JSON.createObjectNode());
      JsonNode nav =
          call(
              session,
              "Page.navigate",
              JSON.createObjectNode().put("url", page.toAbsolutePath().toUri().toString()));
      if (nav.hasNonNull("errorText")) {
        problems.add("navigation failed: " + nav.get("errorText").asText());
        return new PageResult(page, 0, problems);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LOAD_SECONDS);
      boolean loaded = false;
      while (!loaded) {
        JsonNode m = next(deadline, page);
        loaded = collect(m, session, problems);
      }
      // late console messages of the load handlers
      long settle = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
      JsonNode m;
      while ((m = poll(settle)) != null) {
        collect(m, session, problems);
      }
      JsonNode r =
          call(
              session,
              "Runtime.evaluate",
              JSON.createObjectNode().put("expression", IMAGES_SCRIPT).put("returnByValue", true));
      JsonNode images = JSON.readTree(r.path("result").path("value").asText("{}"));
      for (JsonNode b : images.path("broken")) {
        problems.add("image did not load: " + b.asText());
      }
      return new PageResult(page, images.path("n").asInt(), problems);
    } finally {
      call(null, "Target.closeTarget", JSON.createObjectNode().put("targetId", target));
    }
  }

  /** Adds the problem an event reports; returns whether it is the page's load event. */
  private static boolean collect(JsonNode m, String session, List<String> problems) {
    if (!session.equals(m.path("sessionId").asText())) {
      return false;
    }
    JsonNode p = m.path("params");
    switch (m.path("method").asText()) {
      case "Page.loadEventFired" -> {
        return true;
      }
      case "Runtime.consoleAPICalled" -> {
        String type = p.path("type").asText();
        if (type.equals("error") || type.equals("assert")) {
          List<String> args = new ArrayList<>();
          p.path("args")
              .forEach(a -> args.add(a.path("value").asText(a.path("description").asText())));
          problems.add("console." + type + ": " + String.join(" ", args));
        }
      }
      case "Runtime.exceptionThrown" -> {
        JsonNode d = p.path("exceptionDetails");
        problems.add(
            "uncaught exception: "
                + d.path("exception").path("description").asText(d.path("text").asText()));
      }
      case "Log.entryAdded" -> {
        JsonNode e = p.path("entry");
        if (e.path("level").asText().equals("error")) {
          problems.add(
              "error ("
                  + e.path("source").asText()
                  + "): "
                  + e.path("text").asText()
                  + (e.hasNonNull("url") ? " " + e.path("url").asText() : ""));
        }
      }
      default -> {
        // other events say nothing about the page's health
      }
    }
    return false;
  }

  /** Sends a command and waits for its answer; events meanwhile stay queued. */
  private JsonNode call(String session, String method, ObjectNode params) throws IOException {
    int id = ++nextId;
    ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
    msg.set("params", params);
    if (session != null) {
      msg.put("sessionId", session);
    }
    socket.sendText(JSON.writeValueAsString(msg), true).join();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LOAD_SECONDS);
    List<JsonNode> events = new ArrayList<>();
    try {
      while (true) {
        JsonNode m = next(deadline, null);
        if (m.path("id").asInt(-1) == id) {
          if (m.has("error")) {
            throw new IOException(method + " failed: " + m.get("error"));
          }
          return m.path("result");
        }
        events.add(m);
      }
    } finally {
      // keep the events for the page loop, in order
      List<JsonNode> rest = new ArrayList<>();
      messages.drainTo(rest);
      messages.addAll(events);
      messages.addAll(rest);
    }
  }

  private JsonNode next(long deadline, Path page) throws IOException {
    JsonNode m = poll(deadline);
    if (m == null) {
      throw new IOException(
          (page == null ? "the browser did not answer" : page + " did not load")
              + " within "
              + LOAD_SECONDS
              + " s"
              + (process.isAlive() ? "" : " (the browser ended: " + stderrTail() + ")"));
    }
    return m;
  }

  private JsonNode poll(long deadline) throws IOException {
    try {
      long wait = deadline - System.nanoTime();
      return wait <= 0 ? messages.poll() : messages.poll(wait, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the browser", e);
    }
  }

  private String stderrTail() {
    synchronized (stderrTail) {
      return stderrTail.isEmpty() ? "(no output)" : String.join(" | ", stderrTail);
    }
  }

  /** Ends the browser and its child processes, and deletes the temporary profile. */
  @Override
  public void close() {
    try {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the process is ended below either way
    }
    destroy(process);
    deleteProfile();
  }

  private static void destroy(Process p) {
    if (p == null) {
      return;
    }
    List<ProcessHandle> children = p.descendants().toList();
    p.destroy();
    try {
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    children.forEach(
        c -> {
          if (c.isAlive()) {
            c.destroyForcibly();
          }
        });
  }

  private void deleteProfile() {
    // the browser's last writes may still land: try a few times
    for (int i = 0; i < 5 && Files.exists(profile); i++) {
      try {
        RunFolderFiles.deleteTree(profile);
      } catch (IOException | UncheckedIOException e) {
        try {
          Thread.sleep(200);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Queues each whole message. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder part = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      part.append(data);
      if (last) {
        try {
          messages.add(JSON.readTree(part.toString()));
        } catch (IOException e) {
          // not JSON: nothing a check can use
        }
        part.setLength(0);
      }
      ws.request(1);
      return null;
    }
  }
}
