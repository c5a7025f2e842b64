// Type-checking is its own step (`npm run typecheck`); jest only strips types with
// swc, which keeps a test file's transform at well under a second.
// The .js rule only reaches the ESM-only packages let through transformIgnorePatterns (kubernetes-models and
// its runtime, used by test/kubernetes-schema.ts): swc compiles them to CommonJS for jest.
const swc = ["@swc/jest", { jsc: { target: "es2022" }, module: { type: "commonjs" } }];
const transform = { "^.+\\.tsx?$": ["@swc/jest", { jsc: { target: "es2022" } }], "^.+\\.js$": swc };
const common = {
  testEnvironment: "node",
  transform,
  moduleFileExtensions: ["ts", "js", "json"],
  setupFilesAfterEnv: ["<rootDir>/test/setup.ts"],
  resolver: "<rootDir>/test/esm-resolver.js",
  transformIgnorePatterns: ["/node_modules/(?!(kubernetes-models|@kubernetes-models|is-cidr|cidr-regex)/)"],
  // examples/ import the library by its package name (tsconfig.json "paths" does the same for tsc).
  moduleNameMapper: {
    "^eks-platform/constructs$": "<rootDir>/constructs/index.ts",
    "^eks-platform/constructs/(.*)$": "<rootDir>/constructs/$1/index.ts",
  },
};

const os = require("node:os");

/** @type {import('jest').Config} */
module.exports = {
  // Jest's default (cores - 1) is one worker on a 2-core CI runner, and one worker runs every file in
  // band, serially. The offline tier waits on terraform, the unit tier on module loading: two workers
  // keep both cores busy. `--maxWorkers` still overrides this.
  maxWorkers: Math.max(2, (os.availableParallelism?.() ?? os.cpus().length) - 1),
  reporters: ["default", "<rootDir>/test/summary-reporter.js"],
  // The run's temporary files (cdktf outdirs, provider logs, scratch copies) in one folder, removed at the end.
  globalSetup: "<rootDir>/test/global-setup.ts",
  globalTeardown: "<rootDir>/test/global-teardown.ts",
  projects: [
    {
      ...common,
      displayName: "unit",
      testMatch: ["<rootDir>/test/**/*.test.ts"],
      testPathIgnorePatterns: ["/node_modules/", "<rootDir>/test/offline/", "<rootDir>/test/package.test.ts"],
    },
    // The consumer walk: `npm pack`, `npm install` of the tarball and its peers into the documented
    // consumer app, its own tsc and synth. About 15 s of CPU, mostly disk (the providers unpack to
    // a few hundred MB), so it is its own project: `npm run test:unit` skips it, `npm test` runs it.
    {
      ...common,
      displayName: "package",
      testMatch: ["<rootDir>/test/package.test.ts"],
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
