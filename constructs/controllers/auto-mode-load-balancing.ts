import * as path from "node:path";
import { AssetType, ITerraformDependable, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import { Release } from "@cdktf/provider-helm/lib/release";
import { IngressClassV1 } from "@cdktf/provider-kubernetes/lib/ingress-class-v1";
import { IEksCluster } from "../eks/types";
import { describe, fail } from "../private/validation";
import { loadBalancerIpAddressType } from "../eks/ip-family";
import { ILoadBalancing, registerLoadBalancing } from "../workloads/load-balancing";

/** The controller name Auto Mode's built-in load balancing answers to, and its NLB class. */
export const AUTO_MODE_ALB_CONTROLLER = "eks.amazonaws.com/alb";
export const AUTO_MODE_NLB_CLASS = "eks.amazonaws.com/nlb";

/** Where the tiny IngressClassParams chart lives in this repository (a TerraformAsset at synth). */
export const INGRESS_CLASS_PARAMS_CHART_DIR = path.join(__dirname, "charts", "ingress-class-params");
/** The local chart's version (its Chart.yaml; a test keeps them equal), stated so the release is pinned (HELM1). */
const INGRESS_CLASS_PARAMS_CHART_VERSION = "1.0.0";

export type AutoModeAlbScheme = "internal" | "internet-facing";

export interface AutoModeLoadBalancingOptions {
  /**
   * Name of the IngressClass (and of its IngressClassParams).
   * @default "alb"
   */
  readonly ingressClassName?: string;
  /**
   * The scheme of every ALB of this class. Unset, each Ingress chooses with its
   * `alb.ingress.kubernetes.io/scheme` annotation, and an Ingress that doesn't say gets an
   * internal ALB: nothing is exposed to the internet by omission.
   * @default - per Ingress (internal unless the Ingress asks otherwise)
   */
  readonly scheme?: AutoModeAlbScheme;
  /**
   * Make this the cluster's default IngressClass (Ingresses without ingressClassName use it).
   * @default false
   */
  readonly defaultClass?: boolean;
}

export interface AutoModeLoadBalancingProps extends AutoModeLoadBalancingOptions {
  readonly cluster: IEksCluster;
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Points ALB Ingresses at EKS Auto Mode's built-in load balancing: an IngressClass whose
 * controller is eks.amazonaws.com/alb, and the IngressClassParams (a CRD Auto Mode serves) it
 * names. The IngressClassParams goes through a local Helm chart shipped in this repository, not
 * kubernetes_manifest: kubernetes_manifest reads the CRD's schema from the API server at plan
 * time, so a first plan (cluster not yet created) or a plan from outside the VPC would fail.
 * A helm_release plans from the chart alone; the API server checks the object at apply.
 */
export class AutoModeLoadBalancing extends Construct implements ILoadBalancing {
  public readonly albIngressClassName: string;
  public readonly nlbLoadBalancerClass = AUTO_MODE_NLB_CLASS;
  /** No in-cluster pod webhook: readiness gates aren't supported (aws/containers-roadmap#2511, open 2026-12). */
  public readonly podReadinessGates = false;
  public readonly scheme?: AutoModeAlbScheme;
  public readonly defaultClass: boolean;
  public readonly paramsRelease: Release;
  public readonly ingressClass: IngressClassV1;

  constructor(scope: Construct, id: string, props: AutoModeLoadBalancingProps) {
    super(scope, id);
    const where = describe("AutoModeLoadBalancing", id);
    const cluster = props.cluster;
    if (cluster.computeMode !== "auto") {
      fail(
        where,
        "cluster.computeMode",
        cluster.computeMode,
        `has no built-in load balancing: cluster "${cluster.name}" is not in EKS Auto Mode, so Ingresses of this class would never get an ALB`,
        "use AwsLoadBalancerController (or ClusterControllers, which chooses by compute mode)",
      );
    }
    this.albIngressClassName = props.ingressClassName ?? "alb";
    if (!DNS1123_SUBDOMAIN.test(this.albIngressClassName) || this.albIngressClassName.length > 253) {
      fail(
        where,
        "ingressClassName",
        this.albIngressClassName,
        "is not a DNS-1123 subdomain",
        'use lowercase letters, digits, "-" and ".", starting and ending with a letter or digit, e.g. "alb"',
      );
    }
    this.scheme = props.scheme;
    if (this.scheme !== undefined && this.scheme !== "internal" && this.scheme !== "internet-facing") {
      fail(where, "scheme", this.scheme, "is not a load balancer scheme", 'use "internal" or "internet-facing"');
    }
    this.defaultClass = props.defaultClass ?? false;

    const chart = new TerraformAsset(this, "chart", {
      path: INGRESS_CLASS_PARAMS_CHART_DIR,
      type: AssetType.DIRECTORY,
    });
    this.paramsRelease = new Release(this, "params", {
      name: `ingress-class-params-${this.albIngressClassName}`.slice(0, 53),
      namespace: "kube-system",
      chart: chart.path,
      version: INGRESS_CLASS_PARAMS_CHART_VERSION,
      atomic: true,
      values: [
        JSON.stringify(
          {
            name: this.albIngressClassName,
            spec: {
              ...(this.scheme ? { scheme: this.scheme } : {}),
              // IPv6 pods need dual-stack ALBs (IngressClassParams spec.ipAddressType, EKS Auto Mode's
              // "Create an IngressClass to configure an Application Load Balancer"); Ingresses say so too.
              ...(loadBalancerIpAddressType(cluster) === "dualstack" ? { ipAddressType: "dualstack" } : {}),
            },
          },
          null,
          2,
        ),
      ],
    });

    this.ingressClass = new IngressClassV1(this, "ingress-class", {
      metadata: {
        name: this.albIngressClassName,
        annotations: this.defaultClass ? { "ingressclass.kubernetes.io/is-default-class": "true" } : undefined,
      },
      spec: {
        controller: AUTO_MODE_ALB_CONTROLLER,
        parameters: [{ apiGroup: "eks.amazonaws.com", kind: "IngressClassParams", name: this.albIngressClassName }],
      },
      dependsOn: [this.paramsRelease],
    });
    registerLoadBalancing(this);
  }

  /** The scheme of every ALB of this class (IngressClassParams), when set. */
  public get albScheme(): AutoModeAlbScheme | undefined {
    return this.scheme;
  }

  /** Ingresses depend on the class and its parameters, so they are deleted (with their ALBs) first. */
  public get dependables(): ITerraformDependable[] {
    return [this.ingressClass, this.paramsRelease];
  }
}
