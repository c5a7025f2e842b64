// ESLint flat config: typescript-eslint's type-aware rules that catch real defects in this
// kind of code (floating promises, unsafe `any` flows, conditions that are always true,
// unused values), plus a ban on the provider packages' root imports, which cost seconds
// and about a gigabyte per process.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const providerRoots = ["@cdktf/provider-aws", "@cdktf/provider-kubernetes", "@cdktf/provider-helm"];

export default tseslint.config(
  { ignores: ["node_modules/", "cdktf.out/", ".cache/", ".gen/", "coverage/", "dist/", "bench/results/"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-unnecessary-condition": "error",
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
    // unsafe-any rules stay on for constructs/, stacks/ and scripts/.
    files: ["test/**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-unsafe-call": "off",
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { module: "readonly", require: "readonly", process: "readonly", __dirname: "readonly" } },
  },
);
