package io.deepclust.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Platform;
import org.junit.jupiter.api.Test;

class NativeMemoryTest {

  /** On Linux/glibc (the supported platform) the settings are accepted; the call is idempotent. */
  @Test
  void retainsFreedMemoryOnceOnLinux() {
    boolean first = NativeMemory.retainFreedMemory();
    assertEquals(first, NativeMemory.retainFreedMemory());
    assertEquals(first, NativeMemory.isRetainingFreedMemory());
    if (Platform.isLinux()) {
      assertTrue(first, "mallopt accepted by glibc");
    }
  }
}
