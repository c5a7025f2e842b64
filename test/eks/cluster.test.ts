/// <reference types="cdktf/lib/testing/adapters/jest" />
import { DefaultTokenResolver, StringConcat, TerraformStack, Testing, Tokenization } from "cdktf";
import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { EksCluster as EksClusterResource } from "@cdktf/provider-aws/lib/eks-cluster";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { DEFAULT_KUBERNETES_VERSION, EksCluster, EksClusterOptions } from "../../constructs/eks/cluster";
import { EndpointAccess } from "../../constructs/eks/endpoint-access";
import { warnIfEndpointUnreachable } from "../../constructs/eks/reachability";
import * as eks from "../../constructs/eks";
import { resourcesOf, testNetwork, testStack, warningsOf } from "../fixtures";
import { ADMIN_ARN } from "./fixtures";

function setup(
  options: Partial<EksClusterOptions> = {},
  stack: TerraformStack = testStack(),
): { stack: TerraformStack; cluster: EksCluster } {
  const network = testNetwork(stack);
  const cluster = new EksCluster(stack, "eks", { name: "test", network, admins: [ADMIN_ARN], ...options });
  return { stack, cluster };
}

/** The one resource of a type whose logical id starts with `prefix` (the network has its own roles and log groups). */
function only(stack: TerraformStack, type: string, prefix = "eks_"): any {
  const all = Object.entries(resourcesOf(stack, type)).filter(([key]) => key.startsWith(prefix));
  expect(all.map(([key]) => key)).toHaveLength(1);
  return all[0][1];
}

function clusterOf(stack: TerraformStack): any {
  return only(stack, "aws_eks_cluster");
}

/** A Terraform reference as it appears in the synthesized JSON, e.g. "${aws_eks_cluster.x.arn}". */
function ref(stack: TerraformStack, value: unknown): unknown {
  return Tokenization.resolve(value, {
    scope: stack,
    preparing: false,
    resolver: new DefaultTokenResolver(new StringConcat()),
  });
}

describe("EksCluster", () => {
  it("defaults: private endpoint, API auth mode, no creator admin, KMS secrets key with rotation and 30-day window, STANDARD support, all five log types, 90-day retained log group", () => {
    const { stack, cluster } = setup();
    const synth = Testing.synth(stack);
    const c = clusterOf(stack);

    expect(c.name).toBe("test");
    expect(c.version).toBe(DEFAULT_KUBERNETES_VERSION);
    expect(DEFAULT_KUBERNETES_VERSION).toBe("1.35");
    // Endpoint: private only; no public CIDR list at all.
    expect(c.vpc_config.endpoint_private_access).toBe(true);
    expect(c.vpc_config.endpoint_public_access).toBe(false);
    expect(c.vpc_config.public_access_cidrs).toBeUndefined();
    expect(cluster.endpointPublicAccess).toBe(false);
    expect(cluster.endpointPublicAccessCidrs).toEqual([]);
    // Control plane in the private subnets of both AZs.
    expect(c.vpc_config.subnet_ids).toEqual(cluster.network.subnetsOf("private").map((s) => ref(stack, s.id)));
    // Access entries, not aws-auth; the Terraform identity is not silently admin.
    expect(c.access_config).toEqual({ authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false });
    // No surprise extended-support bill.
    expect(c.upgrade_policy).toEqual({ support_type: "STANDARD" });
    // Secrets envelope-encrypted with our own rotating key.
    expect(c.encryption_config).toEqual({
      resources: ["secrets"],
      provider: { key_arn: "${aws_kms_key.eks_secrets-key_5FDBA834.arn}" },
    });
    expect(synth).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(synth).toHaveResourceWithProperties(KmsAlias, { name: "alias/eks/test" });
    // Full control-plane logging into a log group we own, with retention, kept on destroy.
    expect(c.enabled_cluster_log_types).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
    expect(only(stack, "aws_cloudwatch_log_group")).toEqual({
      name: "/aws/eks/test/cluster",
      retention_in_days: 90,
      skip_destroy: true,
      kms_key_id: "${aws_kms_key.eks_log-key_889FE009.arn}",
    });
    expect(c.depends_on).toContain("aws_cloudwatch_log_group.eks_log-group_29AF1558");
    // Managed compute: no Auto Mode blocks.
    expect(c.compute_config).toBeUndefined();
    expect(c.bootstrap_self_managed_addons).toBeUndefined();
    expect(cluster.computeMode).toBe("managed");
    // IRSA provider for the cluster issuer.
    expect(synth).toHaveResourceWithProperties(IamOpenidConnectProvider, {
      client_id_list: ["sts.amazonaws.com"],
      url: "${aws_eks_cluster.eks_cluster_55B0C966.identity[0].oidc[0].issuer}",
    });
  });

  it("gives the cluster role the EKS trust (AssumeRole + TagSession), AmazonEKSClusterPolicy and use of the secrets key, attached before the cluster", () => {
    const { stack } = setup();
    const role = only(stack, "aws_iam_role", "eks_cluster-role");
    expect(JSON.parse(role.assume_role_policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] },
      ],
    });
    expect(role.name_prefix).toBe("test-cluster-");
    const attachments = Object.values(resourcesOf(stack, "aws_iam_role_policy_attachment"))
      .filter((a: any) => a.role === "${aws_iam_role.eks_cluster-role_F63B2DEE.name}")
      .map((a: any) => a.policy_arn);
    expect(attachments).toEqual(["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"]);
    const kmsPolicy = only(stack, "aws_iam_role_policy", "eks_cluster-role-secrets-encryption");
    expect(kmsPolicy.policy).toContain(
      '"Action" = ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"]',
    );
    expect(kmsPolicy.policy).toContain('"Resource" = aws_kms_key.eks_secrets-key_5FDBA834.arn');
    expect(clusterOf(stack).depends_on).toEqual([
      "aws_iam_role_policy_attachment.eks_cluster-role-AmazonEKSClusterPolicy_7A863E10",
      "aws_iam_role_policy.eks_cluster-role-secrets-encryption_4E0327DC",
      "aws_cloudwatch_log_group.eks_log-group_29AF1558",
    ]);
  });

  it("opens the public endpoint only to the listed CIDRs", () => {
    const { stack, cluster } = setup({
      endpointAccess: EndpointAccess.publicAndPrivate(["203.0.113.0/24", "198.51.100.7/32"]),
    });
    expect(clusterOf(stack).vpc_config).toMatchObject({
      endpoint_private_access: true,
      endpoint_public_access: true,
      public_access_cidrs: ["203.0.113.0/24", "198.51.100.7/32"],
    });
    expect(cluster.endpointPublicAccess).toBe(true);
    expect(cluster.endpointPublicAccessCidrs).toEqual(["203.0.113.0/24", "198.51.100.7/32"]);
  });

  it("allows 0.0.0.0/0 only with the explicit allowAnyIPv4 opt-in", () => {
    const { stack } = setup({
      endpointAccess: { mode: "public-and-private", publicCidrs: ["0.0.0.0/0"], allowAnyIPv4: true },
    });
    expect(clusterOf(stack).vpc_config.public_access_cidrs).toEqual(["0.0.0.0/0"]);
  });

  it("puts the control plane in the intra tier when asked", () => {
    const stack = testStack();
    const network = testNetwork(stack, { intraSubnets: true });
    const cluster = new EksCluster(stack, "eks", {
      name: "test",
      network,
      admins: [ADMIN_ARN],
      controlPlaneSubnetTier: "intra",
    });
    expect(clusterOf(stack).vpc_config.subnet_ids).toEqual(network.subnetsOf("intra").map((s) => ref(stack, s.id)));
    expect(cluster.controlPlaneSubnetTier).toBe("intra");
  });

  it("uses a given secrets key instead of creating one, and lets the cluster role use it", () => {
    const keyArn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const { stack, cluster } = setup({ secretsEncryptionKeyArn: keyArn });
    // Only the log groups' keys.
    expect(Object.keys(resourcesOf(stack, "aws_kms_key"))).toEqual([
      "eks_log-key_889FE009",
      "network_flow-logs_kms-key_5A177FC3",
    ]);
    expect(resourcesOf(stack, "aws_kms_alias")).toEqual({});
    expect(clusterOf(stack).encryption_config.provider.key_arn).toBe(keyArn);
    expect(cluster.kmsKeyArn).toBe(keyArn);
    const policy = JSON.parse(only(stack, "aws_iam_role_policy", "eks_cluster-role-secrets-encryption").policy);
    expect(policy.Statement[0].Resource).toBe(keyArn);
  });

  it("takes a version, EXTENDED support, fewer log types, another retention and a destroyable log group", () => {
    const { stack, cluster } = setup({
      kubernetesVersion: "1.33",
      supportType: "EXTENDED",
      clusterLogTypes: ["audit", "authenticator"],
      logRetentionInDays: 365,
      logGroupRemovalPolicy: "destroy",
    });
    const c = clusterOf(stack);
    expect(c.version).toBe("1.33");
    expect(c.upgrade_policy).toEqual({ support_type: "EXTENDED" });
    expect(c.enabled_cluster_log_types).toEqual(["audit", "authenticator"]);
    expect(only(stack, "aws_cloudwatch_log_group")).toEqual({
      name: "/aws/eks/test/cluster",
      retention_in_days: 365,
      skip_destroy: false,
      kms_key_id: "${aws_kms_key.eks_log-key_889FE009.arn}",
    });
    expect(cluster.kubernetesVersion).toBe("1.33");
  });

  it("turns control-plane logging off with clusterLogTypes: [] (no log group, no log types)", () => {
    const { stack, cluster } = setup({ clusterLogTypes: [] });
    expect(clusterOf(stack).enabled_cluster_log_types).toBeUndefined();
    expect(Object.keys(resourcesOf(stack, "aws_cloudwatch_log_group")).filter((k) => k.startsWith("eks_"))).toEqual([]);
    expect(cluster.logGroupName).toBeUndefined();
  });

  it("creates one access entry + policy association per principal, ids from the ARN, namespaced grants scoped", () => {
    const { stack } = setup({
      admins: [ADMIN_ARN, "arn:aws:iam::123456789012:user/alice"],
      access: [
        {
          principalArn: "arn:aws:iam::123456789012:role/team-a/dev",
          policy: "edit",
          namespaces: ["team-a", "team-a-staging"],
        },
        { principalArn: "arn:aws:iam::210987654321:role/auditor", policy: "view" },
      ],
    });
    const synth = Testing.synth(stack);
    const entries = resourcesOf(stack, "aws_eks_access_entry");
    expect(Object.keys(entries)).toHaveLength(4);
    expect(Object.keys(entries).some((k) => k.startsWith("eks_access_123456789012-role-team-a-dev_"))).toBe(true);
    expect(
      Object.values(entries)
        .map((e: any) => e.principal_arn)
        .sort(),
    ).toEqual([
      ADMIN_ARN,
      "arn:aws:iam::123456789012:role/team-a/dev",
      "arn:aws:iam::123456789012:user/alice",
      "arn:aws:iam::210987654321:role/auditor",
    ]);
    expect(synth).toHaveResourceWithProperties(EksAccessEntry, { principal_arn: ADMIN_ARN, type: "STANDARD" });
    expect(synth).toHaveResourceWithProperties(EksAccessPolicyAssociation, {
      policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
      access_scope: { type: "cluster" },
    });
    expect(synth).toHaveResourceWithProperties(EksAccessPolicyAssociation, {
      policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy",
      access_scope: { type: "namespace", namespaces: ["team-a", "team-a-staging"] },
    });
    expect(synth).toHaveResourceWithProperties(EksAccessPolicyAssociation, {
      policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
      access_scope: { type: "cluster" },
    });
    const associations = Object.values(resourcesOf(stack, "aws_eks_access_policy_association")) as any[];
    expect(associations).toHaveLength(4);
    // Each association references its entry, so it is created after it.
    for (const a of associations)
      expect(a.principal_arn).toMatch(/^\$\{aws_eks_access_entry\.eks_access_.*\.principal_arn\}$/);
  });

  it("keeps access entry ids stable when the admin list is reordered", () => {
    const ids = (admins: string[]) => Object.keys(resourcesOf(setup({ admins }).stack, "aws_eks_access_entry")).sort();
    const a = "arn:aws:iam::123456789012:role/a";
    const b = "arn:aws:iam::123456789012:role/b";
    expect(ids([a, b])).toEqual(ids([b, a]));
  });

  it('gives principals that differ only in "/" vs "-" distinct access entries; ids of path-less ARNs stay <account>-<type>-<name>', () => {
    const { stack, cluster } = setup({
      admins: [
        "arn:aws:iam::123456789012:role/a-b",
        "arn:aws:iam::123456789012:role/a/b",
        "arn:aws:iam::123456789012:role/a/b/c",
      ],
    });
    const entries = resourcesOf(stack, "aws_eks_access_entry");
    expect(
      Object.values(entries)
        .map((e: any) => e.principal_arn)
        .sort(),
    ).toEqual([
      "arn:aws:iam::123456789012:role/a-b",
      "arn:aws:iam::123456789012:role/a/b",
      "arn:aws:iam::123456789012:role/a/b/c",
    ]);
    expect(new Set(Object.keys(entries)).size).toBe(3);
    expect(cluster.accessEntries.entries.map((e) => e.node.id)).toEqual([
      "123456789012-role-a-b",
      "123456789012-role-a~-b",
      "123456789012-role-a~-b~-c",
    ]);
    expect(cluster.accessEntries.associations.map((a) => a.node.id)).toEqual([
      "123456789012-role-a-b-cluster-admin",
      "123456789012-role-a~-b-cluster-admin",
      "123456789012-role-a~-b~-c-cluster-admin",
    ]);
  });

  it("can make the Terraform identity admin when asked", () => {
    const { stack } = setup({ bootstrapClusterCreatorAdminPermissions: true });
    expect(clusterOf(stack).access_config.bootstrap_cluster_creator_admin_permissions).toBe(true);
  });

  it("Auto Mode: compute, block storage and load balancing on, built-in pools with a minimal node role, no self-managed add-ons, extra cluster policies", () => {
    const { stack, cluster } = setup({ computeMode: "auto" });
    const c = clusterOf(stack);
    const nodeRole = "${aws_iam_role.eks_auto-mode-node-role_517A4094.arn}";
    expect(c.compute_config).toEqual({
      enabled: true,
      node_pools: ["general-purpose", "system"],
      node_role_arn: nodeRole,
    });
    expect(c.storage_config).toEqual({ block_storage: { enabled: true } });
    expect(c.kubernetes_network_config).toEqual({ elastic_load_balancing: { enabled: true } });
    expect(c.bootstrap_self_managed_addons).toBe(false);
    // A managed cluster (created with true) switches to Auto Mode in place (test/offline/day2.test.ts).
    expect(c.lifecycle.ignore_changes).toEqual(["bootstrap_self_managed_addons"]);
    expect(clusterOf(setup().stack).lifecycle.ignore_changes).toEqual(["bootstrap_self_managed_addons"]);
    expect(cluster.nodeRoleArns.map((a) => ref(stack, a))).toEqual([nodeRole]);

    const policiesOf = (role: string) =>
      Object.values(resourcesOf(stack, "aws_iam_role_policy_attachment"))
        .filter((a: any) => a.role === role)
        .map((a: any) => a.policy_arn.replace("arn:aws:iam::aws:policy/", ""))
        .sort();
    expect(policiesOf("${aws_iam_role.eks_cluster-role_F63B2DEE.name}")).toEqual([
      "AmazonEKSBlockStoragePolicy",
      "AmazonEKSClusterPolicy",
      "AmazonEKSComputePolicy",
      "AmazonEKSLoadBalancingPolicy",
      "AmazonEKSNetworkingPolicy",
    ]);
    expect(policiesOf("${aws_iam_role.eks_auto-mode-node-role_517A4094.name}")).toEqual([
      "AmazonEC2ContainerRegistryPullOnly",
      "AmazonEKSWorkerNodeMinimalPolicy",
    ]);
    const node = only(stack, "aws_iam_role", "eks_auto-mode-node-role");
    expect(JSON.parse(node.assume_role_policy).Statement[0].Principal).toEqual({ Service: "ec2.amazonaws.com" });
    // The node role's policies are attached before Auto Mode can launch a node.
    expect(c.depends_on).toEqual(
      expect.arrayContaining([
        "aws_iam_role_policy_attachment.eks_auto-mode-node-role_AmazonEKSWorkerNodeMinimalPolicy_836C925B",
      ]),
    );
  });

  it("Auto Mode takes a subset of the built-in node pools", () => {
    const { stack } = setup({ computeMode: "auto", autoModeNodePools: ["general-purpose"] });
    expect(clusterOf(stack).compute_config.node_pools).toEqual(["general-purpose"]);
  });

  it("addNodeGroup creates a node group that waits for the pre-compute add-ons (not the access entries); later add-ons wait for it", () => {
    const { stack, cluster } = setup();
    const group = cluster.addNodeGroup("workers");
    const ng = only(stack, "aws_eks_node_group");
    expect(ng.cluster_name).toBe("${aws_eks_cluster.eks_cluster_55B0C966.name}");
    expect(ng.depends_on).toEqual(
      expect.arrayContaining([
        "aws_eks_addon.eks_addons_vpc-cni_F6FA8D5B",
        "aws_eks_addon.eks_addons_kube-proxy_537944FD",
        "aws_eks_addon.eks_addons_eks-pod-identity-agent_6E775B44",
      ]),
    );
    expect(ng.depends_on.filter((d: string) => d.startsWith("aws_eks_access"))).toEqual([]);
    const addons = resourcesOf(stack, "aws_eks_addon");
    expect(addons["eks_addons_coredns_2F7E1AA9"].depends_on).toEqual([
      "aws_eks_node_group.eks_workers_node-group_B65813FD",
    ]);
    expect(cluster.nodeRoleArns).toEqual([group.nodeRoleArn]);
  });

  it("addFargateProfile creates a profile in both compute modes", () => {
    for (const computeMode of ["managed", "auto"] as const) {
      const { stack, cluster } = setup({ computeMode });
      cluster.addFargateProfile("batch", { selectors: [{ namespace: "batch" }] });
      expect(Object.keys(resourcesOf(stack, "aws_eks_fargate_profile"))).toHaveLength(1);
    }
  });

  it("exposes typed attributes as references and a kubeconfig command", () => {
    const { stack, cluster } = setup();
    const r = (v: string | undefined) => ref(stack, v);
    expect(cluster.name).toBe("test");
    expect(r(cluster.clusterName)).toBe("${aws_eks_cluster.eks_cluster_55B0C966.name}");
    expect(r(cluster.clusterArn)).toBe("${aws_eks_cluster.eks_cluster_55B0C966.arn}");
    expect(r(cluster.clusterEndpoint)).toBe("${aws_eks_cluster.eks_cluster_55B0C966.endpoint}");
    expect(r(cluster.clusterCertificateAuthorityData)).toBe(
      "${aws_eks_cluster.eks_cluster_55B0C966.certificate_authority[0].data}",
    );
    expect(r(cluster.clusterSecurityGroupId)).toBe(
      "${aws_eks_cluster.eks_cluster_55B0C966.vpc_config[0].cluster_security_group_id}",
    );
    expect(r(cluster.oidcIssuerUrl)).toBe("${aws_eks_cluster.eks_cluster_55B0C966.identity[0].oidc[0].issuer}");
    expect(r(cluster.oidcProviderArn)).toBe("${aws_iam_openid_connect_provider.eks_oidc-provider_07CEC079.arn}");
    expect(r(cluster.kmsKeyArn)).toBe("${aws_kms_key.eks_secrets-key_5FDBA834.arn}");
    expect(r(cluster.clusterRoleArn)).toBe("${aws_iam_role.eks_cluster-role_F63B2DEE.arn}");
    expect(r(cluster.logGroupName)).toBe("${aws_cloudwatch_log_group.eks_log-group_29AF1558.name}");
    expect(cluster.kubeconfigCommand).toBe("aws eks update-kubeconfig --region eu-west-1 --name test");
  });

  it("does not validate values only known at apply time", () => {
    const stack = testStack();
    const role = new IamRole(stack, "admin-role", { assumeRolePolicy: "{}" });
    const { cluster } = setup({ admins: [role.arn], access: [{ principalArn: role.uniqueId, policy: "view" }] }, stack);
    const entries = Object.values(resourcesOf(stack, "aws_eks_access_entry")).map((e: any) => e.principal_arn);
    expect(entries).toEqual(["${aws_iam_role.admin-role.arn}", "${aws_iam_role.admin-role.unique_id}"]);
    expect(cluster.name).toBe("test");
  });

  it("tags the resources it creates", () => {
    const { stack } = setup({ tags: { team: "platform" } });
    const synth = Testing.synth(stack);
    expect(synth).toHaveResourceWithProperties(EksClusterResource, { tags: { team: "platform" } });
    expect(synth).toHaveResourceWithProperties(KmsKey, { tags: { team: "platform" } });
    expect(synth).toHaveResourceWithProperties(CloudwatchLogGroup, { tags: { team: "platform" } });
  });

  it("tags the access entries and the OIDC provider too", () => {
    const { stack } = setup({
      tags: { team: "platform" },
      access: [{ principalArn: "arn:aws:iam::123456789012:role/auditor", policy: "view" }],
    });
    const entries = Object.values(resourcesOf(stack, "aws_eks_access_entry")) as any[];
    expect(entries).toHaveLength(2);
    for (const entry of entries) expect(entry.tags).toEqual({ team: "platform" });
    expect(only(stack, "aws_iam_openid_connect_provider").tags).toEqual({ team: "platform" });
  });

  it("puts the cluster role's managed policies and the access policies in the partition of the network's region (aws-cn)", () => {
    const stack = testStack();
    const network = testNetwork(stack, { availabilityZones: ["cn-north-1a", "cn-north-1b"] });
    const cluster = new EksCluster(stack, "eks", {
      name: "test",
      network,
      admins: ["arn:aws-cn:iam::123456789012:role/platform-admin"],
      access: [{ principalArn: "arn:aws-cn:iam::123456789012:role/auditor", policy: "view" }],
    });
    expect(cluster.partition).toBe("aws-cn");
    const clusterPolicies = Object.values(resourcesOf(stack, "aws_iam_role_policy_attachment"))
      .filter((a: any) => a.role === "${aws_iam_role.eks_cluster-role_F63B2DEE.name}")
      .map((a: any) => a.policy_arn);
    expect(clusterPolicies).toEqual(["arn:aws-cn:iam::aws:policy/AmazonEKSClusterPolicy"]);
    const accessPolicies = (Object.values(resourcesOf(stack, "aws_eks_access_policy_association")) as any[])
      .map((a) => a.policy_arn)
      .sort();
    expect(accessPolicies).toEqual([
      "arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
      "arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
    ]);
  });

  it("Auto Mode: the cluster and node role policies follow an explicit partition (aws-us-gov)", () => {
    const { stack } = setup({ computeMode: "auto", partition: "aws-us-gov" });
    const arns = Object.entries(resourcesOf(stack, "aws_iam_role_policy_attachment"))
      .filter(([key]) => key.startsWith("eks_"))
      .map(([, a]: [string, any]) => a.policy_arn)
      .sort();
    expect(arns).toEqual([
      "arn:aws-us-gov:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
      "arn:aws-us-gov:iam::aws:policy/AmazonEKSBlockStoragePolicy",
      "arn:aws-us-gov:iam::aws:policy/AmazonEKSClusterPolicy",
      "arn:aws-us-gov:iam::aws:policy/AmazonEKSComputePolicy",
      "arn:aws-us-gov:iam::aws:policy/AmazonEKSLoadBalancingPolicy",
      "arn:aws-us-gov:iam::aws:policy/AmazonEKSNetworkingPolicy",
      "arn:aws-us-gov:iam::aws:policy/AmazonEKSWorkerNodeMinimalPolicy",
    ]);
  });

  it("puts permissionsBoundaryArn on the cluster role and the Auto Mode node role", () => {
    const boundary = "arn:aws:iam::123456789012:policy/platform-boundary";
    expect(
      only(setup({ permissionsBoundaryArn: boundary }).stack, "aws_iam_role", "eks_cluster-role").permissions_boundary,
    ).toBe(boundary);
    const auto = setup({ computeMode: "auto", permissionsBoundaryArn: boundary }).stack;
    expect(only(auto, "aws_iam_role", "eks_cluster-role").permissions_boundary).toBe(boundary);
    expect(only(auto, "aws_iam_role", "eks_auto-mode-node-role").permissions_boundary).toBe(boundary);
    // Without one, no boundary is set.
    expect(only(setup().stack, "aws_iam_role", "eks_cluster-role").permissions_boundary).toBeUndefined();
  });

  it("hands its permissionsBoundaryArn and partition down to node, Fargate, add-on and service-account roles", () => {
    const boundary = "arn:aws-us-gov:iam::123456789012:policy/platform-boundary";
    const { stack, cluster } = setup({ permissionsBoundaryArn: boundary, partition: "aws-us-gov" });
    cluster.addNodeGroup("workers");
    cluster.addFargateProfile("batch", { selectors: [{ namespace: "batch" }] });
    cluster.addServiceAccountRole("app", {
      namespace: "apps",
      serviceAccount: "app",
      managedPolicyArns: ["arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess"],
    });
    const roles = Object.entries(resourcesOf(stack, "aws_iam_role")).filter(([key]) => key.startsWith("eks_"));
    // cluster, node group, Fargate, EBS CSI driver, service account: all bounded.
    expect(roles.length).toBe(5);
    for (const [key, role] of roles) expect([key, role.permissions_boundary]).toEqual([key, boundary]);
    const attachments = Object.values(resourcesOf(stack, "aws_iam_role_policy_attachment")).filter((a: any) =>
      a.policy_arn.includes(":iam::aws:policy/"),
    ) as any[];
    expect(attachments.length).toBeGreaterThanOrEqual(6);
    for (const a of attachments) expect(a.policy_arn).toMatch(/^arn:aws-us-gov:iam::aws:policy\//);

    // A node group's own boundary wins over the cluster's.
    const own = "arn:aws-us-gov:iam::123456789012:policy/nodes-boundary";
    cluster.addNodeGroup("own", { permissionsBoundaryArn: own });
    const ownRole = Object.entries(resourcesOf(stack, "aws_iam_role")).find(
      ([key]) => key.includes("node-group-own") || key.includes("_own_"),
    )![1];
    expect(ownRole.permissions_boundary).toBe(own);
  });

  it("matches the snapshot of a representative stack", () => {
    const { stack, cluster } = setup({
      endpointAccess: EndpointAccess.publicAndPrivate(["203.0.113.0/24"]),
      access: [{ principalArn: "arn:aws:iam::123456789012:role/dev", policy: "edit", namespaces: ["apps"] }],
    });
    cluster.addNodeGroup("workers");
    cluster.addServiceAccountRole("app", {
      namespace: "apps",
      serviceAccount: "app",
      policyStatements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::bucket/*"] }],
    });
    expect(Testing.synth(stack)).toMatchSnapshot();
  });
});

describe("constructs/eks index", () => {
  it("re-exports the cluster, its helpers and the compute constructs", () => {
    expect(eks.EksCluster).toBe(EksCluster);
    expect(eks.EndpointAccess).toBe(EndpointAccess);
    expect("warnIfEndpointUnreachable" in eks).toBe(false); // wiring for WorkloadsStack, not API
    for (const name of [
      "ServiceAccountRole",
      "ClusterAddons",
      "ClusterAccess",
      "AutoModeNodeRole",
      "ManagedNodeGroup",
      "FargateProfile",
      "NodeRole",
    ]) {
      expect(typeof (eks as Record<string, unknown>)[name]).toBe("function");
    }
  });
});

describe("warnIfEndpointUnreachable", () => {
  it("warns on the consumer when the endpoint is private only, saying how to reach it", () => {
    const { stack, cluster } = setup();
    const consumer = new Construct(stack, "workloads");
    expect(warnIfEndpointUnreachable(cluster, consumer)).toBe(true);
    const warnings = warningsOf(consumer);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/EKS cluster "test" has a private-only API endpoint/);
    expect(warnings[0]).toMatch(/10\.0\.0\.0\/16 in eu-west-1/);
    expect(warnings[0]).toMatch(/only from what the endpoint admits: the VPC 10\.0\.0\.0\/16/);
    expect(warnings[0]).toMatch(/a CI runner or bastion there/);
    expect(warnings[0]).toMatch(/VPN/);
    expect(warnings[0]).toMatch(/SSM Session Manager port forwarding/);
    expect(warnings[0]).toMatch(/publicCidrs/);
  });

  it("stays quiet when the deploy machine can use the public endpoint", () => {
    const { stack, cluster } = setup({ endpointAccess: EndpointAccess.publicAndPrivate(["203.0.113.10/32"]) });
    const consumer = new Construct(stack, "workloads");
    expect(warnIfEndpointUnreachable(cluster, consumer)).toBe(false);
    expect(warningsOf(consumer)).toEqual([]);
  });
});

describe("EksCluster system node placement", () => {
  it("points critical pods at Auto Mode's built-in system pool", () => {
    expect(setup({ computeMode: "auto" }).cluster.systemNodePlacement).toEqual({
      nodeSelector: { "karpenter.sh/nodepool": "system" },
      tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }],
    });
  });

  it("has none in Auto Mode without the system pool, or with managed compute and no system node group", () => {
    expect(
      setup({ computeMode: "auto", autoModeNodePools: ["general-purpose"] }).cluster.systemNodePlacement,
    ).toBeUndefined();
    expect(setup().cluster.systemNodePlacement).toBeUndefined();
  });
});
