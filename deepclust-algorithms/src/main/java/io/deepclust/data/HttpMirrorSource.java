package io.deepclust.data;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Downloads {@code <mirror><file>.gz} from each of a dataset's mirrors in turn until one delivers
 * content with the right checksum. A mirror whose host cannot be reached at all is skipped for the
 * remaining files, so an offline machine fails fast instead of waiting out every timeout.
 */
public final class HttpMirrorSource implements DatasetSource {
  /** Connection timeout per mirror. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** Time allowed for one whole file to arrive. */
  public static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(10);

  private final HttpClient client;

  /** A source using a client with a 10 s connect timeout that follows redirects. */
  public HttpMirrorSource() {
    this(
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build());
  }

  /** A source using {@code client}. */
  public HttpMirrorSource(HttpClient client) {
    this.client = client;
  }

  @Override
  public String describe(DatasetSpec spec) {
    return "download mirrors " + spec.mirrors();
  }

  @Override
  public void obtain(DatasetSpec spec, List<DatasetFile> needed, Path workDir, Sink sink)
      throws IOException {
    if (spec.mirrors().isEmpty()) {
      throw new IOException("no download mirrors are registered for " + spec.name());
    }
    Set<String> unreachableHosts = new HashSet<>();
    for (DatasetFile file : needed) {
      for (URI mirror : spec.mirrors()) {
        URI url = mirror.resolve(file.gzName());
        String host = url.getScheme() + "://" + url.getAuthority();
        if (unreachableHosts.contains(host)) {
          sink.skipped(file, url.toString(), "not tried: " + host + " was unreachable before");
          continue;
        }
        Path target = Files.createTempFile(workDir, file.name() + ".", ".gz");
        sink.status("downloading " + url);
        try {
          HttpRequest request = HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT).GET().build();
          HttpResponse<Path> response =
              client.send(request, HttpResponse.BodyHandlers.ofFile(target));
          if (response.statusCode() != 200) {
            sink.failed(file, url.toString(), "HTTP status " + response.statusCode());
            continue;
          }
        } catch (ConnectException | HttpConnectTimeoutException e) {
          unreachableHosts.add(host);
          sink.failed(file, url.toString(), "cannot connect: " + describe(e));
          continue;
        } catch (IOException e) {
          sink.failed(file, url.toString(), describe(e));
          continue;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while downloading " + url, e);
        }
        if (sink.offer(file, target, url.toString())) {
          break;
        }
      }
    }
  }

  private static String describe(Exception e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof java.nio.channels.UnresolvedAddressException
          || c instanceof java.net.UnknownHostException) {
        return "host name cannot be resolved (no network, or DNS blocked?)";
      }
    }
    // HttpClient wraps the interesting cause without a message of its own.
    Throwable t = e;
    while (t.getMessage() == null && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
