// The public construct API: import from here, or from one area ("./constructs/eks").
// Each area's index names what it exports; test/reuse/public-api.test.ts pins the list.
export type { RemovalPolicy } from "./core/removal-policy";
export * from "./network";
export * from "./eks";
export * from "./registry";
export * from "./workloads";
export * from "./controllers";
export * from "./policy";
export * from "./report";
export * from "./stacks";
export { ValidationError } from "./core/errors";
export { lazyCreationStacksInstalled, useLazyCreationStacks } from "./core/creation-stacks";
