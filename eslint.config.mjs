// ESLint flat config: typescript-eslint's type-aware rules that catch real defects in this
// kind of code (floating promises, unsafe `any` flows, conditions that are always true,
// unused values), plus a ban on the provider packages' root imports, which cost seconds
// and about a gigabyte per process.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const providerRoots = ["@cdktf/provider-aws", "@cdktf/provider-kubernetes", "@cdktf/provider-helm"];

export default tseslint.config(
  // examples/consumer-app is an app to copy out, with its own tsconfig.json (no "paths": it imports the installed
  // package), which type-aware linting would pick up here and fail to resolve. `npm run typecheck` checks it with
  // the root tsconfig, and test/package.test.ts compiles it against the packed package.
  {
    ignores: [
      "node_modules/",
      "cdktf.out/",
      ".cache/",
      ".gen/",
      "coverage/",
      "dist/",
      "bench/results/",
      "examples/consumer-app/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      // Off, measured: its 68 findings were all deliberate runtime checks of typed input (a string
      // union compared against its members, `?? []` on a required list), which the constructs do on
      // purpose because config also arrives from JSON and JavaScript callers that tsc never sees.
      // Not one was a defect; keeping it would mean deleting the validation this product promises.
      "@typescript-eslint/no-unnecessary-condition": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-imports": [
        "error",
        {
          paths: providerRoots.map((name) => ({
            name,
            message: `Import the class by deep path (${name}/lib/<resource>): the package root costs about 6.8 s and 1.2 GB per process.`,
          })),
        },
      ],
    },
  },
  {
    // Tests read synthesized Terraform JSON and plan output: untyped data by nature, read as
    // `any` on purpose (a typed model of every resource would be a second provider). The
    // unsafe-any rules stay on for everything else in constructs/, stacks/ and scripts/.
    files: [
      "test/**/*.ts",
      // The same untyped data outside tests: synthesized stacks (policy rules, report, diagram read
      // them through resource-view / kubernetes-view) and Terraform's plan and schema JSON.
      "scripts/offline-terraform/*.ts",
      "scripts/plan-offline.ts",
      "scripts/bench/*.ts",
      "constructs/policy/*.ts",
      "constructs/report/*.ts",
      "constructs/private/resource-view.ts",
      "constructs/private/kubernetes-view.ts",
    ],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      // `Object.values(json.x) as any[]`: the cast documents that the element is untyped JSON.
      "@typescript-eslint/no-unnecessary-type-assertion": "off",
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      // CommonJS on purpose: jest's config, resolver and reporter, and the app runner's require hook.
      "@typescript-eslint/no-require-imports": "off",
    },
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: {
        module: "readonly",
        require: "readonly",
        process: "readonly",
        __dirname: "readonly",
        console: "readonly",
      },
    },
  },
);
