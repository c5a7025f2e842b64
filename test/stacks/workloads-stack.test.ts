import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App } from "cdktf";
import { dev, PlatformConfig, prod } from "../../config/environments";
import { PlatformStack } from "../../stacks/platform-stack";
import { EXEC_API_VERSION, WorkloadsStack } from "../../stacks/workloads-stack";
import { warningsOf } from "../fixtures";

interface Synthesized {
  platform: PlatformStack;
  workloads: WorkloadsStack;
  /** cdk.tf.json of each stack, by stack id. */
  json: Record<string, any>;
  manifest: any;
}

/**
 * Synthesizes a platform and its workloads stack as one app. Cross-stack references only
 * become outputs and terraform_remote_state when the whole app synthesizes (a single stack's
 * Testing.synth leaves them as plain references).
 */
function synthEnv(config: PlatformConfig): Synthesized {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "workloads-stack-"));
  try {
    const app = new App({ outdir, skipValidation: true });
    const platform = new PlatformStack(app, `platform-${config.environment}`, config);
    const workloads = new WorkloadsStack(app, `workloads-${config.environment}`, {
      cluster: platform.cluster,
      region: config.region,
      tags: config.tags,
    });
    app.synth();
    const read = (id: string) => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", id, "cdk.tf.json"), "utf8"));
    return {
      platform,
      workloads,
      json: { [platform.node.id]: read(platform.node.id), [workloads.node.id]: read(workloads.node.id) },
      manifest: JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")),
    };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

const REMOTE = "data.terraform_remote_state.cross-stack-reference-input-platform-dev.outputs.cross-stack-output-";

describe("WorkloadsStack", () => {
  const devEnv = synthEnv(dev);
  const workloadsJson = devEnv.json["workloads-dev"];

  it("the kubernetes and helm providers authenticate with aws eks get-token (exec), never a stored token", () => {
    const exec = {
      api_version: EXEC_API_VERSION,
      command: "aws",
      args: ["eks", "get-token", "--cluster-name", "platform-dev", "--region", "eu-west-1", "--output", "json"],
    };
    const [kubernetes] = workloadsJson.provider.kubernetes;
    const [helm] = workloadsJson.provider.helm;
    expect(kubernetes.exec).toEqual([exec]);
    expect(helm.kubernetes.exec).toEqual(exec);
    for (const connection of [kubernetes, helm.kubernetes]) {
      expect(Object.keys(connection).sort()).toEqual(["cluster_ca_certificate", "exec", "host"]);
      expect(connection.host).toMatch(
        new RegExp(`^\\$\\{${REMOTE.replace(/\./g, "\\.")}aws_eks_cluster\\w+endpoint\\}$`),
      );
      expect(connection.cluster_ca_certificate).toMatch(
        /^\$\{base64decode\(data\.terraform_remote_state\.[\w-]+\.outputs\.[\w-]+certificate_authority0data\)\}$/,
      );
    }
    // No data source reads a token at plan time.
    expect(workloadsJson.data.aws_eks_cluster_auth).toBeUndefined();
    expect(JSON.stringify(workloadsJson)).not.toMatch(/"token"/);
  });

  it("an AWS provider for workload IAM, with the platform's region and default tags", () => {
    expect(workloadsJson.provider.aws).toEqual([
      { region: "eu-west-1", default_tags: [{ tags: { environment: "dev", "managed-by": "cdktf" } }] },
    ]);
  });

  it("reads the cluster through cross-stack references: platform outputs, remote state here", () => {
    expect(Object.keys(workloadsJson.data.terraform_remote_state)).toEqual([
      "cross-stack-reference-input-platform-dev",
    ]);
    const outputs = Object.keys(devEnv.json["platform-dev"].output).filter((o) => o.startsWith("cross-stack-output-"));
    expect(outputs.map((o) => o.replace(/_[0-9A-F]{8}/, "_<hash>")).sort()).toEqual([
      // The ARN: Pod Identity trust policies require the session tag eks-cluster-arn.
      "cross-stack-output-aws_eks_clustercluster_<hash>arn",
      "cross-stack-output-aws_eks_clustercluster_<hash>certificate_authority0data",
      "cross-stack-output-aws_eks_clustercluster_<hash>endpoint",
      "cross-stack-output-aws_eks_clustercluster_<hash>name",
      "cross-stack-output-aws_vpcnetwork_vpc_<hash>id",
    ]);
    // The cluster and the workloads never share a stack.
    expect(workloadsJson.resource.aws_eks_cluster).toBeUndefined();
    expect(devEnv.json["platform-dev"].provider.kubernetes).toBeUndefined();
    expect(devEnv.json["platform-dev"].provider.helm).toBeUndefined();
  });

  it("is deployed after its platform stack", () => {
    expect(devEnv.workloads.dependencies).toEqual([devEnv.platform]);
    expect(devEnv.manifest.stacks["workloads-dev"].dependencies).toEqual(["platform-dev"]);
    expect(devEnv.manifest.stacks["platform-dev"].dependencies).toEqual([]);
  });

  it("dev (public endpoint, allowlisted) synthesizes without warnings", () => {
    expect(devEnv.workloads.endpointWarning).toBe(false);
    expect(warningsOf(devEnv.workloads)).toEqual([]);
  });

  it("prod (private endpoint) warns at synth where the deploy must run from", () => {
    const prodEnv = synthEnv(prod);
    expect(prodEnv.workloads.endpointWarning).toBe(true);
    const warnings = warningsOf(prodEnv.workloads);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^EKS cluster "platform-prod" has a private-only API endpoint, so workloads-prod deploys only from a machine in its VPC \(10\.20\.0\.0\/16 in eu-west-1\) or a network routed into it, and only from what the endpoint admits: the VPC 10\.20\.0\.0\/16 /,
    );
    // prod has a system node group too: both controllers, and the same IAM as dev.
    expect(prodEnv.workloads.controllers.clusterAutoscaler).toBeDefined();
  });

  it("managed clusters get the load balancer controller and the autoscaler", () => {
    const c = devEnv.workloads.controllers;
    expect(c.loadBalancerController).toBeDefined();
    expect(c.clusterAutoscaler).toBeDefined();
    expect(devEnv.workloads.loadBalancing).toBe(c.loadBalancerController);
    expect(Object.keys(workloadsJson.resource).sort()).toEqual([
      "aws_eks_pod_identity_association",
      "aws_iam_role",
      "aws_iam_role_policy",
      "helm_release",
    ]);
  });

  it("an Auto Mode platform gets Auto Mode's IngressClass and network policy ConfigMap, no controllers", () => {
    const auto = synthEnv({ ...dev, cluster: { ...dev.cluster, computeMode: "auto" }, nodeGroups: {} });
    const json = auto.json["workloads-dev"];
    expect(Object.keys(json.resource).sort()).toEqual([
      "helm_release",
      "kubernetes_config_map_v1",
      "kubernetes_ingress_class_v1",
    ]);
    expect(auto.workloads.loadBalancing?.albIngressClassName).toBe("alb");
    expect(auto.workloads.loadBalancing?.nlbLoadBalancerClass).toBe("eks.amazonaws.com/nlb");
  });

  it("dev's workloads stack matches the reviewed snapshot", () => {
    // The local backend and remote state paths are absolute: make them machine-independent.
    const text = JSON.stringify(workloadsJson, null, 2).split(process.cwd()).join("<cwd>");
    expect(JSON.parse(text)).toMatchSnapshot();
  });
});
