import { EksCluster } from "../../constructs/eks/cluster";
import { EndpointAccess, EndpointSource } from "../../constructs/eks/endpoint-access";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { ADMIN_ARN, testNetwork, testStack } from "../fixtures";
import { describeOffline, OFFLINE_TIMEOUT_MS, planStack } from "./harness";

// terraform init/validate/plan of a network + cluster against the real hashicorp/aws 5.100.0
// schema: proves every block and attribute name the cluster writes (Auto Mode blocks, the
// add-on pod_identity_association, the zipmap IRSA trust policy...) is accepted and plans.
// Counts are exact so a change in what gets created is deliberate.
describeOffline("EksCluster plans offline", (tools) => {
  it(
    "managed: cluster, access entries, OIDC provider, six add-ons, one node group, IRSA and Pod Identity roles",
    () => {
      const stack = testStack("cluster-managed");
      const network = testNetwork(stack);
      const cluster = new EksCluster(stack, "eks", {
        name: "test",
        network,
        admins: [ADMIN_ARN],
        access: [{ principalArn: "arn:aws:iam::123456789012:role/developers", policy: "edit", namespaces: ["apps"] }],
        endpointAccess: EndpointAccess.publicAndPrivate(["203.0.113.0/24"]),
        serviceIpv4Cidr: "172.20.0.0/16",
      });
      cluster.addNodeGroup("workers");
      cluster.addServiceAccountRole("reader", {
        namespace: "apps",
        serviceAccount: "reader",
        mechanism: "irsa",
        policyStatements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::assets/*"] }],
      });
      cluster.addServiceAccountRole("writer", {
        namespace: "apps",
        serviceAccount: "writer",
        managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonSQSFullAccess"],
      });

      const plan = planStack(stack, tools);
      expect(plan.createByType).toMatchObject({
        aws_eks_cluster: 1,
        aws_eks_addon: 6,
        aws_eks_access_entry: 2,
        aws_eks_access_policy_association: 2,
        aws_iam_openid_connect_provider: 1,
        // Secrets, control-plane logs, flow logs
        aws_kms_key: 3,
        aws_kms_alias: 1,
        aws_eks_node_group: 1,
        aws_launch_template: 1,
        aws_eks_pod_identity_association: 1,
        // network flow logs + control plane
        aws_cloudwatch_log_group: 2,
        // flow logs, cluster, EBS CSI driver, node role, reader, writer
        aws_iam_role: 6,
        // flow logs, cluster KMS use, reader
        aws_iam_role_policy: 3,
        // cluster 1, EBS CSI 1, node role 3, writer 1
        aws_iam_role_policy_attachment: 6,
        // the private endpoint's default source: the VPC (tcp/443 on the cluster security group)
        aws_vpc_security_group_ingress_rule: 1,
      });
      // + the 24 network resources
      expect(plan.toCreate).toBe(57);
      expect(plan.actions).toEqual({ create: plan.toCreate });
    },
    OFFLINE_TIMEOUT_MS,
  );

  it(
    "Auto Mode: compute/storage/load-balancing config, node role, only metrics-server",
    () => {
      const stack = testStack("cluster-auto");
      const network = testNetwork(stack);
      const cluster = new EksCluster(stack, "eks", { name: "test", network, admins: [ADMIN_ARN], computeMode: "auto" });
      cluster.addFargateProfile("batch", { selectors: [{ namespace: "batch" }] });

      const plan = planStack(stack, tools);
      expect(plan.createByType).toMatchObject({
        aws_eks_cluster: 1,
        aws_eks_addon: 1,
        aws_eks_access_entry: 1,
        aws_eks_access_policy_association: 1,
        aws_iam_openid_connect_provider: 1,
        aws_kms_key: 3,
        aws_kms_alias: 1,
        aws_eks_fargate_profile: 1,
        aws_cloudwatch_log_group: 2,
        // flow logs, cluster, Auto Mode nodes, Fargate pod execution
        aws_iam_role: 4,
        aws_iam_role_policy: 2,
        // cluster 5, Auto Mode nodes 2, Fargate 1
        aws_iam_role_policy_attachment: 8,
        aws_vpc_security_group_ingress_rule: 1,
      });
      expect(plan.createByType.aws_eks_node_group).toBeUndefined();
      expect(plan.toCreate).toBe(47);
      expect(plan.actions).toEqual({ create: plan.toCreate });
    },
    OFFLINE_TIMEOUT_MS,
  );

  it(
    'IPv6: ip_family "ipv6" on a dual-stack network, the VPC CNI IPv6 policy on the node role',
    () => {
      const stack = testStack("cluster-ipv6");
      const network = testNetwork(stack, { ipv6: true });
      const cluster = new EksCluster(stack, "eks", { name: "test", network, admins: [ADMIN_ARN], ipFamily: "ipv6" });
      cluster.addNodeGroup("workers");

      const plan = planStack(stack, tools);
      expect(plan.createByType).toMatchObject({
        aws_eks_cluster: 1,
        aws_eks_node_group: 1,
        aws_egress_only_internet_gateway: 1,
        // the customer-managed IPv6 CNI policy
        aws_iam_policy: 1,
        // cluster 1, EBS CSI 1, node role 3 + the IPv6 CNI policy
        aws_iam_role_policy_attachment: 6,
      });
      expect(plan.actions).toEqual({ create: plan.toCreate });
    },
    OFFLINE_TIMEOUT_MS,
  );

  it(
    "private endpoint sources (VPC v4/v6, IPv4 and IPv6 ranges, security groups) as tcp/443 rules, and volume keys granted per compute mode",
    () => {
      const stack = testStack("cluster-sources");
      const network = testNetwork(stack, { ipv6: true });
      const bastion = new SecurityGroup(stack, "bastion", { name: "bastion", vpcId: network.vpcId });
      const volumes = new KmsKey(stack, "volumes", { enableKeyRotation: true });
      new EksCluster(stack, "eks", {
        name: "test",
        network,
        admins: [ADMIN_ARN],
        endpointAccess: EndpointAccess.private({
          privateAccessFrom: [
            EndpointSource.vpc(),
            EndpointSource.cidr("192.168.0.0/16", { name: "office-vpn" }),
            EndpointSource.cidr("2001:db8:1200::/40"),
            EndpointSource.securityGroup("sg-0123456789abcdef0"),
            EndpointSource.securityGroup(bastion.id, { name: "bastion" }),
          ],
        }),
        volumeEncryptionKeyArns: [
          volumes.arn,
          "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        ],
      });
      new EksCluster(stack, "auto", {
        name: "auto",
        network,
        admins: [ADMIN_ARN],
        computeMode: "auto",
        volumeEncryptionKeyArns: [volumes.arn],
      });

      const plan = planStack(stack, tools);
      const created = (type: string) =>
        plan.changes
          .filter((c) => c.type === type && c.actions.includes("create"))
          .map((c) => c.address)
          .sort();
      // Five sources of "eks" (the VPC gives two rules on a dual-stack network), the VPC of "auto".
      expect(created("aws_vpc_security_group_ingress_rule")).toEqual([
        expect.stringMatching(/^aws_vpc_security_group_ingress_rule\.auto_endpoint-ingress_vpc-ipv6_/),
        expect.stringMatching(/^aws_vpc_security_group_ingress_rule\.auto_endpoint-ingress_vpc_/),
        expect.stringMatching(/^aws_vpc_security_group_ingress_rule\.eks_endpoint-ingress_2001-db8-1200-40_/),
        expect.stringMatching(/^aws_vpc_security_group_ingress_rule\.eks_endpoint-ingress_bastion_/),
        expect.stringMatching(/^aws_vpc_security_group_ingress_rule\.eks_endpoint-ingress_office-vpn_/),
        expect.stringMatching(/^aws_vpc_security_group_ingress_rule\.eks_endpoint-ingress_sg-0123456789abcdef0_/),
        expect.stringMatching(/^aws_vpc_security_group_ingress_rule\.eks_endpoint-ingress_vpc-ipv6_/),
        expect.stringMatching(/^aws_vpc_security_group_ingress_rule\.eks_endpoint-ingress_vpc_/),
      ]);
      // The EBS CSI driver's role (managed) and the Auto Mode cluster role get the volume keys.
      expect(created("aws_iam_role_policy")).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^aws_iam_role_policy\.auto_cluster-role-volume-encryption_/),
          expect.stringMatching(/^aws_iam_role_policy\.eks_addons_ebs-csi-driver-volume-encryption_/),
        ]),
      );
      expect(plan.actions).toEqual({ create: plan.toCreate });
    },
    OFFLINE_TIMEOUT_MS,
  );
});
