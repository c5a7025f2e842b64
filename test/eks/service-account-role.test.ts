/// <reference types="cdktf/lib/testing/adapters/jest" />
import { TerraformStack, Testing } from "cdktf";
import { EksPodIdentityAssociation } from "@cdktf/provider-aws/lib/eks-pod-identity-association";
import { EksCluster, EksClusterOptions } from "../../constructs/eks/cluster";
import { ServiceAccountRole, ServiceAccountRoleOptions } from "../../constructs/eks/service-account-role";
import { FakeCluster, resourcesOf, testNetwork, testStack, warningsOf } from "../fixtures";
import { ADMIN_ARN } from "./fixtures";

function setup(options: Partial<ServiceAccountRoleOptions> = {}): {
  stack: TerraformStack;
  cluster: EksCluster;
  role: ServiceAccountRole;
} {
  const stack = testStack();
  // Add-ons off: their EBS CSI role would be a second ServiceAccountRole in the stack.
  const cluster = new EksCluster(stack, "eks", {
    name: "test",
    network: testNetwork(stack),
    admins: [ADMIN_ARN],
    addons: { "aws-ebs-csi-driver": false },
  });
  const role = new ServiceAccountRole(stack, "app", {
    cluster,
    namespace: "shop",
    serviceAccount: "checkout",
    ...options,
  });
  return { stack, cluster, role };
}

/** Logical id of the "app" ServiceAccountRole's aws_iam_role. */
function roleKey(stack: TerraformStack): string {
  const keys = Object.keys(resourcesOf(stack, "aws_iam_role")).filter((k) => k.startsWith("app_role_"));
  expect(keys).toHaveLength(1);
  return keys[0];
}

function roleOf(stack: TerraformStack): any {
  return resourcesOf(stack, "aws_iam_role")[roleKey(stack)];
}

describe("ServiceAccountRole", () => {
  it("defaults to EKS Pod Identity: trust pods.eks.amazonaws.com (AssumeRole + TagSession) and an association for exactly that service account", () => {
    const { stack, role } = setup();
    const synth = Testing.synth(stack);
    const iamRole = roleOf(stack);
    // The session tags EKS Pod Identity sets (EKS user guide, Pod Identity role trust policy): this
    // cluster, namespace and service account only; the ARN is the cluster's attribute, no lookup.
    expect(iamRole.assume_role_policy).toBe(
      "${jsonencode({" +
        '"Version" = "2012-10-17", "Statement" = [{"Effect" = "Allow", "Principal" = {"Service" = "pods.eks.amazonaws.com"}, ' +
        '"Action" = ["sts:AssumeRole", "sts:TagSession"], "Condition" = {"StringEquals" = {"aws:RequestTag/eks-cluster-arn" = ' +
        'aws_eks_cluster.eks_cluster_55B0C966.arn, "aws:RequestTag/kubernetes-namespace" = "shop", ' +
        '"aws:RequestTag/kubernetes-service-account" = "checkout"}}}]})}',
    );
    expect(iamRole.name_prefix).toBe("test-checkout-");
    expect(synth).toHaveResourceWithProperties(EksPodIdentityAssociation, {
      cluster_name: "${aws_eks_cluster.eks_cluster_55B0C966.name}",
      namespace: "shop",
      service_account: "checkout",
      role_arn: `\${aws_iam_role.${roleKey(stack)}.arn}`,
    });
    expect(role.mechanism).toBe("pod-identity");
    // No permissions unless asked for.
    expect(Object.keys(resourcesOf(stack, "aws_iam_role_policy")).filter((k) => k.startsWith("app_"))).toEqual([]);
  });

  it("IRSA: trusts the cluster's OIDC provider only for this service account and the STS audience", () => {
    const { stack } = setup({ mechanism: "irsa" });
    const trust: string = roleOf(stack).assume_role_policy;
    expect(trust).toBe(
      "${jsonencode({" +
        '"Version" = "2012-10-17", "Statement" = [{"Effect" = "Allow", ' +
        '"Principal" = {"Federated" = aws_iam_openid_connect_provider.eks_oidc-provider_07CEC079.arn}, ' +
        '"Action" = "sts:AssumeRoleWithWebIdentity", ' +
        '"Condition" = {"StringEquals" = zipmap(' +
        '[join("", [replace(aws_eks_cluster.eks_cluster_55B0C966.identity[0].oidc[0].issuer, "https://", ""), ":sub"]), ' +
        'join("", [replace(aws_eks_cluster.eks_cluster_55B0C966.identity[0].oidc[0].issuer, "https://", ""), ":aud"])], ' +
        '["system:serviceaccount:shop:checkout", "sts.amazonaws.com"])}}]' +
        "})}",
    );
    expect(resourcesOf(stack, "aws_eks_pod_identity_association")).toEqual({});
  });

  it("renders typed statements as an inline policy and attaches managed policies", () => {
    const { stack } = setup({
      policyStatements: [
        { actions: ["s3:GetObject", "s3:PutObject"], resources: ["arn:aws:s3:::orders/*"] },
        { actions: ["s3:DeleteObject"], resources: ["*"], effect: "Deny" },
      ],
      managedPolicyArns: [
        "arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess",
        "arn:aws:iam::123456789012:policy/team/orders",
      ],
    });
    const policy = Object.values(resourcesOf(stack, "aws_iam_role_policy")).find(
      (p: any) => p.role === `\${aws_iam_role.${roleKey(stack)}.id}`,
    ) as any;
    expect(JSON.parse(policy.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: ["arn:aws:s3:::orders/*"] },
        { Effect: "Deny", Action: ["s3:DeleteObject"], Resource: ["*"] },
      ],
    });
    const attached = Object.values(resourcesOf(stack, "aws_iam_role_policy_attachment"))
      .filter((a: any) => a.role === `\${aws_iam_role.${roleKey(stack)}.name}`)
      .map((a: any) => a.policy_arn)
      .sort();
    expect(attached).toEqual([
      "arn:aws:iam::123456789012:policy/team/orders",
      "arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess",
    ]);
  });

  it("skips the association when something else creates it", () => {
    const { stack, role } = setup({ createPodIdentityAssociation: false });
    expect(resourcesOf(stack, "aws_eks_pod_identity_association")).toEqual({});
    expect(role.podIdentityAssociation).toBeUndefined();
  });

  it("puts permissionsBoundaryArn on the role, and tags both the role and the association", () => {
    const boundary = "arn:aws:iam::123456789012:policy/workload-boundary";
    const { stack } = setup({ permissionsBoundaryArn: boundary, tags: { team: "shop" } });
    const iamRole = roleOf(stack);
    expect(iamRole.permissions_boundary).toBe(boundary);
    expect(iamRole.tags).toEqual({ team: "shop" });
    const associations = Object.values(resourcesOf(stack, "aws_eks_pod_identity_association")) as any[];
    expect(associations).toHaveLength(1);
    expect(associations[0].tags).toEqual({ team: "shop" });
    // IRSA roles get the boundary too.
    expect(roleOf(setup({ mechanism: "irsa", permissionsBoundaryArn: boundary }).stack).permissions_boundary).toBe(
      boundary,
    );
    expect(roleOf(setup().stack).permissions_boundary).toBeUndefined();
  });

  it("cluster.addServiceAccountRole is a shorthand with the cluster filled in", () => {
    const { stack, cluster } = setup();
    const r = cluster.addServiceAccountRole("worker", {
      namespace: "jobs",
      serviceAccount: "runner.v2",
      mechanism: "irsa",
    });
    expect(r.mechanism).toBe("irsa");
    expect(r.namespace).toBe("jobs");
    const roles = Object.entries(resourcesOf(stack, "aws_iam_role")).filter(([k]) => k.startsWith("eks_worker_role"));
    expect(roles).toHaveLength(1);
    expect(roles[0][1].assume_role_policy).toContain("system:serviceaccount:jobs:runner.v2");
    expect(typeof r.roleArn).toBe("string");
    expect(typeof r.roleName).toBe("string");
  });

  it("throws when the namespace or service account is not a valid Kubernetes name", () => {
    expect(() => setup({ namespace: "Shop" })).toThrow(
      /ServiceAccountRole 'app': namespace "Shop" is not a valid Kubernetes namespace name; use 1 to 63 lower-case letters, digits and hyphens/,
    );
    expect(() => setup({ namespace: "a".repeat(64) })).toThrow(
      /namespace "a{64}" is not a valid Kubernetes namespace name/,
    );
    expect(() => setup({ serviceAccount: "check_out" })).toThrow(
      /ServiceAccountRole 'app': serviceAccount "check_out" is not a valid Kubernetes service account name; use up to 253 lower-case letters, digits, hyphens and dots/,
    );
  });

  it("throws when a statement grants every action", () => {
    expect(() => setup({ policyStatements: [{ actions: ["*"], resources: ["*"] }] })).toThrow(
      /ServiceAccountRole 'app': policyStatements\[0\].actions entry "\*" grants every action in every AWS service; name the actions the workload needs/,
    );
    expect(() =>
      setup({
        policyStatements: [
          { actions: ["s3:GetObject"], resources: ["*"] },
          { actions: ["*:*"], resources: ["*"] },
        ],
      }),
    ).toThrow(/policyStatements\[1\].actions entry "\*:\*" grants every action/);
  });

  it("throws when a statement is malformed", () => {
    expect(() => setup({ policyStatements: [{ actions: ["GetObject"], resources: ["*"] }] })).toThrow(
      /policyStatements\[0\].actions entry "GetObject" is not an IAM action; use "service:Action"/,
    );
    expect(() => setup({ policyStatements: [{ actions: [], resources: ["*"] }] })).toThrow(
      /policyStatements\[0\].actions \[\] is empty/,
    );
    expect(() => setup({ policyStatements: [{ actions: ["s3:GetObject"], resources: [] }] })).toThrow(
      /policyStatements\[0\].resources \[\] is empty; list the resource ARNs/,
    );
    expect(() =>
      setup({ policyStatements: [{ actions: ["s3:GetObject"], resources: ["*"], effect: "allow" as never }] }),
    ).toThrow(/policyStatements\[0\].effect "allow" is not a statement effect; use "Allow" or "Deny"/);
  });

  it("throws when the mechanism or a managed policy ARN is wrong", () => {
    expect(() => setup({ mechanism: "kiam" as never })).toThrow(
      /ServiceAccountRole 'app': mechanism "kiam" is not a way to give pods a role; use one of pod-identity, irsa/,
    );
    expect(() => setup({ managedPolicyArns: ["AmazonS3ReadOnlyAccess"] })).toThrow(
      /managedPolicyArns entry "AmazonS3ReadOnlyAccess" is not an IAM policy ARN; use arn:aws:iam::aws:policy\/<name>/,
    );
    expect(() =>
      setup({
        managedPolicyArns: [
          "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
          "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
        ],
      }),
    ).toThrow(/managedPolicyArns \["arn:aws:iam::aws:policy\/AmazonS3ReadOnlyAccess"\] are listed more than once/);
  });
});

describe("ServiceAccountRole and where Pod Identity works", () => {
  function cluster(options: Partial<EksClusterOptions> = {}): { stack: TerraformStack; cluster: EksCluster } {
    const stack = testStack();
    const c = new EksCluster(stack, "eks", {
      name: "test",
      network: testNetwork(stack),
      admins: [ADMIN_ARN],
      addons: { "aws-ebs-csi-driver": false },
      ...options,
    });
    return { stack, cluster: c };
  }
  const role = (c: EksCluster, options: Partial<ServiceAccountRoleOptions> = {}) =>
    c.addServiceAccountRole("app", { namespace: "shop", serviceAccount: "checkout", ...options });
  const NO_AGENT = { addons: { "aws-ebs-csi-driver": false, "eks-pod-identity-agent": false } } as const;

  it("exposes podIdentityAvailable: the agent add-on is installed, or Auto Mode runs it", () => {
    expect(cluster().cluster.podIdentityAvailable).toBe(true);
    expect(cluster(NO_AGENT).cluster.podIdentityAvailable).toBe(false);
    expect(cluster({ computeMode: "auto", addons: {} }).cluster.podIdentityAvailable).toBe(true);
    expect(new FakeCluster(testStack(), "fake", testNetwork(testStack())).podIdentityAvailable).toBe(true);
  });

  it("defaults to IRSA when the pod identity agent add-on is disabled", () => {
    const { stack, cluster: c } = cluster(NO_AGENT);
    expect(role(c).mechanism).toBe("irsa");
    expect(resourcesOf(stack, "aws_eks_pod_identity_association")).toEqual({});
    expect(
      Object.entries(resourcesOf(stack, "aws_iam_role")).find(([k]) => k.startsWith("eks_app_role"))![1]
        .assume_role_policy,
    ).toContain('["system:serviceaccount:shop:checkout", "sts.amazonaws.com"]');
  });

  it("defaults to IRSA when the cluster's only compute is Fargate, and to Pod Identity once it has EC2 nodes (or in Auto Mode)", () => {
    const fargate = cluster({ addons: { "aws-ebs-csi-driver": false, "metrics-server": false } }).cluster;
    fargate.addFargateProfile("system", { selectors: [{ namespace: "shop" }], includeCoreDns: true });
    expect(role(fargate).mechanism).toBe("irsa");

    const mixed = cluster().cluster;
    mixed.addFargateProfile("batch", { selectors: [{ namespace: "batch" }] });
    mixed.addNodeGroup("workers");
    expect(role(mixed).mechanism).toBe("pod-identity");

    const auto = cluster({ computeMode: "auto", addons: {} }).cluster;
    auto.addFargateProfile("batch", { selectors: [{ namespace: "batch" }] });
    expect(role(auto).mechanism).toBe("pod-identity");

    // No compute yet: Pod Identity (node groups usually follow).
    expect(role(cluster().cluster).mechanism).toBe("pod-identity");
  });

  it("throws when pod-identity is asked for explicitly but the agent add-on is disabled", () => {
    expect(() => role(cluster(NO_AGENT).cluster, { mechanism: "pod-identity" })).toThrow(
      /^ServiceAccountRole 'app': mechanism "pod-identity" needs the EKS Pod Identity agent, but cluster "test" doesn't run it \(its eks-pod-identity-agent add-on is disabled\), so the pods would get no credentials; use mechanism "irsa" \(or leave mechanism out\), or enable the eks-pod-identity-agent add-on$/,
    );
    expect(() => role(cluster(NO_AGENT).cluster, { mechanism: "irsa" })).not.toThrow();
  });

  it("warns at synth when a Fargate profile selects the namespace of a pod-identity role, also for profiles added after the role", () => {
    const { stack, cluster: c } = cluster();
    c.addNodeGroup("workers");
    const r = role(c);
    expect(r.mechanism).toBe("pod-identity");
    c.addFargateProfile("shop", { selectors: [{ namespace: "shop" }] });
    expect(warningsOf(r)).toEqual([]);
    Testing.synth(stack, true);
    expect(warningsOf(r)).toEqual([
      'ServiceAccountRole \'app\': mechanism "pod-identity" for shop/checkout, but FargateProfile \'shop\' (selector "shop") selects namespace "shop": ' +
        'pods there run on Fargate, which runs no DaemonSets and so no Pod Identity agent, and would get no credentials; use mechanism "irsa"',
    ]);
    // Once, however often the stack is synthesized.
    Testing.synth(stack, true);
    expect(warningsOf(r)).toHaveLength(1);
  });

  it("matches Fargate selector wildcards and names selector labels in the warning", () => {
    const { stack, cluster: c } = cluster();
    c.addNodeGroup("workers");
    c.addFargateProfile("teams", {
      selectors: [{ namespace: "team-?" }, { namespace: "sh*", labels: { compute: "fargate" } }],
    });
    const wildcard = c.addServiceAccountRole("a", { namespace: "team-a", serviceAccount: "api" });
    const labelled = c.addServiceAccountRole("b", { namespace: "shop", serviceAccount: "checkout" });
    const other = c.addServiceAccountRole("c", { namespace: "team-ab", serviceAccount: "api" });
    Testing.synth(stack, true);
    expect(warningsOf(wildcard)).toEqual([
      expect.stringContaining('but FargateProfile \'teams\' (selector "team-?") selects namespace "team-a"'),
    ]);
    expect(warningsOf(labelled)).toEqual([
      expect.stringContaining(
        'FargateProfile \'teams\' (selector "sh*" (pods labelled {"compute":"fargate"})) selects namespace "shop"',
      ),
    ]);
    expect(warningsOf(other)).toEqual([]);
  });

  it("does not warn for IRSA roles, unmatched namespaces, or the CoreDNS selector in kube-system", () => {
    const { stack, cluster: c } = cluster({ addons: {} });
    c.addNodeGroup("workers");
    c.addFargateProfile("shop", { selectors: [{ namespace: "shop" }], includeCoreDns: true });
    const irsa = role(c, { mechanism: "irsa" });
    const elsewhere = c.addServiceAccountRole("jobs", { namespace: "jobs", serviceAccount: "runner" });
    Testing.synth(stack, true);
    expect(warningsOf(irsa)).toEqual([]);
    expect(warningsOf(elsewhere)).toEqual([]);
    // The cluster's own EBS CSI role (pod-identity, kube-system) is not caught by the CoreDNS selector.
    expect(c.addons.ebsCsiDriverRole?.mechanism).toBe("pod-identity");
    expect(warningsOf(c)).toEqual([]);
  });
});
