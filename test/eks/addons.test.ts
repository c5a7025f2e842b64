/// <reference types="cdktf/lib/testing/adapters/jest" />
import { TerraformStack, Testing } from "cdktf";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import {
  AFTER_COMPUTE_ADDONS,
  BEFORE_COMPUTE_ADDONS,
  KNOWN_ADDONS,
  PRESERVED_ADDONS,
} from "../../constructs/eks/addons";
import { ADDON_VERSIONS_AS_OF, EKS_ADDON_VERSIONS, publishedAddonVersions } from "../../constructs/eks/addon-versions";
import { EksCluster, EksClusterOptions } from "../../constructs/eks/cluster";
import { resourcesOf } from "../fixtures";
import { testCluster } from "./fixtures";

function setup(options: Partial<EksClusterOptions> = {}): { stack: TerraformStack; cluster: EksCluster } {
  return testCluster(options);
}

/** Add-on resources by add-on name. */
function addonsOf(stack: TerraformStack): Record<string, any> {
  return Object.fromEntries(Object.values(resourcesOf(stack, "aws_eks_addon")).map((a: any) => [a.addon_name, a]));
}

const COREDNS_SELECTOR = { namespace: "kube-system", labels: { "k8s-app": "kube-dns" } };

describe("cluster add-ons", () => {
  it("defaults: the six add-ons, at the add-on table's versions where it has them, OVERWRITE on create and update, no configuration but vpc-cni's network policy agent", () => {
    const { stack } = setup();
    const addons = addonsOf(stack);
    expect(Object.keys(addons).sort()).toEqual([...KNOWN_ADDONS].sort());
    for (const addon of Object.values(addons)) {
      expect(addon.cluster_name).toBe("${aws_eks_cluster.eks_cluster_55B0C966.name}");
      expect(addon.resolve_conflicts_on_create).toBe("OVERWRITE");
      expect(addon.resolve_conflicts_on_update).toBe("OVERWRITE");
      // The table's version for the cluster's minor (1.35), and none where the table has no row.
      expect(addon.addon_version).toBe(publishedAddonVersions("1.35", addon.addon_name)?.versions[0]);
      if (addon.addon_name === "vpc-cni")
        expect(JSON.parse(addon.configuration_values)).toEqual({ enableNetworkPolicy: "true" });
      else expect(addon.configuration_values).toBeUndefined();
    }
  });

  it("defaults to NetworkPolicies enforced by the vpc-cni agent; off only when asked, or without vpc-cni", () => {
    expect(setup().cluster.networkPolicyEnforcement).toBe("vpc-cni");
    const off = setup({ addons: { "vpc-cni": { configurationValues: { enableNetworkPolicy: "false" } } } });
    expect(off.cluster.networkPolicyEnforcement).toBe("none");
    expect(JSON.parse(addonsOf(off.stack)["vpc-cni"].configuration_values)).toEqual({ enableNetworkPolicy: "false" });
    expect(setup({ addons: { "vpc-cni": false } }).cluster.networkPolicyEnforcement).toBe("none");
    expect(setup({ computeMode: "auto" }).cluster.networkPolicyEnforcement).toBe("auto-mode");
  });

  it('throws when vpc-cni\'s enableNetworkPolicy is not the string "true" or "false"', () => {
    expect(() => setup({ addons: { "vpc-cni": { configurationValues: { enableNetworkPolicy: true } } } })).toThrow(
      'EksCluster \'eks\': addons["vpc-cni"].configurationValues.enableNetworkPolicy true is not a value the vpc-cni configuration schema accepts (it takes the strings "true" and "false"); use "true" (the default: NetworkPolicies are enforced) or "false"',
    );
  });

  it("makes compute wait for vpc-cni, kube-proxy and the pod identity agent only, not for the access entries", () => {
    const { stack, cluster } = setup({
      access: [{ principalArn: "arn:aws:iam::123456789012:role/dev", policy: "view" }],
    });
    const group = cluster.addNodeGroup("general");
    const profile = cluster.addFargateProfile("batch", { selectors: [{ namespace: "batch" }] });
    const addonResources = cluster.addons.addons;
    const addonAddresses = (["vpc-cni", "kube-proxy", "eks-pod-identity-agent"] as const).map(
      (name) => `aws_eks_addon.${addonResources[name]!.friendlyUniqueId}`,
    );
    const synth = JSON.parse(Testing.synth(stack));
    const groupDeps: string[] = synth.resource.aws_eks_node_group[group.nodeGroup.friendlyUniqueId].depends_on;
    const profileDeps: string[] = synth.resource.aws_eks_fargate_profile[profile.profile.friendlyUniqueId].depends_on;
    for (const deps of [groupDeps, profileDeps]) {
      expect(deps.filter((d) => d.startsWith("aws_eks_addon."))).toEqual(addonAddresses);
      // EKS creates the nodes' own access entries: a mistyped human principal must not hold back compute.
      expect(deps.filter((d) => d.startsWith("aws_eks_access"))).toEqual([]);
    }
    expect(cluster.accessEntries.entries).toHaveLength(2);
    expect(BEFORE_COMPUTE_ADDONS).toEqual(["vpc-cni", "kube-proxy", "eks-pod-identity-agent"]);
    // The pre-compute add-ons wait for nothing but the cluster.
    const addons = addonsOf(stack);
    for (const name of BEFORE_COMPUTE_ADDONS) expect(addons[name].depends_on).toBeUndefined();
  });

  it("makes coredns, aws-ebs-csi-driver and metrics-server wait for every registered compute, including compute added later", () => {
    const { stack, cluster } = setup();
    cluster.addNodeGroup("general");
    cluster.addNodeGroup("spot", { capacityType: "SPOT" });
    cluster.addFargateProfile("batch", { selectors: [{ namespace: "batch" }] });
    const addons = addonsOf(stack);
    for (const name of AFTER_COMPUTE_ADDONS) {
      // The EBS CSI driver also waits for its role's policy (first; see its own test).
      expect(addons[name].depends_on.filter((d: string) => !d.startsWith("aws_iam_role_policy_attachment."))).toEqual([
        ...Object.keys(resourcesOf(stack, "aws_eks_node_group")).map((k) => `aws_eks_node_group.${k}`),
        ...Object.keys(resourcesOf(stack, "aws_eks_fargate_profile")).map((k) => `aws_eks_fargate_profile.${k}`),
      ]);
      expect(addons[name].depends_on).toHaveLength(name === "aws-ebs-csi-driver" ? 4 : 3);
    }
    // Node groups are mixed in, so CoreDNS runs on EC2 as usual.
    expect(addons.coredns.configuration_values).toBeUndefined();
  });

  it("pins versions and renders configuration values as JSON", () => {
    const { stack } = setup({
      addons: {
        "vpc-cni": {
          version: "v1.21.1-eksbuild.1",
          configurationValues: { env: { ENABLE_PREFIX_DELEGATION: "true" } },
        },
        coredns: { version: "v1.14.2-eksbuild.4", configurationValues: { replicaCount: 3 } },
      },
    });
    const synth = Testing.synth(stack);
    expect(synth).toHaveResourceWithProperties(EksAddon, {
      addon_name: "vpc-cni",
      addon_version: "v1.21.1-eksbuild.1",
      // The network policy agent default stays, beside the user's values.
      configuration_values: '{"enableNetworkPolicy":"true","env":{"ENABLE_PREFIX_DELEGATION":"true"}}',
    });
    expect(synth).toHaveResourceWithProperties(EksAddon, {
      addon_name: "coredns",
      addon_version: "v1.14.2-eksbuild.4",
      configuration_values: '{"replicaCount":3}',
    });
  });

  it("leaves out add-ons set to false", () => {
    const { stack } = setup({ addons: { "metrics-server": false, "aws-ebs-csi-driver": false } });
    expect(Object.keys(addonsOf(stack)).sort()).toEqual(["coredns", "eks-pod-identity-agent", "kube-proxy", "vpc-cni"]);
    expect(Object.keys(resourcesOf(stack, "aws_iam_role")).filter((k) => k.includes("ebs"))).toEqual([]);
  });

  it("gives the EBS CSI driver a Pod Identity role with AmazonEBSCSIDriverPolicy through the add-on's own association", () => {
    const { stack, cluster } = setup();
    const ebs = addonsOf(stack)["aws-ebs-csi-driver"];
    expect(ebs.pod_identity_association).toEqual([
      {
        role_arn: "${aws_iam_role.eks_addons_ebs-csi-driver-role_2DC6D04D.arn}",
        service_account: "ebs-csi-controller-sa",
      },
    ]);
    expect(ebs.service_account_role_arn).toBeUndefined();
    const role = resourcesOf(stack, "aws_iam_role")["eks_addons_ebs-csi-driver-role_2DC6D04D"];
    expect(role.assume_role_policy).toMatch(
      /^\$\{jsonencode\(\{"Version" = "2012-10-17", "Statement" = \[\{"Effect" = "Allow", "Principal" = \{"Service" = "pods\.eks\.amazonaws\.com"\}, "Action" = \["sts:AssumeRole", "sts:TagSession"\], "Condition" = \{"StringEquals" = \{"aws:RequestTag\/eks-cluster-arn" = aws_eks_cluster\.\w+\.arn, "aws:RequestTag\/kubernetes-namespace" = "kube-system", "aws:RequestTag\/kubernetes-service-account" = "ebs-csi-controller-sa"\}\}\}\]\}\)\}$/,
    );
    expect(Object.values(resourcesOf(stack, "aws_iam_role_policy_attachment")).map((a: any) => a.policy_arn)).toContain(
      "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
    );
    // No second association: the add-on owns it.
    expect(resourcesOf(stack, "aws_eks_pod_identity_association")).toEqual({});
    expect(cluster.addons.ebsCsiDriverRole?.mechanism).toBe("pod-identity");
    // The add-on waits for the policy attachment, not only for the role.
    expect(ebs.depends_on).toEqual([
      "aws_iam_role_policy_attachment.eks_addons_ebs-csi-driver-role_service-role-AmazonEBSCSIDriverPolicy_73EFDFC7",
    ]);
    expect(
      resourcesOf(stack, "aws_iam_role_policy_attachment")[
        "eks_addons_ebs-csi-driver-role_service-role-AmazonEBSCSIDriverPolicy_73EFDFC7"
      ].policy_arn,
    ).toBe("arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy");
  });

  it("falls back to IRSA for the EBS CSI driver when the pod identity agent is left out", () => {
    const { stack, cluster } = setup({ addons: { "eks-pod-identity-agent": false } });
    const ebs = addonsOf(stack)["aws-ebs-csi-driver"];
    expect(ebs.service_account_role_arn).toBe("${aws_iam_role.eks_addons_ebs-csi-driver-role_2DC6D04D.arn}");
    expect(ebs.pod_identity_association).toBeUndefined();
    const trust = resourcesOf(stack, "aws_iam_role")["eks_addons_ebs-csi-driver-role_2DC6D04D"].assume_role_policy;
    expect(trust).toContain('"Federated" = aws_iam_openid_connect_provider.eks_oidc-provider_07CEC079.arn');
    expect(trust).toContain('"system:serviceaccount:kube-system:ebs-csi-controller-sa"');
    expect(cluster.addons.ebsCsiDriverRole?.mechanism).toBe("irsa");
    expect(ebs.depends_on).toEqual([
      "aws_iam_role_policy_attachment.eks_addons_ebs-csi-driver-role_service-role-AmazonEBSCSIDriverPolicy_73EFDFC7",
    ]);
  });

  it('vpc-cni ownRole "irsa": an IRSA role for kube-system/aws-node with AmazonEKS_CNI_Policy, passed as service_account_role_arn', () => {
    const { stack, cluster } = setup({ addons: { "vpc-cni": { ownRole: "irsa" } } });
    const cni = addonsOf(stack)["vpc-cni"];
    const roleKey = "eks_addons_vpc-cni-role_80ED1B33";
    expect(Object.keys(resourcesOf(stack, "aws_iam_role"))).toContain(roleKey);
    expect(cni.service_account_role_arn).toBe(`\${aws_iam_role.${roleKey}.arn}`);
    expect(cni.pod_identity_association).toBeUndefined();
    const role = resourcesOf(stack, "aws_iam_role")[roleKey];
    expect(role.name_prefix).toBe("test-aws-node-");
    // Web identity through the cluster's OIDC provider, only for the aws-node service account.
    expect(role.assume_role_policy).toContain(
      '"Federated" = aws_iam_openid_connect_provider.eks_oidc-provider_07CEC079.arn',
    );
    expect(role.assume_role_policy).toContain('"Action" = "sts:AssumeRoleWithWebIdentity"');
    expect(role.assume_role_policy).toContain('["system:serviceaccount:kube-system:aws-node", "sts.amazonaws.com"]');
    const attachments = Object.entries(resourcesOf(stack, "aws_iam_role_policy_attachment")).filter(
      ([, a]: [string, any]) => a.role === `\${aws_iam_role.${roleKey}.name}`,
    );
    expect(attachments.map(([, a]: [string, any]) => a.policy_arn)).toEqual([
      "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    ]);
    // Nodes wait for vpc-cni, and vpc-cni waits for its policy.
    expect(cni.depends_on).toEqual([`aws_iam_role_policy_attachment.${attachments[0][0]}`]);
    expect(cluster.addons.vpcCniRole?.mechanism).toBe("irsa");
    expect(cluster.addons.vpcCniRole?.serviceAccount).toBe("aws-node");
  });

  it("vpc-cni ownRole uses the cluster's partition for AmazonEKS_CNI_Policy", () => {
    const { stack } = setup({ partition: "aws-cn", addons: { "vpc-cni": { ownRole: "irsa" } } });
    const arns = Object.values(resourcesOf(stack, "aws_iam_role_policy_attachment")).map((a: any) => a.policy_arn);
    expect(arns).toContain("arn:aws-cn:iam::aws:policy/AmazonEKS_CNI_Policy");
  });

  it("gives the EBS CSI driver's role AmazonEBSCSIDriverPolicy in the cluster's partition", () => {
    const { stack } = setup({ partition: "aws-us-gov" });
    const attachment = Object.entries(resourcesOf(stack, "aws_iam_role_policy_attachment")).find(([key]) =>
      key.startsWith("eks_addons_ebs-csi-driver-role_"),
    );
    expect(attachment?.[1].policy_arn).toBe("arn:aws-us-gov:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy");
  });

  it("tags every add-on with the cluster's tags", () => {
    const { stack } = setup({ tags: { team: "platform" } });
    const addons = addonsOf(stack);
    expect(Object.keys(addons)).toHaveLength(KNOWN_ADDONS.length);
    for (const addon of Object.values(addons)) expect(addon.tags).toEqual({ team: "platform" });
  });

  it("passes serviceAccountRoleArn through, creating no role (and replacing the EBS CSI driver's own)", () => {
    const cniRole = "arn:aws:iam::123456789012:role/vpc-cni";
    const ebsRole = "arn:aws:iam::123456789012:role/ebs-csi";
    const { stack, cluster } = setup({
      addons: {
        "vpc-cni": { serviceAccountRoleArn: cniRole },
        "aws-ebs-csi-driver": { serviceAccountRoleArn: ebsRole },
      },
    });
    const addons = addonsOf(stack);
    expect(addons["vpc-cni"].service_account_role_arn).toBe(cniRole);
    expect(addons["vpc-cni"].depends_on).toBeUndefined();
    expect(addons["aws-ebs-csi-driver"].service_account_role_arn).toBe(ebsRole);
    expect(addons["aws-ebs-csi-driver"].pod_identity_association).toBeUndefined();
    expect(Object.keys(resourcesOf(stack, "aws_iam_role")).filter((k) => k.startsWith("eks_addons_"))).toEqual([]);
    expect(cluster.addons.vpcCniRole).toBeUndefined();
    expect(cluster.addons.ebsCsiDriverRole).toBeUndefined();
    // Without either option, nothing is set.
    expect(addonsOf(setup().stack)["vpc-cni"].service_account_role_arn).toBeUndefined();
  });

  it("throws when ownRole or serviceAccountRoleArn is misused", () => {
    expect(() => setup({ addons: { coredns: { ownRole: "irsa" } } })).toThrow(
      /EksCluster 'eks': addons\["coredns"\].ownRole "irsa" only applies to vpc-cni; remove it; give coredns a role with serviceAccountRoleArn if it needs one/,
    );
    expect(() => setup({ addons: { "vpc-cni": { ownRole: "pod-identity" as never } } })).toThrow(
      /addons\["vpc-cni"\].ownRole "pod-identity" is not a way to give an add-on its own role; use "irsa"/,
    );
    expect(() =>
      setup({
        addons: { "vpc-cni": { ownRole: "irsa", serviceAccountRoleArn: "arn:aws:iam::123456789012:role/cni" } },
      }),
    ).toThrow(/addons\["vpc-cni"\].ownRole "irsa" can't be given together with serviceAccountRoleArn; remove one/);
    expect(() => setup({ addons: { "vpc-cni": { serviceAccountRoleArn: "vpc-cni-role" } } })).toThrow(
      /addons\["vpc-cni"\].serviceAccountRoleArn "vpc-cni-role" is not an IAM role or user ARN/,
    );
    expect(() =>
      setup({ addons: { "vpc-cni": { serviceAccountRoleArn: "arn:aws:iam::123456789012:user/cni" } } }),
    ).toThrow(
      /addons\["vpc-cni"\].serviceAccountRoleArn "arn:aws:iam::123456789012:user\/cni" is not an IAM role ARN; use arn:aws:iam::<12-digit account>:role\/<name>/,
    );
    // In Auto Mode vpc-cni is built in, so it takes no role either.
    expect(() => setup({ computeMode: "auto", addons: { "vpc-cni": { ownRole: "irsa" } } })).toThrow(
      /addons\["vpc-cni"\] \{"ownRole":"irsa"\} is built into EKS Auto Mode/,
    );
  });

  it("tells CoreDNS to run on Fargate when Fargate is the only compute, keeping user configuration", () => {
    const { stack, cluster } = setup({
      addons: {
        coredns: { configurationValues: { replicaCount: 2 } },
        "aws-ebs-csi-driver": false,
        "metrics-server": false,
      },
    });
    cluster.addFargateProfile("system", { selectors: [COREDNS_SELECTOR] });
    const coredns = addonsOf(stack).coredns;
    expect(JSON.parse(coredns.configuration_values)).toEqual({ replicaCount: 2, computeType: "Fargate" });
    expect(cluster.addons.fargateOnly).toBe(true);
    expect(cluster.fargateOnly).toBe(true);
    // A valid Fargate-only stack passes synth-time validation.
    expect(() => Testing.synth(stack, true)).not.toThrow();
  });

  it("refuses the EBS CSI driver at synth when Fargate is the only compute", () => {
    const { stack, cluster } = setup();
    cluster.addFargateProfile("system", { selectors: [COREDNS_SELECTOR] });
    expect(() => Testing.synth(stack, true)).toThrow(
      /EksCluster 'eks': addons\["aws-ebs-csi-driver"\] is installed but the cluster's only compute is Fargate, where EBS volumes can't attach .*; set "aws-ebs-csi-driver": false or add a node group/,
    );
  });

  it("Auto Mode: installs only metrics-server (Auto Mode runs networking, DNS, Pod Identity and EBS itself)", () => {
    const { stack, cluster } = setup({ computeMode: "auto" });
    const profile = cluster.addFargateProfile("batch", { selectors: [{ namespace: "batch" }] });
    expect(Object.keys(addonsOf(stack))).toEqual(["metrics-server"]);
    // Nothing to wait for but its own role: no before-compute add-ons in Auto Mode, and never the access entries.
    const deps: string[] = resourcesOf(stack, "aws_eks_fargate_profile")[profile.profile.friendlyUniqueId].depends_on;
    expect(deps.map((d) => d.split(".")[0])).toEqual(["aws_iam_role_policy_attachment"]);
    // Leaving a built-in one out explicitly is fine.
    expect(() => setup({ computeMode: "auto", addons: { "vpc-cni": false } })).not.toThrow();
  });

  it("throws when an add-on version is malformed", () => {
    expect(() => setup({ addons: { coredns: { version: "1.11" } } })).toThrow(
      /EksCluster 'eks': addons\["coredns"\].version "1.11" is not an add-on version; use the form "v1.19.2-eksbuild.1"/,
    );
  });

  it("preserves the software of every add-on but metrics-server when the add-on object is deleted", () => {
    const addons = addonsOf(setup().stack);
    expect([...PRESERVED_ADDONS].sort()).toEqual(
      ["aws-ebs-csi-driver", "coredns", "eks-pod-identity-agent", "kube-proxy", "vpc-cni"].sort(),
    );
    for (const name of KNOWN_ADDONS) expect([name, addons[name].preserve]).toEqual([name, name !== "metrics-server"]);
    const chosen = addonsOf(
      setup({ addons: { coredns: { preserve: false }, "metrics-server": { preserve: true } } }).stack,
    );
    expect(chosen.coredns.preserve).toBe(false);
    expect(chosen["metrics-server"].preserve).toBe(true);
    expect(addonsOf(setup({ computeMode: "auto" }).stack)["metrics-server"].preserve).toBe(false);
  });

  it("throws when an add-on's preserve is not a boolean", () => {
    expect(() => setup({ addons: { coredns: { preserve: "yes" as unknown as boolean } } })).toThrow(
      'EksCluster \'eks\': addons["coredns"].preserve "yes" is not a boolean; use true or false',
    );
  });
});

describe("Fargate-only clusters and CoreDNS", () => {
  it("throws at synth when no Fargate profile selects the CoreDNS pods", () => {
    const { stack, cluster } = setup({ addons: { "aws-ebs-csi-driver": false, "metrics-server": false } });
    cluster.addFargateProfile("batch", { selectors: [{ namespace: "batch" }] });
    expect(() => Testing.synth(stack, true)).toThrow(
      /EksCluster 'eks': addons\["coredns"\] is installed but the cluster's only compute is Fargate and no Fargate profile selects the CoreDNS pods \(namespace kube-system, label k8s-app=kube-dns\), so they stay Pending and no name in the cluster resolves; give a profile includeCoreDns: true/,
    );
  });

  it("accepts a profile that selects them: includeCoreDns, all of kube-system, or a wildcard", () => {
    for (const selectors of [
      [COREDNS_SELECTOR],
      [{ namespace: "kube-system" }],
      [{ namespace: "kube-*", labels: { "k8s-app": "kube-*" } }],
    ]) {
      const { stack, cluster } = setup({ addons: { "aws-ebs-csi-driver": false, "metrics-server": false } });
      cluster.addFargateProfile("system", { selectors });
      expect(() => Testing.synth(stack, true)).not.toThrow();
    }
    // A selector for other kube-system pods doesn't run CoreDNS.
    const { stack, cluster } = setup({ addons: { "aws-ebs-csi-driver": false, "metrics-server": false } });
    cluster.addFargateProfile("system", { selectors: [{ namespace: "kube-system", labels: { app: "other" } }] });
    expect(() => Testing.synth(stack, true)).toThrow(/no Fargate profile selects the CoreDNS pods/);
  });
});

describe("the add-on version table", () => {
  it("is dated, and every row names its source and versions of the add-on version form", () => {
    expect(ADDON_VERSIONS_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const [minor, row] of Object.entries(EKS_ADDON_VERSIONS)) {
      expect(minor).toMatch(/^1\.\d+$/);
      for (const [name, entry] of Object.entries(row)) {
        expect(KNOWN_ADDONS).toContain(name);
        // A named source: a user guide page, a package release, or a pull request that quotes
        // describe-addon-versions.
        expect(entry.source).toMatch(
          /^(EKS user guide, [a-z-]+ \(|EKS Blueprints for CDK \d+\.\d+\.\d+ \(npm |[\w.-]+\/[\w.-]+ PR #\d+ \(\d{4}-\d{2}-\d{2}\))/,
        );
        expect(entry.versions.length).toBeGreaterThan(0);
        for (const v of entry.versions) expect(v).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
        // kube-proxy's version is the Kubernetes version it runs beside.
        if (name === "kube-proxy") for (const v of entry.versions) expect(v.startsWith(`v${minor}.`)).toBe(true);
      }
    }
  });

  it("lists each row newest first, and never pins a lower version on the next minor (EKS doesn't downgrade an add-on)", () => {
    const parts = (v: string) =>
      v
        .match(/^v(\d+)\.(\d+)\.(\d+)-eksbuild\.(\d+)$/)!
        .slice(1)
        .map(Number);
    const compare = (a: string, b: string) => {
      const [pa, pb] = [parts(a), parts(b)];
      const i = pa.findIndex((n, k) => n !== pb[k]);
      return i < 0 ? 0 : pa[i] - pb[i];
    };
    expect(compare("v1.20.4-eksbuild.2", "v1.21.1-eksbuild.1")).toBeLessThan(0);
    expect(compare("v1.13.2-eksbuild.10", "v1.13.2-eksbuild.7")).toBeGreaterThan(0);
    const minors = Object.keys(EKS_ADDON_VERSIONS).sort((a, b) => compare(`v${a}.0-eksbuild.0`, `v${b}.0-eksbuild.0`));
    for (const name of KNOWN_ADDONS) {
      for (const minor of minors) {
        const versions = publishedAddonVersions(minor, name)?.versions ?? [];
        for (let i = 1; i < versions.length; i++) expect(compare(versions[i - 1], versions[i])).toBeGreaterThan(0);
      }
      for (let i = 1; i < minors.length; i++) {
        const [from, to] = [publishedAddonVersions(minors[i - 1], name), publishedAddonVersions(minors[i], name)];
        if (from && to)
          expect({ name, from: minors[i - 1], ok: compare(from.versions[0], to.versions[0]) <= 0 }).toEqual({
            name,
            from: minors[i - 1],
            ok: true,
          });
      }
    }
  });

  it("sets each add-on to the version published for the cluster's minor, so a version bump moves them", () => {
    const at = (kubernetesVersion: string) => {
      const addons = addonsOf(setup({ kubernetesVersion, supportType: "EXTENDED" }).stack);
      return Object.fromEntries(Object.entries(addons).map(([name, a]) => [name, a.addon_version]));
    };
    expect(at("1.34")).toEqual({
      "vpc-cni": "v1.20.4-eksbuild.2",
      "kube-proxy": "v1.34.6-eksbuild.2",
      "eks-pod-identity-agent": "v1.3.10-eksbuild.2",
      coredns: "v1.13.2-eksbuild.7",
      "aws-ebs-csi-driver": "v1.56.0-eksbuild.1",
      "metrics-server": undefined,
    });
    expect(at("1.35")).toEqual({
      "vpc-cni": "v1.21.1-eksbuild.1",
      "kube-proxy": "v1.35.3-eksbuild.2",
      "eks-pod-identity-agent": "v1.3.10-eksbuild.2",
      coredns: "v1.14.2-eksbuild.4",
      "aws-ebs-csi-driver": "v1.57.1-eksbuild.1",
      "metrics-server": undefined,
    });
    expect(at("1.33")["vpc-cni"]).toBe("v1.20.1-eksbuild.3");
    // 1.36 has a row for the EBS CSI driver only: the others get EKS's default at install.
    expect(at("1.36")).toEqual({
      "vpc-cni": undefined,
      "kube-proxy": undefined,
      "eks-pod-identity-agent": undefined,
      coredns: undefined,
      "aws-ebs-csi-driver": "v1.66.0-eksbuild.1",
      "metrics-server": undefined,
    });
  });

  it("takes a pinned version the table lists for the minor, and an unlisted one only with allowUnlistedVersion", () => {
    const pinned = addonsOf(
      setup({ kubernetesVersion: "1.34", addons: { coredns: { version: "v1.13.2-eksbuild.4" } } }).stack,
    );
    expect(pinned.coredns.addon_version).toBe("v1.13.2-eksbuild.4");
    const unlisted = addonsOf(
      setup({ addons: { "kube-proxy": { version: "v1.35.4-eksbuild.1", allowUnlistedVersion: true } } }).stack,
    );
    expect(unlisted["kube-proxy"].addon_version).toBe("v1.35.4-eksbuild.1");
    // A row's other versions are pins too (the EBS CSI driver's 1.36 row lists two).
    expect(
      addonsOf(
        setup({ kubernetesVersion: "1.36", addons: { "aws-ebs-csi-driver": { version: "v1.65.0-eksbuild.1" } } }).stack,
      )["aws-ebs-csi-driver"].addon_version,
    ).toBe("v1.65.0-eksbuild.1");
    // Where the table has no row for the add-on, a pin is taken as it is.
    expect(
      addonsOf(setup({ addons: { "metrics-server": { version: "v0.8.0-eksbuild.2" } } }).stack)["metrics-server"]
        .addon_version,
    ).toBe("v0.8.0-eksbuild.2");
  });

  it("throws when a pinned version is not published for the cluster's minor", () => {
    expect(() => setup({ addons: { "aws-ebs-csi-driver": { version: "v1.44.0-eksbuild.1" } } })).toThrow(
      'EksCluster \'eks\': addons["aws-ebs-csi-driver"].version "v1.44.0-eksbuild.1" is not a version published for Kubernetes 1.35 in the add-on table of 2026-12-07 (v1.57.1-eksbuild.1; EKS Blueprints for CDK 1.19.0 (npm @aws-quickstart/eks-blueprints), versionMap); use one of those, or omit it for v1.57.1-eksbuild.1; if `aws eks describe-addon-versions --addon-name aws-ebs-csi-driver --kubernetes-version 1.35` lists it, set allowUnlistedVersion: true',
    );
    expect(() => setup({ addons: { "kube-proxy": { version: "v1.34.6-eksbuild.2" } } })).toThrow(
      'EksCluster \'eks\': addons["kube-proxy"].version "v1.34.6-eksbuild.2" is not a version published for Kubernetes 1.35 in the add-on table of 2026-12-07 (v1.35.3-eksbuild.2; EKS user guide, managing-kube-proxy (kube-proxy versions)); use one of those, or omit it for v1.35.3-eksbuild.2; if `aws eks describe-addon-versions --addon-name kube-proxy --kubernetes-version 1.35` lists it, set allowUnlistedVersion: true',
    );
  });
});
