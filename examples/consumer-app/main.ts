/**
 * A consumer app: another repository that installs eks-platform from its package and builds
 * its own platform with it. Three ways to use it, one stack pair each; keep the one you need:
 * - a new cluster with managed node groups, and its workloads stack;
 * - a new cluster in EKS Auto Mode (AWS runs the nodes and the load balancing), and its workloads;
 * - a workloads stack on a cluster that already exists (adopted by its attributes).
 *
 * Set up and synthesize: see docs/consumer-app.md (`npm install`, then `npx cdktf synth`).
 * The ARNs, ids and CIDRs below are documentation placeholders: put your own before deploying.
 */
import { App, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import {
  ComputeMode,
  EksCluster,
  Namespace,
  Network,
  useLazyCreationStacks,
  WebService,
} from "eks-platform/constructs";
import { WorkloadsStack } from "eks-platform/constructs/stacks";

// First, before anything is built: cdktf formats a token's creation stack only if an error reads
// it (same messages, word for word), about a third less synth CPU at hundreds of services.
// Importing the library doesn't do this by itself: it replaces a function of cdktf's, so it is
// the app's choice (docs/consumer-app.md).
useLazyCreationStacks();

const REGION = "eu-west-1";
const ADMINS = ["arn:aws:iam::123456789012:role/platform-admin"];

interface ClusterStackProps {
  readonly name: string;
  readonly computeMode: ComputeMode;
  readonly cidr: string;
}

/** The AWS side: a VPC and an EKS cluster (managed node groups or Auto Mode). */
class ClusterStack extends TerraformStack {
  public readonly cluster: EksCluster;

  constructor(scope: Construct, id: string, props: ClusterStackProps) {
    super(scope, id);
    // Stacks own providers; the constructs use the stack's default AWS provider.
    new AwsProvider(this, "aws", { region: REGION });
    const network = new Network(this, "network", {
      name: props.name,
      cidr: props.cidr,
      availabilityZones: [`${REGION}a`, `${REGION}b`, `${REGION}c`],
      clusterNames: [props.name],
    });
    this.cluster = new EksCluster(this, "cluster", {
      name: props.name,
      network,
      admins: ADMINS,
      computeMode: props.computeMode,
    });
    if (props.computeMode === "managed") this.cluster.addNodeGroup("general");
  }
}

/** One web service behind an internal ALB: the Kubernetes side, in a workloads stack. */
function addShop(stack: WorkloadsStack): WebService {
  const shop = new Namespace(stack, "shop", { cluster: stack.cluster });
  return new WebService(stack, "web", {
    namespace: shop,
    image: "registry.k8s.io/e2e-test-images/agnhost:2.52",
    args: ["netexec", "--http-port=8080"],
    ports: [{ name: "http", port: 8080 }],
    resources: { cpu: "100m", memory: "128Mi" },
    probes: { readiness: { http: { path: "/", port: "http" } } },
    ingress: {},
  });
}

const app = new App();

// 1. A new cluster with managed node groups. The workloads stack deploys after it.
const managed = new ClusterStack(app, "platform-managed", {
  name: "shop-managed",
  computeMode: "managed",
  cidr: "10.40.0.0/16",
});
addShop(new WorkloadsStack(app, "workloads-managed", { cluster: managed.cluster, region: REGION }));

// 2. A new cluster in EKS Auto Mode: its built-in load balancing serves the Ingress.
const auto = new ClusterStack(app, "platform-auto", { name: "shop-auto", computeMode: "auto", cidr: "10.41.0.0/16" });
addShop(new WorkloadsStack(app, "workloads-auto", { cluster: auto.cluster, region: REGION }));

// 3. A cluster that already exists (made by another team or tool): adopted into the workloads
// stack by its attributes. Nothing of the cluster or its VPC is created or changed.
const adopted = new WorkloadsStack(app, "workloads-adopted", {
  region: REGION,
  cluster: (stack) =>
    EksCluster.fromClusterAttributes(stack, "cluster", {
      clusterName: "legacy",
      clusterEndpoint: "https://0123456789ABCDEF0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com",
      clusterCertificateAuthorityData: "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==",
      oidcProviderArn:
        "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF",
      clusterSecurityGroupId: "sg-0123456789abcdef0",
      kubernetesVersion: "1.35",
      endpointPublicAccess: true,
      // The controllers' IAM roles use EKS Pod Identity: say that the cluster runs the
      // eks-pod-identity-agent add-on (unset, an adopted cluster is assumed not to, and synth stops).
      podIdentityAvailable: true,
      // Its vpc-cni enforces NetworkPolicies (unset: unknown, and a default-deny Namespace is refused).
      networkPolicyEnforcement: "vpc-cni",
      network: Network.fromNetworkAttributes(stack, "network", {
        vpcId: "vpc-0a1b2c3d4e5f60718",
        vpcCidr: "10.50.0.0/16",
        availabilityZones: [`${REGION}a`, `${REGION}b`],
        subnets: {
          private: [
            { id: "subnet-0aaaaaaaaaaaaaaa1", availabilityZone: `${REGION}a` },
            { id: "subnet-0bbbbbbbbbbbbbbb2", availabilityZone: `${REGION}b` },
          ],
        },
      }),
    }),
});
addShop(adopted);

app.synth();
