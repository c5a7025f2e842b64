import { Construct } from "constructs";
import { DeploymentWorkload } from "./deployment-workload";
import { DeploymentWorkloadOptions } from "./deployment-options";
import { INamespace } from "./namespace";

export type WorkerOptions = DeploymentWorkloadOptions;

export interface WorkerProps extends WorkerOptions {
  readonly namespace: INamespace;
}

/**
 * A Deployment without a Service (queue consumers, background processors): the same
 * security, autoscaling, disruption budget and AWS access as WebService.
 */
export class Worker extends DeploymentWorkload {
  constructor(scope: Construct, id: string, props: WorkerProps) {
    super(scope, id, props, { kind: "Worker", component: "worker", defaultReadiness: false });
  }
}
