import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App } from "cdktf";
import { buildApp } from "../../main";

// Reviewed snapshots of every stack of every environment, as `npm run synth` writes them
// (the whole app, so cross-stack references are the outputs and remote state cdktf wires).
// Assertions on what matters live in the per-construct and per-stack tests; a change here
// is read line by line before it is recorded (see CONTRIBUTING.md).
describe("the default app's stacks", () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "default-app-"));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
  buildApp(new App({ outdir }), ["dev", "prod"]).synth();

  it.each(["platform-dev", "workloads-dev", "platform-prod", "workloads-prod"])(
    "%s matches the reviewed snapshot",
    (id) => {
      // Local state paths are absolute (cdktf's local backend): the checkout's path is not part of the snapshot.
      const text = fs.readFileSync(path.join(outdir, "stacks", id, "cdk.tf.json"), "utf8");
      const json = JSON.parse(text.split(path.resolve(__dirname, "..", "..")).join("<project>"));
      // cdktf's metadata block names the outdir and version: not part of what is deployed.
      delete json["//"];
      expect(json).toMatchSnapshot();
    },
  );
});
