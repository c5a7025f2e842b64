/// <reference types="cdktf/lib/testing/adapters/jest" />
import { TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { EksFargateProfile } from "@cdktf/provider-aws/lib/eks-fargate-profile";
import { Network } from "../../constructs/network/network";
import {
  FargateProfile,
  FargateProfileOptions,
  fargateProfilesOf,
  selectorMatchesNamespace,
} from "../../constructs/eks/fargate-profile";
import { FakeCluster, resourcesOf, synthJson, testNetwork, testStack } from "../fixtures";

let stack: TerraformStack;
let network: Network;
let cluster: FakeCluster;
beforeEach(() => {
  stack = testStack();
  network = testNetwork(stack);
  cluster = new FakeCluster(stack, "cluster", network);
});

const profiles = () => Object.entries(resourcesOf(stack, "aws_eks_fargate_profile"));

let attempt = 0;
/** Each bad input gets its own scope, so a test can try several with the same id. */
const attemptProfile = (options: FargateProfileOptions) =>
  new FargateProfile(new Construct(stack, `attempt-${attempt++}`), "apps", { cluster, ...options });

describe("FargateProfile", () => {
  it("defaults: private subnets, a pod execution role limited to this cluster's profiles, waits for compute dependencies", () => {
    const profile = new FargateProfile(stack, "apps", {
      cluster,
      selectors: [{ namespace: "apps" }, { namespace: "jobs", labels: { "example.com/fargate": "true" } }],
    });
    const synth = Testing.synth(stack);
    expect(synth).toHaveResourceWithProperties(EksFargateProfile, {
      cluster_name: "test",
      fargate_profile_name: "apps",
      selector: [{ namespace: "apps" }, { namespace: "jobs", labels: { "example.com/fargate": "true" } }],
    });
    const [[, p]] = profiles();
    expect(p.subnet_ids).toEqual([
      expect.stringMatching(/^\$\{aws_subnet\.network_private-subnet-eu-west-1a_\w+\.id\}$/),
      expect.stringMatching(/^\$\{aws_subnet\.network_private-subnet-eu-west-1b_\w+\.id\}$/),
    ]);
    expect(profile.subnets.map((s) => s.tier)).toEqual(["private", "private"]);

    const [roleKey, role] = Object.entries(resourcesOf(stack, "aws_iam_role")).find(([k]) => k.startsWith("apps"))!;
    expect(p.pod_execution_role_arn).toBe(`\${aws_iam_role.${roleKey}.arn}`);
    expect(role.name_prefix).toBe("test-apps-fargate-");
    // jsonencode(...) with the SourceArn condition derived from the cluster ARN.
    expect(role.assume_role_policy).toContain('"Service" = "eks-fargate-pods.amazonaws.com"');
    expect(role.assume_role_policy).toContain(
      '"aws:SourceArn" = "${replace("arn:aws:eks:eu-west-1:123456789012:cluster/test", ":cluster/", ":fargateprofile/")}/*"',
    );
    const [attachKey, attachment] = Object.entries(resourcesOf(stack, "aws_iam_role_policy_attachment")).find(([k]) =>
      k.startsWith("apps"),
    )!;
    expect(attachment.policy_arn).toBe("arn:aws:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy");
    expect([...p.depends_on].sort()).toEqual(
      [
        `aws_eks_addon.${Object.keys(resourcesOf(stack, "aws_eks_addon"))[0]}`,
        `aws_iam_role_policy_attachment.${attachKey}`,
      ].sort(),
    );

    expect(cluster.registered).toEqual([
      { compute: profile.profile, kind: "fargate", nodeRoleArn: profile.podExecutionRoleArn },
    ]);
    // Its pod execution role pulls images: recorded apart from the node roles.
    expect(cluster.podExecutionRoleArns).toEqual([profile.podExecutionRoleArn]);
    expect(cluster.nodeRoleArns).toEqual([]);
    expect(profile.includeCoreDns).toBe(false);
  });

  it("fargateProfilesOf lists a cluster's profiles in creation order (for ServiceAccountRole's Fargate check)", () => {
    expect(fargateProfilesOf(cluster)).toEqual([]);
    const a = new FargateProfile(stack, "a", { cluster, selectors: [{ namespace: "a" }] });
    const b = new FargateProfile(stack, "b", { cluster, selectors: [{ namespace: "b" }] });
    expect(fargateProfilesOf(cluster)).toEqual([a, b]);
    // Per cluster; a profile that fails validation is not listed.
    const otherCluster = new FakeCluster(stack, "other", network);
    expect(() => new FargateProfile(stack, "bad", { cluster: otherCluster, selectors: [] })).toThrow(/selectors/);
    expect(fargateProfilesOf(otherCluster)).toEqual([]);
  });

  it("selectorMatchesNamespace: exact names and the * and ? wildcards, whole name only", () => {
    const matches = (pattern: string, ns: string) => selectorMatchesNamespace({ namespace: pattern }, ns);
    expect(matches("apps", "apps")).toBe(true);
    expect(matches("apps", "apps-2")).toBe(false);
    expect(matches("team-*", "team-a")).toBe(true);
    expect(matches("team-*", "team-")).toBe(true);
    expect(matches("team-*", "xteam-a")).toBe(false);
    expect(matches("team-?", "team-a")).toBe(true);
    expect(matches("team-?", "team-ab")).toBe(false);
    expect(matches("*", "kube-system")).toBe(true);
    expect(matches("a.b", "axb")).toBe(false);
  });

  it("includeCoreDns adds the kube-system / k8s-app=kube-dns selector", () => {
    new FargateProfile(stack, "system", { cluster, selectors: [], includeCoreDns: true });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(EksFargateProfile, {
      selector: [{ namespace: "kube-system", labels: { "k8s-app": "kube-dns" } }],
    });
    expect(FargateProfile.corednsSelector()).toEqual({ namespace: "kube-system", labels: { "k8s-app": "kube-dns" } });
  });

  it("chains profiles of one cluster, since EKS changes one Fargate profile at a time", () => {
    new FargateProfile(stack, "first", { cluster, selectors: [{ namespace: "a" }] });
    new FargateProfile(stack, "second", { cluster, selectors: [{ namespace: "b" }] });
    const byName = Object.fromEntries(profiles().map(([key, p]) => [p.fargate_profile_name, { key, p }]));
    expect(byName.second.p.depends_on).toContain(`aws_eks_fargate_profile.${byName.first.key}`);
    expect(byName.first.p.depends_on.some((d: string) => d.startsWith("aws_eks_fargate_profile."))).toBe(false);
  });

  it("uses a passed-in pod execution role and accepts wildcard namespaces", () => {
    const podExecutionRole = { roleArn: "arn:aws:iam::123456789012:role/fargate-pods", roleName: "fargate-pods" };
    const profile = new FargateProfile(stack, "teams", {
      cluster,
      selectors: [{ namespace: "team-*" }],
      podExecutionRole,
      fargateProfileName: "teams_v2",
    });
    const [[, p]] = profiles();
    expect(p.pod_execution_role_arn).toBe(podExecutionRole.roleArn);
    expect(p.fargate_profile_name).toBe("teams_v2");
    expect(p.selector).toEqual([{ namespace: "team-*" }]);
    expect(Object.keys(resourcesOf(stack, "aws_iam_role")).filter((k) => k.startsWith("teams"))).toEqual([]);
    expect(profile.podExecutionRoleArn).toBe(podExecutionRole.roleArn);
    expect(profile.createdPodExecutionRole).toBeUndefined();
  });

  it("runs in intra subnets or explicit private subnets when asked", () => {
    const stack2 = testStack();
    const net2 = testNetwork(stack2, { intraSubnets: true });
    const cluster2 = new FakeCluster(stack2, "cluster", net2);
    expect(
      new FargateProfile(stack2, "isolated", {
        cluster: cluster2,
        selectors: [{ namespace: "x" }],
        subnetTier: "intra",
      }).subnets.map((s) => s.tier),
    ).toEqual(["intra", "intra"]);
    const one = net2.subnetsOf("private").slice(1);
    expect(
      new FargateProfile(stack2, "pinned", { cluster: cluster2, selectors: [{ namespace: "y" }], subnets: one })
        .subnets,
    ).toEqual(one);
  });

  it("puts permissionsBoundaryArn on the created pod execution role", () => {
    const boundary = "arn:aws:iam::123456789012:policy/fargate-boundary";
    new FargateProfile(stack, "apps", {
      cluster,
      selectors: [{ namespace: "apps" }],
      permissionsBoundaryArn: boundary,
    });
    const [, role] = Object.entries(resourcesOf(stack, "aws_iam_role")).find(([k]) => k.startsWith("apps"))!;
    expect(role.permissions_boundary).toBe(boundary);
  });

  it("attaches the pod execution policy in the partition of the network's region (aws-cn)", () => {
    const cnStack = testStack();
    const cnCluster = new FakeCluster(
      cnStack,
      "cluster",
      testNetwork(cnStack, { availabilityZones: ["cn-north-1a", "cn-north-1b"] }),
    );
    new FargateProfile(cnStack, "apps", { cluster: cnCluster, selectors: [{ namespace: "apps" }] });
    const [, attachment] = Object.entries(resourcesOf(cnStack, "aws_iam_role_policy_attachment")).find(([k]) =>
      k.startsWith("apps"),
    )!;
    expect(attachment.policy_arn).toBe("arn:aws-cn:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy");
  });

  it("snapshot", () => {
    new FargateProfile(stack, "apps", {
      cluster,
      selectors: [{ namespace: "apps", labels: { tier: "web" } }],
      includeCoreDns: true,
      tags: { team: "platform" },
    });
    const json = synthJson(stack);
    expect(Object.keys(json.resource.aws_eks_fargate_profile)).toHaveLength(1);
    expect(json.resource.aws_eks_fargate_profile).toMatchSnapshot();
    expect(
      Object.fromEntries(Object.entries(json.resource.aws_iam_role).filter(([k]) => k.startsWith("apps"))),
    ).toMatchSnapshot();
  });

  describe("validation", () => {
    it("throws when given public subnets", () => {
      expect(() =>
        attemptProfile({ selectors: [{ namespace: "apps" }], subnets: network.subnetsOf("public") }),
      ).toThrow(
        /^FargateProfile 'apps': subnets\[0\] "10\.0\.[\d.]+\/\d+" is a public subnet; Fargate pods only run in private subnets/,
      );
    });

    it("throws when subnetTier is public", () => {
      expect(() => attemptProfile({ selectors: [{ namespace: "apps" }], subnetTier: "public" })).toThrow(
        /^FargateProfile 'apps': subnetTier "public" is not allowed; Fargate pods only run in private subnets; use subnetTier "private"/,
      );
    });

    it("throws when the tier has no subnets", () => {
      expect(() => attemptProfile({ selectors: [{ namespace: "apps" }], subnetTier: "intra" })).toThrow(
        /subnets \[\] is empty \(the network has no subnets of that tier\)/,
      );
    });

    it("throws when there are too many selectors", () => {
      const selectors = ["a", "b", "c", "d", "e", "f"].map((namespace) => ({ namespace }));
      expect(() => attemptProfile({ selectors })).toThrow(
        /^FargateProfile 'apps': selectors "6 selectors" is outside the 1 to 5 EKS allows per Fargate profile; give 1 to 5 selectors; split the rest into another FargateProfile/,
      );
      const five = ["a", "b", "c", "d", "e"].map((namespace) => ({ namespace }));
      expect(() => attemptProfile({ selectors: five, includeCoreDns: true })).toThrow(
        /selectors "6 selectors \(counting the CoreDNS one\)" is outside the 1 to 5/,
      );
    });

    it("throws when there are no selectors", () => {
      expect(() => attemptProfile({ selectors: [] })).toThrow(/selectors "0 selectors" is outside the 1 to 5/);
    });

    it("throws when a namespace is not a DNS-1123 label", () => {
      expect(() => attemptProfile({ selectors: [{ namespace: "My_Apps" }] })).toThrow(
        /^FargateProfile 'apps': selectors\[0\]\.namespace "My_Apps" is not a Kubernetes namespace name; use 1 to 63 lowercase letters, digits and '-'/,
      );
      expect(() => attemptProfile({ selectors: [{ namespace: "a".repeat(64) }] })).toThrow(
        /is not a Kubernetes namespace name/,
      );
      expect(() => attemptProfile({ selectors: [{ namespace: "apps-" }] })).toThrow(
        /"apps-" is not a Kubernetes namespace name/,
      );
    });

    it("throws when a selector label key is invalid", () => {
      expect(() => attemptProfile({ selectors: [{ namespace: "apps", labels: { "bad key": "x" } }] })).toThrow(
        /^FargateProfile 'apps': selectors\[0\]\.labels key "bad key" is not a valid Kubernetes label key/,
      );
    });

    it("throws when a selector is repeated", () => {
      expect(() => attemptProfile({ selectors: [{ namespace: "apps" }, { namespace: "apps" }] })).toThrow(
        /selectors "apps" is selected twice with the same labels/,
      );
    });

    it("throws when the profile name is invalid", () => {
      expect(() => attemptProfile({ selectors: [{ namespace: "apps" }], fargateProfileName: "-apps" })).toThrow(
        /fargateProfileName "-apps" is not a valid Fargate profile name/,
      );
    });

    it("throws when a boundary is given with a passed-in role", () => {
      expect(() =>
        attemptProfile({
          selectors: [{ namespace: "apps" }],
          podExecutionRole: { roleArn: "arn:aws:iam::123456789012:role/p", roleName: "p" },
          permissionsBoundaryArn: "arn:aws:iam::123456789012:policy/boundary",
        }),
      ).toThrow(
        /permissionsBoundaryArn "arn:aws:iam::123456789012:policy\/boundary" only applies to the role this construct creates/,
      );
    });
  });
});
