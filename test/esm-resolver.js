// kubernetes-models and its runtime are ESM-only packages whose "exports" offer only the "import" condition.
// Jest runs tests as CommonJS, so for these packages (and only these) resolve with "import" and let the
// transform (jest.config.js) compile them to CommonJS; every other package keeps jest's default conditions.
const ESM_ONLY = /^(kubernetes-models|@kubernetes-models\/[^/]+|is-cidr|cidr-regex)(\/|$)/;

module.exports = (request, options) =>
  options.defaultResolver(
    request,
    ESM_ONLY.test(request) ? { ...options, conditions: ["import", "node", "default"] } : options,
  );
