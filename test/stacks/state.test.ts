/// <reference types="cdktf/lib/testing/adapters/jest" />
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, TerraformOutput, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { dev } from "../../config/environments";
import { Network } from "../../constructs/network/network";
import { PlatformStack } from "../../stacks/platform-stack";
import type { S3StateConfig } from "../../constructs/stacks/state";
import { configureState } from "../../stacks/state";
import { synthJson, testStack } from "../fixtures";

const S3: S3StateConfig = { backend: "s3", bucket: "acme-terraform-state", region: "eu-west-1" };

describe("state", () => {
  it("defaults to local state: no backend block, cdktf's local default", () => {
    const stack = testStack("platform-dev");
    expect(configureState(stack, { region: "eu-west-1" }, {})).toBeUndefined();
    expect(synthJson(stack).terraform.backend).toBeUndefined();
  });

  it("S3 from typed config: encrypted, native lock file, one key per stack and environment", () => {
    const stack = testStack("platform-dev");
    configureState(stack, { region: "eu-west-1", state: S3 }, {});
    expect(synthJson(stack).terraform.backend).toEqual({
      s3: {
        bucket: "acme-terraform-state",
        key: "eks-platform/platform-dev.tfstate",
        region: "eu-west-1",
        encrypt: true,
        use_lockfile: true,
      },
    });
  });

  it("S3 from environment variables, over the config, with a key prefix and a KMS key", () => {
    const stack = testStack("workloads-prod");
    configureState(
      stack,
      { region: "eu-west-1" },
      {
        PLATFORM_STATE_BUCKET: "other-state",
        PLATFORM_STATE_REGION: "eu-central-1",
        PLATFORM_STATE_KEY_PREFIX: "teams/platform",
        PLATFORM_STATE_KMS_KEY_ARN: "arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      },
    );
    expect(synthJson(stack).terraform.backend.s3).toMatchObject({
      bucket: "other-state",
      key: "teams/platform/workloads-prod.tfstate",
      region: "eu-central-1",
      encrypt: true,
      kms_key_id: "arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      use_lockfile: true,
    });
  });

  it("PlatformStack takes its state from config.state", () => {
    const stack = new PlatformStack(
      new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "state-")) }),
      "platform-dev",
      {
        ...dev,
        state: S3,
      },
    );
    expect(synthJson(stack).terraform.backend.s3.key).toBe("eks-platform/platform-dev.tfstate");
  });

  it("a consumer stack reads the producer's outputs through terraform_remote_state with the same S3 bucket and key", () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "state-"));
    try {
      const app = new App({ outdir });
      const producer = new TerraformStack(app, "platform-dev");
      new AwsProvider(producer, "aws", { region: "eu-west-1" });
      configureState(producer, { region: "eu-west-1", state: S3 }, {});
      const network = new Network(producer, "network", {
        name: "dev",
        availabilityZones: ["eu-west-1a", "eu-west-1b"],
        natGateways: "single",
        flowLogs: false,
      });
      const consumer = new TerraformStack(app, "workloads-dev");
      new AwsProvider(consumer, "aws", { region: "eu-west-1" });
      configureState(consumer, { region: "eu-west-1", state: S3 }, {});
      new TerraformOutput(consumer, "vpc_id", { value: network.vpcId });
      app.synth();

      const read = (id: string) => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", id, "cdk.tf.json"), "utf8"));
      const remote = read("workloads-dev").data.terraform_remote_state;
      const [state] = Object.values<any>(remote);
      expect(state.backend).toBe("s3");
      expect(state.config).toMatchObject({
        bucket: "acme-terraform-state",
        key: "eks-platform/platform-dev.tfstate",
        region: "eu-west-1",
        encrypt: true,
      });
      expect(read("workloads-dev").terraform.backend.s3.key).toBe("eks-platform/workloads-dev.tfstate");
      expect(Object.keys(read("platform-dev").output)).toHaveLength(1);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  it("throws when the bucket is not an S3 bucket name", () => {
    expect(() =>
      configureState(testStack("platform-dev"), { region: "eu-west-1", state: { ...S3, bucket: "Acme_State" } }, {}),
    ).toThrow(
      "Stack 'platform-dev': state.bucket \"Acme_State\" is not an S3 bucket name; use 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit",
    );
  });

  it("throws naming the environment variable when that is where the bad value came from", () => {
    expect(() =>
      configureState(testStack("platform-dev"), { region: "eu-west-1" }, { PLATFORM_STATE_BUCKET: "x" }),
    ).toThrow("Stack 'platform-dev': PLATFORM_STATE_BUCKET \"x\" is not an S3 bucket name");
  });

  it("throws when the key prefix has a leading or trailing slash", () => {
    expect(() =>
      configureState(testStack("platform-dev"), { region: "eu-west-1", state: { ...S3, keyPrefix: "/state/" } }, {}),
    ).toThrow(/Stack 'platform-dev': state.keyPrefix "\/state\/" is not a state key prefix; use path segments/);
  });

  it("throws when the KMS key is an alias", () => {
    expect(() =>
      configureState(
        testStack("platform-dev"),
        { region: "eu-west-1", state: { ...S3, kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:alias/state" } },
        {},
      ),
    ).toThrow(
      "Stack 'platform-dev': state.kmsKeyArn \"arn:aws:kms:eu-west-1:123456789012:alias/state\" is not a KMS key ARN; use arn:aws:kms:<region>:<12-digit account>:key/<key id> (a key ARN, not an alias)",
    );
  });

  it("throws when a state variable is set without a bucket (it would be silently ignored)", () => {
    expect(() =>
      configureState(testStack("platform-dev"), { region: "eu-west-1" }, { PLATFORM_STATE_REGION: "eu-west-1" }),
    ).toThrow(
      "Stack 'platform-dev': PLATFORM_STATE_REGION \"eu-west-1\" is set but the state is local (no PLATFORM_STATE_BUCKET and no state.bucket in the config); set PLATFORM_STATE_BUCKET to use S3 state, or unset PLATFORM_STATE_REGION",
    );
  });

  it("throws when the backend is not one this app knows", () => {
    expect(() =>
      configureState(
        testStack("platform-dev"),
        { region: "eu-west-1", state: { backend: "gcs" } as unknown as S3StateConfig },
        {},
      ),
    ).toThrow('Stack \'platform-dev\': state.backend "gcs" is not a state backend; use "local" or "s3"');
  });

  it("throws when the region is not a region name", () => {
    expect(() =>
      configureState(testStack("platform-dev"), { region: "eu-west-1", state: { ...S3, region: "eu-west-1a" } }, {}),
    ).toThrow(
      'Stack \'platform-dev\': state.region "eu-west-1a" is not an AWS region name; use the bucket\'s region, e.g. "eu-west-1"',
    );
  });
});
