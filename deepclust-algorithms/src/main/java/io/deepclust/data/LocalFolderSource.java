package io.deepclust.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Takes dataset files from a local folder holding {@code <file>.gz} or {@code <file>} (a copy
 * carried over from another machine, or test fixtures). Candidates are checksum-verified like any
 * download.
 */
public final class LocalFolderSource implements DatasetSource {
  private final Path folder;

  public LocalFolderSource(Path folder) {
    this.folder = folder;
  }

  @Override
  public String describe(DatasetSpec spec) {
    return "local folder " + folder;
  }

  @Override
  public void obtain(DatasetSpec spec, List<DatasetFile> needed, Path workDir, Sink sink)
      throws IOException {
    if (!Files.isDirectory(folder)) {
      throw new IOException("no such folder: " + folder);
    }
    if (!Files.isReadable(folder) || !Files.isExecutable(folder)) {
      throw new IOException(FileAccess.folderDenied(folder));
    }
    for (DatasetFile file : needed) {
      var found = DataLocator.resolveFile(folder, file);
      if (found.isPresent()) {
        sink.offer(file, found.get(), found.get().toString());
      } else {
        sink.failed(file, describe(spec), "neither " + file.gzName() + " nor " + file.name());
      }
    }
  }
}
