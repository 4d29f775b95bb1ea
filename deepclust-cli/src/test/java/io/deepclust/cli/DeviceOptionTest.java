package io.deepclust.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.deepclust.engine.DeviceChoice;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --device} on run and bench, and what {@code deepclust engine} says about devices. */
class DeviceOptionTest {
  @TempDir Path tmp;

  private static boolean noUsableGpu() {
    return DeviceChoice.seen().usableGpus() == 0;
  }

  @Test
  void aMissingGpuFailsBeforeAnythingIsWritten() {
    assumeTrue(noUsableGpu(), "this machine's build can use a GPU");
    Path out = tmp.resolve("run");
    Cli.Outcome o = Cli.run("run", "kmeans-baselines", "--device", "gpu", "--out", out.toString());
    assertEquals(1, o.code(), o.all());
    assertTrue(o.err().contains("'gpu:0' asks for a GPU"), o.err());
    assertTrue(o.err().contains("DJL sees "), o.err());
    assertTrue(o.err().contains("-Pcuda"), o.err());
    assertFalse(Files.exists(out), "nothing is written");

    o = Cli.run("bench", "--device", "gpu:1", "--runs", "1");
    assertEquals(1, o.code(), o.all());
    assertTrue(o.err().contains("'gpu:1' asks for a GPU"), o.err());
  }

  @Test
  void aMalformedOrTwiceGivenDeviceIsAnError() {
    Cli.Outcome o = Cli.run("run", "kmeans-baselines", "--device", "cuda");
    assertEquals(1, o.code(), o.all());
    assertTrue(o.err().contains("device"), o.err());
    assertTrue(o.err().contains("'cuda' is not a device"), o.err());

    o = Cli.run("run", "kmeans-baselines", "--device", "cpu", "--set", "device=cpu");
    assertEquals(1, o.code(), o.all());
    assertTrue(o.err().contains("--set device and its own option"), o.err());

    o = Cli.run("bench", "--device", "gpu:x");
    assertEquals(1, o.code(), o.all());
    assertTrue(o.err().contains("'gpu:x' is not a device"), o.err());
  }

  @Test
  void engineListsDevicesAndTheLibtorchFlavour() {
    Cli.Outcome o = Cli.run("engine");
    assertEquals(0, o.code(), o.all());
    for (String key :
        new String[] {"devices", "gpu_count", "libtorch_flavour", "usable_gpus", "auto_device"}) {
      assertTrue(o.out().contains(key), o.out());
    }
    assertTrue(o.out().contains(DeviceChoice.libtorchFlavour()), o.out());
  }

  @Test
  void helpNamesTheDevices() {
    for (String command : new String[] {"run", "bench", "predict", "embed"}) {
      Cli.Outcome o = Cli.run(command, "--help");
      assertEquals(0, o.code(), o.all());
      assertTrue(o.out().contains("--device"), o.out());
      assertTrue(o.out().contains("DEEPCLUST_DEVICE"), o.out());
    }
  }
}
