export * from "./types";
export * from "./network";
export * from "./subnet-layout";
export * from "./flow-logs";
export * from "./vpc-endpoints";
