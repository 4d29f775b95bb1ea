package io.deepclust.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Device names, what auto picks, and the errors for a GPU this build cannot use. */
class DeviceChoiceTest {
  private static final DeviceChoice.Seen CPU_BUILD = new DeviceChoice.Seen(0, "cpu");
  private static final DeviceChoice.Seen CPU_BUILD_ON_GPU_MACHINE = new DeviceChoice.Seen(1, "cpu");
  private static final DeviceChoice.Seen CUDA_BUILD_TWO_GPUS = new DeviceChoice.Seen(2, "cu128");
  private static final DeviceChoice.Seen CUDA_BUILD_NO_GPU = new DeviceChoice.Seen(0, "cu128");

  @Test
  void parsesTheFourForms() {
    assertEquals("cpu", DeviceChoice.parse("cpu"));
    assertEquals("gpu:0", DeviceChoice.parse("gpu"));
    assertEquals("gpu:3", DeviceChoice.parse(" GPU:3 "));
    assertEquals("auto", DeviceChoice.parse("auto"));
    for (String bad : new String[] {"cuda", "gpu:", "gpu:-1", "gpu0", "", "tpu"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> DeviceChoice.parse(bad), bad);
      assertTrue(e.getMessage().contains(DeviceChoice.FORMS), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> DeviceChoice.parse(null));
  }

  @Test
  void autoTakesAGpuOnlyWhenThisBuildCanUseIt() {
    assertEquals(Device.cpu(), DeviceChoice.resolve("auto", CPU_BUILD));
    // the CPU libtorch cannot run on the GPU CUDA reports
    assertEquals(Device.cpu(), DeviceChoice.resolve("auto", CPU_BUILD_ON_GPU_MACHINE));
    assertEquals(Device.gpu(0), DeviceChoice.resolve("auto", CUDA_BUILD_TWO_GPUS));
    assertEquals(Device.cpu(), DeviceChoice.resolve("auto", CUDA_BUILD_NO_GPU));
    assertEquals(Device.gpu(1), DeviceChoice.resolve("gpu:1", CUDA_BUILD_TWO_GPUS));
    assertEquals(Device.cpu(), DeviceChoice.resolve("cpu", CUDA_BUILD_TWO_GPUS));
    assertEquals("gpu:1", DeviceChoice.name(Device.gpu(1)));
    assertEquals("cpu", DeviceChoice.name(Device.cpu()));
  }

  @Test
  void aGpuThisBuildCannotUseIsAnErrorNamingWhatDjlSeesAndTheBuild() {
    String cpuBuild =
        assertThrows(IllegalArgumentException.class, () -> DeviceChoice.resolve("gpu", CPU_BUILD))
            .getMessage();
    assertTrue(cpuBuild.contains("'gpu:0' asks for a GPU"), cpuBuild);
    assertTrue(cpuBuild.contains("DJL sees 0 GPUs"), cpuBuild);
    assertTrue(cpuBuild.contains("of flavour cpu"), cpuBuild);
    assertTrue(cpuBuild.contains("-Pcuda"), cpuBuild);
    assertTrue(cpuBuild.contains("--device cpu"), cpuBuild);

    String onGpuMachine =
        assertThrows(
                IllegalArgumentException.class,
                () -> DeviceChoice.resolve("gpu", CPU_BUILD_ON_GPU_MACHINE))
            .getMessage();
    assertTrue(onGpuMachine.contains("DJL sees 1 GPU "), onGpuMachine);
    assertTrue(onGpuMachine.contains("-Pcuda"), onGpuMachine);

    String noGpu =
        assertThrows(
                IllegalArgumentException.class,
                () -> DeviceChoice.resolve("gpu:0", CUDA_BUILD_NO_GPU))
            .getMessage();
    assertTrue(noGpu.contains("no GPU is visible"), noGpu);

    String third =
        assertThrows(
                IllegalArgumentException.class,
                () -> DeviceChoice.resolve("gpu:2", CUDA_BUILD_TWO_GPUS))
            .getMessage();
    assertTrue(third.contains("asks for GPU 2"), third);
    assertTrue(third.contains("use gpu:0 to gpu:1"), third);
  }

  @Test
  void theEnvironmentGivesTheDefaultForAuto() {
    Map<String, String> env = Map.of(DeviceChoice.ENV, "gpu:1");
    assertEquals(
        new DeviceChoice.Request("cpu", "--device"), DeviceChoice.request("cpu", "--device", env));
    assertEquals(
        new DeviceChoice.Request("gpu:1", DeviceChoice.ENV),
        DeviceChoice.request("auto", "recipe", env));
    assertEquals(
        new DeviceChoice.Request("gpu:1", DeviceChoice.ENV),
        DeviceChoice.request(null, "recipe", env));
    assertEquals(
        new DeviceChoice.Request("auto", "default"),
        DeviceChoice.request("auto", "recipe", Map.of()));
    assertEquals(
        new DeviceChoice.Request("auto", "default"),
        DeviceChoice.request(null, "recipe", Map.of()));
    String bad =
        assertThrows(
                IllegalArgumentException.class,
                () -> DeviceChoice.request("auto", "recipe", Map.of(DeviceChoice.ENV, "cuda")))
            .getMessage();
    assertTrue(bad.startsWith("DEEPCLUST_DEVICE: 'cuda' is not a device"), bad);
  }

  @Test
  void thisBuildsLibtorchAndGpus() {
    DeviceChoice.Seen seen = DeviceChoice.seen();
    // the default build ships the CPU libtorch; -Pcuda the cu128 one
    assertTrue(seen.flavour().equals("cpu") || seen.flavour().startsWith("cu"), seen.flavour());
    assertEquals("2.7.1", DeviceChoice.libtorchVersion());
    assertEquals(Device.cpu(), DeviceChoice.resolve("cpu"));
    if (seen.usableGpus() == 0) {
      String m =
          assertThrows(IllegalArgumentException.class, () -> DeviceChoice.resolve("gpu"))
              .getMessage();
      assertTrue(m.contains("DJL sees " + seen.gpuCount() + " GPU"), m);
      assertEquals(Device.cpu(), DeviceChoice.resolve("auto"));
    } else {
      assertEquals(Device.gpu(0), DeviceChoice.resolve("auto"));
    }
  }
}
