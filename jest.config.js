// Type-checking is its own step (`npm run typecheck`); jest only strips types with
// swc, which keeps a test file's transform at well under a second.
const transform = { "^.+\\.tsx?$": ["@swc/jest", { jsc: { target: "es2022" } }] };
const common = {
  testEnvironment: "node",
  transform,
  moduleFileExtensions: ["ts", "js", "json"],
  setupFilesAfterEnv: ["<rootDir>/test/setup.ts"],
};

const os = require("node:os");

/** @type {import('jest').Config} */
module.exports = {
  // Jest's default (cores - 1) is one worker on a 2-core CI runner, and one worker runs every file in
  // band, serially. The offline tier waits on terraform, the unit tier on module loading: two workers
  // keep both cores busy. `--maxWorkers` still overrides this.
  maxWorkers: Math.max(2, (os.availableParallelism?.() ?? os.cpus().length) - 1),
  reporters: ["default", "<rootDir>/test/summary-reporter.js"],
  projects: [
    {
      ...common,
      displayName: "unit",
      testMatch: ["<rootDir>/test/**/*.test.ts"],
      testPathIgnorePatterns: ["/node_modules/", "<rootDir>/test/offline/"],
    },
    // terraform init/validate/plan against the real hashicorp/aws provider: slow, so longer timeouts.
    {
      ...common,
      displayName: "offline",
      testMatch: ["<rootDir>/test/offline/**/*.test.ts"],
      globalSetup: "<rootDir>/test/offline/global-setup.ts",
      globalTeardown: "<rootDir>/test/offline/global-teardown.ts",
    },
  ],
};
