// The public construct API: import from here, or from one area ("./constructs/eks").
export * from "./core/removal-policy";
export * from "./network";
export * from "./eks";
export * from "./registry";
export * from "./workloads";
export * from "./controllers";
export * from "./policy";
export * from "./report";
export { ValidationError } from "./private/validation";
