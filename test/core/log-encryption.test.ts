/// <reference types="cdktf/lib/testing/adapters/jest" />
import { TerraformStack } from "cdktf";
import { EksCluster, EksClusterOptions } from "../../constructs/eks/cluster";
import { NetworkProps } from "../../constructs/network/network";
import { ADMIN_ARN, resourcesOf, testNetwork, testStack } from "../fixtures";

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

function setup(cluster: Partial<EksClusterOptions> = {}, network: Partial<NetworkProps> = {}): TerraformStack {
  const stack = testStack();
  new EksCluster(stack, "eks", { name: "test", network: testNetwork(stack, network), admins: [ADMIN_ARN], ...cluster });
  return stack;
}

const logGroups = (stack: TerraformStack) => Object.values(resourcesOf(stack, "aws_cloudwatch_log_group")) as any[];
const keys = (stack: TerraformStack) => resourcesOf(stack, "aws_kms_key");

describe("log group encryption", () => {
  it("encrypts the control-plane and flow-log groups by default, each with a rotated, retained key of its own", () => {
    const stack = setup();
    expect(logGroups(stack).map((g) => g.kms_key_id)).toEqual([
      "${aws_kms_key.eks_log-key_889FE009.arn}",
      "${aws_kms_key.network_flow-logs_kms-key_5A177FC3.arn}",
    ]);
    for (const id of ["network_flow-logs_kms-key_5A177FC3", "eks_log-key_889FE009"]) {
      expect(keys(stack)[id]).toMatchObject({
        enable_key_rotation: true,
        deletion_window_in_days: 30,
        lifecycle: { prevent_destroy: true },
      });
    }
  });

  it("key policy: the account administers the key; CloudWatch Logs of the region uses it for its log group only; account from a role ARN", () => {
    const stack = setup();
    const cluster = keys(stack)["eks_log-key_889FE009"].policy as string;
    // No data source: the account id is split out of the cluster role's ARN at apply time.
    const account = '${element(split(":", aws_iam_role.eks_cluster-role_F63B2DEE.arn), 4)}';
    expect(cluster).toContain(`"AWS" = "arn:aws:iam::${account}:root"}, "Action" = "kms:*", "Resource" = "*"`);
    expect(cluster).toContain('"Service" = "logs.eu-west-1.amazonaws.com"');
    expect(cluster).toContain(
      `"kms:EncryptionContext:aws:logs:arn" = "arn:aws:logs:eu-west-1:${account}:log-group:/aws/eks/test/cluster"`,
    );
    const flow = keys(stack)["network_flow-logs_kms-key_5A177FC3"].policy as string;
    expect(flow).toContain(
      '"kms:EncryptionContext:aws:logs:arn" = "arn:aws:logs:eu-west-1:${element(split(":", aws_iam_role.network_flow-logs_role_C8CB1372.arn), 4)}:log-group:/aws/vpc/flow-logs/test-*"',
    );
    expect(resourcesOf(stack, "data")).toEqual({});
  });

  it("lets the keys go with their log groups when those are destroyable", () => {
    const stack = setup({ logGroupRemovalPolicy: "destroy" }, { flowLogs: { removalPolicy: "destroy" } });
    for (const key of Object.values(keys(stack)) as any[]) {
      if (key.description.includes("Secrets")) continue;
      expect(key.lifecycle).toBeUndefined();
    }
  });

  it("uses your key, or none when asked", () => {
    const own = setup({ logKmsKeyArn: KEY }, { flowLogs: { kmsKeyArn: KEY } });
    expect(logGroups(own).map((g) => g.kms_key_id)).toEqual([KEY, KEY]);
    expect(Object.keys(keys(own))).toEqual(["eks_secrets-key_5FDBA834"]);
    const none = setup({ createLogKmsKey: false }, { flowLogs: { createKmsKey: false } });
    expect(logGroups(none).map((g) => g.kms_key_id)).toEqual([undefined, undefined]);
    // No control-plane logging: no key for it.
    expect(Object.keys(keys(setup({ clusterLogTypes: [] })))).not.toContain("eks_log-key_889FE009");
  });

  it("throws when a created key and your own key are both asked for, or the key ARN is not one", () => {
    expect(() => setup({ logKmsKeyArn: KEY, createLogKmsKey: true })).toThrow(
      "EksCluster 'eks': createLogKmsKey true can't be given together with logKmsKeyArn; remove one: logKmsKeyArn uses your key, createLogKmsKey creates one",
    );
    expect(() => setup({}, { flowLogs: { kmsKeyArn: KEY, createKmsKey: true } })).toThrow(
      "VpcFlowLogs 'flow-logs': createKmsKey true can't be given together with kmsKeyArn; remove one: kmsKeyArn uses your key, createKmsKey creates one",
    );
    expect(() => setup({ logKmsKeyArn: "alias/logs" })).toThrow(
      `EksCluster 'eks': logKmsKeyArn "alias/logs" is not a KMS key ARN; use arn:aws:kms:<region>:<account>:key/<key id> of a key whose policy lets CloudWatch Logs use it`,
    );
  });

  it("the flow log waits for its role's policy", () => {
    const flowLog = Object.values(resourcesOf(setup(), "aws_flow_log"))[0];
    expect(flowLog.depends_on).toEqual(["aws_iam_role_policy.network_flow-logs_role-policy_D0B5B03E"]);
  });
});
