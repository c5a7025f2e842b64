import { Annotations, Aspects, Lazy } from "cdktf";
import { DependOnLater } from "../private/dependencies";
import { Construct } from "constructs";
import { IngressV1 } from "@cdktf/provider-kubernetes/lib/ingress-v1";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { DeploymentWorkload } from "../private/deployment-workload";
import { fail, isToken, show } from "../private/validation";
import { DeploymentWorkloadOptions } from "./deployment-options";
import { loadBalancerIpAddressType } from "../eks/ip-family";
import { loadBalancingOf } from "./load-balancing";
import { INamespace, Namespace } from "./namespace";
import { Peer } from "./network-rules";

export type LoadBalancerScheme = "internal" | "internet-facing";

/** The IP address type of a WebService's load balancers (see WebService.ipAddressType). */
export type LoadBalancerIpAddressType = "ipv4" | "dualstack";

/** A Network Load Balancer for the Service (type LoadBalancer, through the load balancer controller). */
export interface NlbOptions {
  /** @default "internal" */
  readonly scheme?: LoadBalancerScheme;
}

/** An ALB Ingress (through the load balancer controller, or Auto Mode's built-in load balancing). */
export interface IngressOptions {
  /** @default "internal" (reachable from the VPC only); "internet-facing" to publish it */
  readonly scheme?: LoadBalancerScheme;
  /** Host name to route. @default - every host */
  readonly host?: string;
  /** @default "/" */
  readonly path?: string;
  /** ACM certificate ARN: with it the ALB listens on 443 (TLS) and redirects 80 to 443. @default - HTTP only */
  readonly certificateArn?: string;
  /** Require TLS (then certificateArn is required). @default - true when certificateArn is given */
  readonly tls?: boolean;
  /** @default - the readiness probe's HTTP path, or "/" */
  readonly healthCheckPath?: string;
  /** Ingresses with the same group name share one ALB (one load balancer bill). @default - an ALB of its own */
  readonly groupName?: string;
  /** The Service port to route to. @default - the first port */
  readonly servicePort?: number;
}

export interface WebServiceOptions extends DeploymentWorkloadOptions {
  /** Expose the Service through an NLB. @default - ClusterIP only */
  readonly loadBalancer?: NlbOptions;
  /** Expose the Service through an ALB Ingress. @default - none */
  readonly ingress?: IngressOptions;
}

export interface WebServiceProps extends WebServiceOptions {
  readonly namespace: INamespace;
}

const ALB = "alb.ingress.kubernetes.io";
const SVC = "service.beta.kubernetes.io";
const ACM_ARN = /^arn:aws(-cn|-us-gov)?:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/;
const GROUP_NAME = /^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$/;

/**
 * The common case: a Deployment with a Service, ServiceAccount, HorizontalPodAutoscaler and
 * PodDisruptionBudget, optionally published through an NLB or an ALB Ingress. Every container
 * port is a Service port of the same number. When the namespace is default-deny, exposure
 * through a load balancer also allows ingress from the VPC's CIDR (where the load balancer's
 * nodes are) on the Service ports.
 */
export class WebService extends DeploymentWorkload {
  public readonly service: ServiceV1;
  public readonly ingress?: IngressV1;
  /** `<service>.<namespace>.svc.cluster.local`: how other pods reach it. */
  public readonly serviceDnsName: string;
  /** The first Service port. */
  public readonly servicePort: number;
  /**
   * The IP address type of its load balancers: "dualstack" on an IPv6 cluster (see
   * loadBalancerIpAddressType), else "ipv4".
   */
  public readonly ipAddressType: LoadBalancerIpAddressType;

  constructor(scope: Construct, id: string, props: WebServiceProps) {
    super(scope, id, props, { kind: "WebService", component: "web-service", defaultReadiness: true });
    const where = this.where;
    if (this.ports.length === 0) {
      fail(
        where,
        "ports",
        props.ports ?? [],
        "is empty, so the Service would route nowhere",
        'declare the port the app listens on, e.g. [{ name: "http", port: 8080 }]',
      );
    }
    this.servicePort = this.ports[0].port;
    this.serviceDnsName = `${this.name}.${this.namespaceName}.svc.cluster.local`;
    this.ipAddressType = loadBalancerIpAddressType(this.namespace.cluster);

    const lb = props.loadBalancer;
    const nlbScheme = lb?.scheme ?? "internal";
    if (lb) checkScheme(where, "loadBalancer.scheme", nlbScheme);
    this.service = new ServiceV1(this, "service", {
      metadata: {
        name: this.name,
        namespace: this.namespaceName,
        labels: this.objectLabels(),
        // https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/annotations/
        annotations: lb
          ? {
              [`${SVC}/aws-load-balancer-scheme`]: nlbScheme,
              [`${SVC}/aws-load-balancer-nlb-target-type`]: "ip",
              ...(this.ipAddressType === "dualstack"
                ? { [`${SVC}/aws-load-balancer-ip-address-type`]: "dualstack" }
                : {}),
            }
          : undefined,
      },
      spec: {
        type: lb ? "LoadBalancer" : "ClusterIP",
        loadBalancerClass: lb
          ? Lazy.stringValue({ produce: () => loadBalancingOf(this)?.nlbLoadBalancerClass ?? "service.k8s.aws/nlb" })
          : undefined,
        selector: this.selectorLabels,
        port: this.ports.map((p) => ({
          name: p.name,
          port: p.port,
          targetPort: p.name,
          protocol: p.protocol ?? "TCP",
        })),
      },
    });

    if (props.ingress) this.ingress = this.createIngress(props.ingress);
    if (lb || props.ingress) {
      // Resolved at synth, so a controller declared after the workload still counts.
      const exposed = [...(lb ? [this.service] : []), ...(this.ingress ? [this.ingress] : [])];
      Aspects.of(this).add(new DependOnLater(exposed, () => loadBalancingOf(this)?.dependables ?? []));
      this.node.addValidation({
        validate: () => {
          if (loadBalancingOf(this) !== undefined) return [];
          fail(
            where,
            lb ? "loadBalancer" : "ingress",
            lb ?? props.ingress,
            "needs a load balancer controller, but this stack registers none, so no load balancer would ever be created",
            "add the AWS Load Balancer Controller (or Auto Mode load balancing) to the workloads stack, or remove the exposure",
          );
        },
      });
      const ns = this.namespace;
      if (ns instanceof Namespace && ns.defaultDeny) {
        ns.allowIngress({
          name: `${this.name}-from-vpc`,
          pods: this,
          peers: [Peer.vpc()],
          ports: this.ports.map((p) => ({ port: p.port, protocol: p.protocol ?? "TCP" })),
        });
      }
    }
  }

  private createIngress(o: IngressOptions): IngressV1 {
    const where = this.where;
    const scheme = o.scheme ?? "internal";
    checkScheme(where, "ingress.scheme", scheme);
    const tls = o.tls ?? o.certificateArn !== undefined;
    if (tls && o.certificateArn === undefined) {
      fail(
        where,
        "ingress.tls",
        true,
        "needs a certificate, but certificateArn is not set",
        "give certificateArn (an ACM certificate in the cluster's region), or tls: false",
      );
    }
    if (!tls && o.certificateArn !== undefined) {
      fail(where, "ingress.tls", false, "contradicts certificateArn", "remove tls: false, or the certificate");
    }
    if (!tls && scheme === "internet-facing") {
      Annotations.of(this).addWarning(
        `${where}: ingress is internet-facing without TLS, so traffic crosses the internet in clear text; give certificateArn (an ACM certificate) to listen on 443 and redirect HTTP`,
      );
    }
    if (o.certificateArn !== undefined && !isToken(o.certificateArn) && !ACM_ARN.test(o.certificateArn)) {
      fail(
        where,
        "ingress.certificateArn",
        o.certificateArn,
        "is not an ACM certificate ARN",
        "use arn:aws:acm:<region>:<account>:certificate/<id>",
      );
    }
    const servicePort = o.servicePort ?? this.servicePort;
    if (!isToken(servicePort) && !this.ports.some((p) => p.port === servicePort)) {
      fail(
        where,
        "ingress.servicePort",
        servicePort,
        `is not a port of Service ${show(this.name)}`,
        `use one of ${this.ports.map((p) => p.port).join(", ")}`,
      );
    }
    const path = o.path ?? "/";
    if (!isToken(path) && !path.startsWith("/"))
      fail(where, "ingress.path", path, "is not an absolute path", 'start it with "/"');
    const readinessPath = this.props.probes?.readiness?.http?.path;
    const healthCheckPath = o.healthCheckPath ?? readinessPath ?? "/";
    if (!isToken(healthCheckPath) && !healthCheckPath.startsWith("/")) {
      fail(
        where,
        "ingress.healthCheckPath",
        healthCheckPath,
        "is not an absolute path",
        'start it with "/", e.g. "/healthz"',
      );
    }
    if (o.groupName !== undefined && !isToken(o.groupName) && !GROUP_NAME.test(o.groupName)) {
      fail(
        where,
        "ingress.groupName",
        o.groupName,
        "is not a valid ALB group name",
        "use up to 63 lower-case letters, digits, '-' and '.', starting and ending with a letter or digit",
      );
    }
    // Annotation names: https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/
    const annotations: Record<string, string> = {
      [`${ALB}/scheme`]: scheme,
      // Pods as targets (no NodePort hop; works on Fargate too).
      [`${ALB}/target-type`]: "ip",
      [`${ALB}/healthcheck-path`]: healthCheckPath,
      [`${ALB}/listen-ports`]: tls ? '[{"HTTP":80},{"HTTPS":443}]' : '[{"HTTP":80}]',
    };
    if (tls) {
      annotations[`${ALB}/certificate-arn`] = o.certificateArn!;
      annotations[`${ALB}/ssl-redirect`] = "443";
    }
    if (o.groupName !== undefined) annotations[`${ALB}/group.name`] = o.groupName;
    // "Exclusive" in an IngressGroup: every Ingress of the group must agree, and on one cluster they do.
    if (this.ipAddressType === "dualstack") annotations[`${ALB}/ip-address-type`] = "dualstack";
    return new IngressV1(this, "ingress", {
      metadata: { name: this.name, namespace: this.namespaceName, labels: this.objectLabels(), annotations },
      spec: {
        ingressClassName: Lazy.stringValue({ produce: () => loadBalancingOf(this)?.albIngressClassName ?? "alb" }),
        rule: [
          {
            host: o.host,
            http: {
              path: [
                {
                  path,
                  pathType: "Prefix",
                  backend: { service: { name: this.name, port: { number: servicePort } } },
                },
              ],
            },
          },
        ],
      },
    });
  }
}

function checkScheme(where: string, field: string, scheme: string): void {
  if (scheme !== "internal" && scheme !== "internet-facing") {
    fail(where, field, scheme, "is not a load balancer scheme", 'use "internal" or "internet-facing"');
  }
}
