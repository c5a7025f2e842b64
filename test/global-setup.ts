import { useRunTempDir } from "./temp-dir";

/** Before the workers start: the run's temporary files go to a folder of its own (test/temp-dir.ts). */
export default function globalSetup(): void {
  useRunTempDir();
}
