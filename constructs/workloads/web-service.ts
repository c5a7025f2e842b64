import { Annotations, Aspects, Lazy, TerraformResource } from "cdktf";
import { DependOnLater } from "../private/dependencies";
import { Construct } from "constructs";
import { IngressV1 } from "@cdktf/provider-kubernetes/lib/ingress-v1";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { checkServiceName } from "../private/kubernetes-names";
import { addSynthCheck, fail, isToken, regionOfArn, show } from "../private/validation";
import { DeploymentWorkloadOptions } from "./deployment-options";
import { DeploymentWorkload } from "./deployment-workload";
import { loadBalancerIpAddressType } from "../eks/ip-family";
import {
  deregistrationDelayAttribute,
  LoadBalancerDrainOptions,
  READINESS_GATE_LABEL,
  ResolvedDrain,
  resolveDrain,
  zeroTargetRisks,
} from "./load-balancer-drain";
import { checkIngressHost, checkIngressPrefixPath, joinAlbGroup } from "./ingress-rules";
import { loadBalancingOf } from "./load-balancing";
import { INamespace, Namespace } from "./namespace";
import { Peer } from "./network-rules";
import { ResolvedServicePort, ServiceOptions } from "./workload";

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
  /**
   * Host name to route: a lower-case DNS name, optionally with one leading "*." label (never an IP).
   * @default - every host
   */
  readonly host?: string;
  /** A Prefix path: "/api" routes /api and everything below it (no wildcards, no empty segments). @default "/" */
  readonly path?: string;
  /**
   * ACM certificate ARN, in the cluster's region: with it the ALB listens on 443 (TLS) and redirects 80 to 443.
   * @default - HTTP only
   */
  readonly certificateArn?: string;
  /** Require TLS (then certificateArn is required). @default - true when certificateArn is given */
  readonly tls?: boolean;
  /**
   * The ALB health check's path; refused when it differs from an HTTP readiness probe's path. The
   * health check's port follows an HTTP readiness probe too (its port, when not the traffic port).
   * @default - the readiness probe's HTTP path, or "/"
   */
  readonly healthCheckPath?: string;
  /**
   * Ingresses with the same group name share one ALB (one load balancer bill); its members must
   * agree on scheme and TLS and route distinct host/path pairs.
   * @default - an ALB of its own
   */
  readonly groupName?: string;
  /** The Service port to route to, a TCP port. @default - the first port */
  readonly servicePort?: number;
}

/** The WebService's own Service (named after the workload). */
export interface WebServiceServiceOptions extends ServiceOptions {
  /**
   * "NodePort" opens the ports on every node (30000-32767); prefer loadBalancer on EKS.
   * @default - "LoadBalancer" with loadBalancer, else "ClusterIP"
   */
  readonly type?: "ClusterIP" | "NodePort";
}

/** Another Service on the same pods (e.g. a public NLB beside the in-cluster ClusterIP, or a headless one). */
export interface AdditionalServiceOptions extends ServiceOptions {
  /** The Service's name (a DNS label, unique in the namespace). */
  readonly name: string;
  /** "Headless" returns the pods' addresses from DNS. @default - "LoadBalancer" with loadBalancer, else "ClusterIP" */
  readonly type?: "ClusterIP" | "NodePort" | "Headless";
  /** Expose this Service through an NLB. @default - none */
  readonly loadBalancer?: NlbOptions;
}

export interface WebServiceOptions extends DeploymentWorkloadOptions {
  /** Ports, annotations and type of the Service. @default - see WebServiceServiceOptions */
  readonly service?: WebServiceServiceOptions;
  /** Expose the Service through an NLB. @default - ClusterIP only */
  readonly loadBalancer?: NlbOptions;
  /** Expose the Service through an ALB Ingress. @default - none */
  readonly ingress?: IngressOptions;
  /**
   * How pods leave the load balancer when exposed (loadBalancer, ingress, or addService with a
   * loadBalancer): the target group's deregistration delay, a preStop wait at least as long, and a
   * terminationGracePeriodSeconds that holds the wait plus the app's shutdown. Only for exposed
   * WebServices.
   * @default - see LoadBalancerDrainOptions (30 s delay, `sleep 35` preStop, 45 s grace period)
   */
  readonly drain?: LoadBalancerDrainOptions;
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
 * PodDisruptionBudget, optionally published through an NLB or an ALB Ingress. By default every
 * port of the main container is a Service port of the same number; `service.ports` maps others
 * (80 -> 8080). `addService` adds another Service on the same pods. When the namespace is
 * default-deny, exposure through a load balancer or a NodePort also allows ingress from the
 * VPC's CIDR (where the load balancer's nodes are) on the container ports behind the Service.
 */
export class WebService extends DeploymentWorkload {
  public readonly service: ServiceV1;
  public readonly ingress?: IngressV1;
  /** `<service>.<namespace>.svc.cluster.local`: how other pods reach it. */
  public readonly serviceDnsName: string;
  /** The first Service port: what clients dial. */
  public readonly servicePort: number;
  /** The container port behind servicePort: what NetworkPolicies must allow. */
  public readonly containerPort: number;
  /** The Service's ports, with the container port behind each. */
  public readonly servicePorts: ResolvedServicePort[];
  /** Services added with addService, by id. */
  public readonly additionalServices: Record<string, ServiceV1> = {};
  /**
   * The IP address type of its load balancers: "dualstack" on an IPv6 cluster (see
   * loadBalancerIpAddressType), else "ipv4".
   */
  public readonly ipAddressType: LoadBalancerIpAddressType;
  /** How pods leave the load balancer, once exposed through one. */
  public get drain(): ResolvedDrain | undefined {
    return this.loadBalancerDrain;
  }

  constructor(scope: Construct, id: string, props: WebServiceProps) {
    super(scope, id, props, {
      kind: "WebService",
      component: "web-service",
      defaultReadiness: true,
      namesService: true,
    });
    const where = this.where;
    const svc = props.service ?? {};
    const type = svc.type ?? "ClusterIP";
    if (type !== "ClusterIP" && type !== "NodePort")
      fail(
        where,
        "service.type",
        type,
        "is not a type of the WebService's own Service",
        'use "ClusterIP" or "NodePort" (loadBalancer for an NLB)',
      );
    if (type === "NodePort" && props.loadBalancer)
      fail(where, "service.type", type, "contradicts loadBalancer (a LoadBalancer Service)", "give one of them");
    this.servicePorts = this.resolveServicePorts("service.ports", svc.ports, type === "NodePort");
    this.checkServiceAnnotations("service.annotations", svc.annotations);
    this.servicePort = this.servicePorts[0].port;
    this.containerPort = this.servicePorts[0].containerPort;
    this.serviceDnsName = `${this.name}.${this.namespaceName}.svc.cluster.local`;
    this.ipAddressType = loadBalancerIpAddressType(this.namespace.cluster);

    const lb = props.loadBalancer;
    if (lb || props.ingress) this.exposeThroughLoadBalancer(props);
    this.node.addValidation({
      validate: () =>
        props.drain !== undefined && this.loadBalancerDrain === undefined
          ? [
              `${where}: drain ${show(props.drain)} is set, but the WebService isn't exposed through a load balancer, so it would do nothing; expose it (loadBalancer, ingress, or addService with a loadBalancer), or remove drain`,
            ]
          : [],
    });
    const nlbScheme = lb?.scheme ?? "internal";
    if (lb) this.checkScheme("loadBalancer.scheme", nlbScheme);
    this.service = new ServiceV1(this, "service", {
      metadata: {
        name: this.name,
        namespace: this.namespaceName,
        labels: this.objectLabels(),
        annotations: this.serviceAnnotations(svc.annotations, lb ? nlbScheme : undefined),
      },
      spec: {
        type: lb ? "LoadBalancer" : type,
        loadBalancerClass: lb ? this.nlbClass() : undefined,
        selector: this.selectorLabels,
        port: this.renderServicePorts(this.servicePorts),
      },
    });

    if (props.ingress) this.ingress = this.createIngress(props.ingress);
    if (lb || props.ingress) {
      const exposed = [...(lb ? [this.service] : []), ...(this.ingress ? [this.ingress] : [])];
      this.needsController(exposed, lb ? "loadBalancer" : "ingress", lb ?? props.ingress);
    }
    if (lb || props.ingress || type === "NodePort") {
      // The pods see the load balancer's (or node's) VPC address on the container port, not the Service port.
      this.allowFromVpc(`${this.name}-from-vpc`, this.servicePorts);
    }
  }

  /**
   * Another Service on the same pods, e.g. a public NLB next to the in-cluster ClusterIP (Online
   * Boutique's frontend-external), or a headless one. Its construct id is `service-<id>`, so
   * adding it moves no existing resource.
   */
  public addService(id: string, options: AdditionalServiceOptions): ServiceV1 {
    const where = this.where;
    const field = `addService("${id}")`;
    checkServiceName(where, `${field}.name`, options.name);
    if (!isToken(options.name) && options.name === this.name)
      fail(
        where,
        `${field}.name`,
        options.name,
        "is the name of the WebService's own Service",
        "give the Service another name",
      );
    if (Object.values(this.additionalServices).some((s) => s.metadata.name === options.name))
      fail(
        where,
        `${field}.name`,
        options.name,
        "is already the name of another added Service",
        "give every Service its own name",
      );
    const type = options.type ?? "ClusterIP";
    if (!["ClusterIP", "NodePort", "Headless"].includes(type))
      fail(
        where,
        `${field}.type`,
        type,
        "is not a Service type here",
        'use "ClusterIP", "NodePort" or "Headless" (loadBalancer for an NLB)',
      );
    const lb = options.loadBalancer;
    if (lb && options.type !== undefined)
      fail(where, `${field}.type`, type, "contradicts loadBalancer (a LoadBalancer Service)", "give one of them");
    const scheme = lb?.scheme ?? "internal";
    if (lb) this.checkScheme(`${field}.loadBalancer.scheme`, scheme);
    const ports = this.resolveServicePorts(`${field}.ports`, options.ports, type === "NodePort");
    this.checkServiceAnnotations(`${field}.annotations`, options.annotations);
    if (lb) this.exposeThroughLoadBalancer(this.props);
    const service = new ServiceV1(this, `service-${id}`, {
      metadata: {
        name: options.name,
        namespace: this.namespaceName,
        labels: this.objectLabels(),
        annotations: this.serviceAnnotations(options.annotations, lb ? scheme : undefined),
      },
      spec: {
        type: lb ? "LoadBalancer" : type === "Headless" ? "ClusterIP" : type,
        clusterIp: type === "Headless" ? "None" : undefined,
        loadBalancerClass: lb ? this.nlbClass() : undefined,
        selector: this.selectorLabels,
        port: this.renderServicePorts(ports),
      },
    });
    this.additionalServices[id] = service;
    if (lb) this.needsController([service], `${field}.loadBalancer`, lb);
    if (lb || type === "NodePort") this.allowFromVpc(`${options.name}-from-vpc`, ports);
    return service;
  }

  /**
   * The pods become ip targets of a load balancer: resolve the drain settings (preStop, grace
   * period, deregistration delay), label the namespace for readiness gates, and warn about
   * settings that can leave the load balancer without a healthy target.
   */
  private exposeThroughLoadBalancer(props: WebServiceProps): void {
    if (this.loadBalancerDrain !== undefined) return;
    this.loadBalancerDrain = resolveDrain(this.where, props.drain ?? {}, {
      image: props.image,
      terminationGracePeriodSeconds: props.terminationGracePeriodSeconds,
    });
    const ns = this.namespace;
    if (ns instanceof Namespace) ns.exposeThroughLoadBalancer(this);
    let warned = false;
    this.node.addValidation({
      validate: () => {
        if (warned) return [];
        warned = true;
        const gates = loadBalancingOf(this)?.podReadinessGates === true;
        const messages = zeroTargetRisks({
          replicas: this.replicas,
          maxSurge: this.maxSurge,
          maxUnavailable: this.maxUnavailable,
          disruptionBudget: props.disruptionBudget ?? {},
        }).map((r) => `${this.where}: ${r.field} ${show(r.value)} ${r.problem}; ${r.fix}`);
        if (gates && !(ns instanceof Namespace)) {
          messages.push(
            `${this.where}: namespace ${show(ns.name)} is not a Namespace construct, so it can't be given the readiness gate label and rollouts may leave the load balancer with only initial or draining targets; label it ${READINESS_GATE_LABEL}=enabled where it is created, or declare it with new Namespace(...)`,
          );
        }
        for (const m of messages) Annotations.of(this).addWarning(m);
        return [];
      },
    });
  }

  private serviceAnnotations(
    user: Record<string, string> | undefined,
    nlbScheme: LoadBalancerScheme | undefined,
  ): Record<string, string> | undefined {
    // https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/annotations/
    const ours = nlbScheme
      ? {
          [`${SVC}/aws-load-balancer-scheme`]: nlbScheme,
          [`${SVC}/aws-load-balancer-nlb-target-type`]: "ip",
          [`${SVC}/aws-load-balancer-target-group-attributes`]: deregistrationDelayAttribute(
            this.loadBalancerDrain!.deregistrationDelaySeconds,
          ),
          ...(this.ipAddressType === "dualstack" ? { [`${SVC}/aws-load-balancer-ip-address-type`]: "dualstack" } : {}),
        }
      : {};
    const all = { ...(user ?? {}), ...ours };
    return Object.keys(all).length > 0 ? all : undefined;
  }

  private nlbClass(): string {
    return Lazy.stringValue({ produce: () => loadBalancingOf(this)?.nlbLoadBalancerClass ?? "service.k8s.aws/nlb" });
  }

  /** Exposure needs a controller: depend on it (resolved at synth, so one declared later still counts) and refuse its absence. */
  private needsController(exposed: TerraformResource[], field: string, value: unknown): void {
    Aspects.of(this).add(new DependOnLater(exposed, () => loadBalancingOf(this)?.dependables ?? []));
    addSynthCheck(this, () => {
      if (loadBalancingOf(this) === undefined) {
        fail(
          this.where,
          field,
          value,
          "needs a load balancer controller, but this stack registers none, so no load balancer would ever be created",
          "add the AWS Load Balancer Controller (or Auto Mode load balancing) to the workloads stack, or remove the exposure",
        );
      }
    });
  }

  /**
   * A load balancer scheme, and for "internet-facing" the public subnets it is placed in: the
   * controller (and Auto Mode) discover them by the kubernetes.io/role/elb tag, so in a network
   * without them the load balancer is never created. Unknown for an adopted network: not checked.
   */
  private checkScheme(field: string, scheme: string): void {
    if (isToken(scheme)) return;
    if (scheme !== "internal" && scheme !== "internet-facing") {
      fail(this.where, field, scheme, "is not a load balancer scheme", 'use "internal" or "internet-facing"');
    }
    const network = this.namespace.cluster.network;
    if (scheme === "internet-facing" && network.publicLoadBalancerSubnets === false) {
      fail(
        this.where,
        field,
        scheme,
        `needs public subnets (tagged kubernetes.io/role/elb), and network "${network.node.id}" of cluster "${this.namespace.cluster.name}" has none, so the load balancer would never be created`,
        'use "internal", or give the network public subnets (publicSubnets: true)',
      );
    }
  }

  private allowFromVpc(name: string, ports: ResolvedServicePort[]): void {
    const ns = this.namespace;
    if (!(ns instanceof Namespace) || !ns.defaultDeny) return;
    const unique = new Map(ports.map((p) => [`${p.containerPort}/${p.protocol}`, p]));
    ns.allowIngress({
      name,
      pods: this,
      peers: [Peer.vpc()],
      ports: [...unique.values()].map((p) => ({ port: p.containerPort, protocol: p.protocol })),
    });
  }

  private createIngress(o: IngressOptions): IngressV1 {
    const where = this.where;
    const cluster = this.namespace.cluster;
    const scheme = o.scheme ?? "internal";
    this.checkScheme("ingress.scheme", scheme);
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
    // An ALB takes certificates of its own region only (ACM certificates are regional).
    const certRegion = regionOfArn(o.certificateArn);
    const region = cluster.network.region;
    if (certRegion !== undefined && !isToken(region) && certRegion !== region) {
      fail(
        where,
        "ingress.certificateArn",
        o.certificateArn,
        `is in ${certRegion}, but the ALB is in cluster "${cluster.name}"'s region ${region}, and an ALB only takes ACM certificates of its own region`,
        `request or import the certificate in ACM in ${region} and use its ARN`,
      );
    }
    checkIngressHost(where, "ingress.host", o.host);
    const servicePort = o.servicePort ?? this.servicePort;
    const backend = this.servicePorts.filter((p) => p.port === servicePort);
    if (!isToken(servicePort) && backend.length === 0) {
      fail(
        where,
        "ingress.servicePort",
        servicePort,
        `is not a port of Service ${show(this.name)}`,
        `use one of ${this.servicePorts.map((p) => p.port).join(", ")}`,
      );
    }
    const tcpPorts = this.servicePorts.filter((p) => p.protocol === "TCP");
    if (!isToken(servicePort) && !backend.some((p) => p.protocol === "TCP")) {
      fail(
        where,
        "ingress.servicePort",
        servicePort,
        "is a UDP port; an ALB forwards HTTP over TCP only",
        tcpPorts.length > 0
          ? `route to a TCP port (${tcpPorts.map((p) => p.port).join(", ")}), or expose the UDP port through loadBalancer (an NLB)`
          : "expose the UDP port through loadBalancer (an NLB) instead of ingress",
      );
    }
    const path = o.path ?? "/";
    checkIngressPrefixPath(where, "ingress.path", path);
    const health = this.ingressHealthCheck(o, backend.find((p) => p.protocol === "TCP")?.containerPort);
    if (o.groupName !== undefined && !isToken(o.groupName) && !GROUP_NAME.test(o.groupName)) {
      fail(
        where,
        "ingress.groupName",
        o.groupName,
        "is not a valid ALB group name",
        "use up to 63 lower-case letters, digits, '-' and '.', starting and ending with a letter or digit",
      );
    }
    if (o.groupName !== undefined) {
      joinAlbGroup(this, o.groupName, "ingress", { where, scheme, tls, host: o.host, path });
    }
    // The IngressClass's own scheme (Auto Mode's IngressClassParams) overrides the Ingress's.
    addSynthCheck(this, () => {
      const classScheme = loadBalancingOf(this)?.albScheme;
      if (classScheme !== undefined && !isToken(scheme) && classScheme !== scheme) {
        fail(
          where,
          "ingress.scheme",
          scheme,
          `differs from the scheme "${classScheme}" of IngressClass "${loadBalancingOf(this)!.albIngressClassName}", which overrides it: the ALB would be ${classScheme}`,
          `use "${classScheme}", or leave the class's scheme unset (autoModeLoadBalancing.scheme) so each Ingress chooses`,
        );
      }
    });
    // Annotation names: https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/
    const annotations: Record<string, string> = {
      [`${ALB}/scheme`]: scheme,
      // Pods as targets (no NodePort hop; works on Fargate too).
      [`${ALB}/target-type`]: "ip",
      [`${ALB}/healthcheck-path`]: health.path,
      ...(health.port !== undefined ? { [`${ALB}/healthcheck-port`]: String(health.port) } : {}),
      [`${ALB}/listen-ports`]: tls ? '[{"HTTP":80},{"HTTPS":443}]' : '[{"HTTP":80}]',
      // In-flight requests of a deregistering pod get this long (ELB's default is 300 s).
      [`${ALB}/target-group-attributes`]: deregistrationDelayAttribute(
        this.loadBalancerDrain!.deregistrationDelaySeconds,
      ),
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

  /**
   * Where the ALB checks the targets: the readiness probe's HTTP path and port, so the load
   * balancer and Kubernetes agree on when a pod can serve. The path defaults to the probe's (or
   * "/"); an explicit healthCheckPath that differs from an HTTP readiness probe is refused. The
   * port is the traffic port ("traffic-port", the controller's default), unless the HTTP readiness
   * probe serves on another container port: then that port (alb.ingress.kubernetes.io/
   * healthcheck-port, a number: with ip targets it is the pod's port), allowed from the VPC like
   * the traffic port.
   */
  private ingressHealthCheck(o: IngressOptions, trafficPort: number | undefined): { path: string; port?: number } {
    const where = this.where;
    const readiness = this.props.probes?.readiness;
    const http = readiness ? readiness.http : undefined;
    if (o.healthCheckPath !== undefined && !isToken(o.healthCheckPath) && !o.healthCheckPath.startsWith("/")) {
      fail(
        where,
        "ingress.healthCheckPath",
        o.healthCheckPath,
        "is not an absolute path",
        'start it with "/", e.g. "/healthz"',
      );
    }
    if (
      http !== undefined &&
      o.healthCheckPath !== undefined &&
      !isToken(o.healthCheckPath) &&
      !isToken(http.path) &&
      o.healthCheckPath !== http.path
    ) {
      fail(
        where,
        "ingress.healthCheckPath",
        o.healthCheckPath,
        `differs from the readiness probe's path "${http.path}": the load balancer and Kubernetes would disagree on which pods can serve`,
        `leave healthCheckPath unset (it follows the readiness probe), or use "${http.path}"`,
      );
    }
    const path = o.healthCheckPath ?? http?.path ?? "/";
    if (http === undefined || isToken(http.port) || trafficPort === undefined) return { path };
    const declared = (this.props.ports ?? []).find(
      (p) => (p.name !== undefined && p.name === http.port) || p.port === http.port,
    );
    if (declared === undefined || isToken(declared.port) || declared.port === trafficPort) return { path };
    this.allowFromVpc(`${this.name}-health-from-vpc`, [
      { port: declared.port, targetPort: String(declared.port), protocol: "TCP", containerPort: declared.port },
    ]);
    return { path, port: declared.port };
  }
}
