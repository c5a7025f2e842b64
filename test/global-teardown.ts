import { baseTempDir, removeRunTempDir, removeStaleTempDirs } from "./temp-dir";

/** After the run: its temporary files, and those of earlier runs that were killed before this point. */
export default function globalTeardown(): void {
  const base = baseTempDir();
  removeRunTempDir();
  removeStaleTempDirs(base);
}
