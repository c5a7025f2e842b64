export * from "./cost";
export * from "./diagram";
export * from "./plan-report";
export * from "./prices";
