package io.deepclust.viz;

/**
 * Switches AWT to headless mode before the first chart or image is drawn, so plots render on
 * servers and CI machines without a display.
 */
final class Headless {
  private Headless() {}

  static {
    // Only when the user has not decided: an explicit -Djava.awt.headless=false (e.g. a desktop
    // viewer) stays respected.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /** Runs the static initialiser above; call before touching any AWT class. */
  static void ensure() {
    // the work happens once, in the static initialiser
  }
}
