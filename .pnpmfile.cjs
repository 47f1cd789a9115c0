// @ts-check
/**
 * The `@igepay/source` export condition points the workspace's tools (Vitest, tsc, tsx, the
 * widget's test runner) at TypeScript sources, which are not published: a packed package.json
 * keeps only the built targets. Scripts and devDependencies are for working on the package,
 * not for using it.
 */

/** @param {unknown} target */
function withoutSource(target) {
  if (typeof target !== 'object' || target === null) return target;
  return Object.fromEntries(
    Object.entries(target)
      .filter(([condition]) => condition !== '@igepay/source')
      .map(([condition, value]) => [condition, withoutSource(value)]),
  );
}

module.exports = {
  hooks: {
    /** @param {Record<string, unknown>} pkg */
    beforePacking(pkg) {
      pkg.exports = withoutSource(pkg.exports);
      delete pkg.scripts;
      delete pkg.devDependencies;
      return pkg;
    },
  },
};
