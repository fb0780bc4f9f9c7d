import { importsOf, reachableFrom, sourceFiles } from '../../helpers/source-imports';

/** Packages that talk to AWS or run only inside Lambda: adapters and handlers use them, the domain never. */
const INFRASTRUCTURE_PACKAGES = [/^@aws-sdk\//, /^aws-sdk$/, /^@aws-lambda-powertools\//, /^@smithy\//];

// DESIGN.md, "Where things live": lambdas/shared is the core and knows no domain; the domain calls
// no AWS SDK (ports in the domain, adapters outside it). Both are checked on the import graph.
describe('layering of lambdas/', () => {
  it('keeps lambdas/shared to itself: it imports no domain, adapter or handler file', () => {
    const leaks = sourceFiles('lambdas/shared')
      .flatMap(importsOf)
      // A package imported by its folder (a bundle stand-in reaching the package it stands for) is not a project file.
      .filter((imported) => imported.specifier.startsWith('.') && !imported.specifier.includes('/node_modules/') && !imported.file?.startsWith('lambdas/shared/'))
      .map(({ from, specifier, file }) => `${from} imports ${specifier} (${file ?? 'unresolved'})`);

    // A module that needs the domain is an adapter of it: move it to lambdas/adapters/<domain>/.
    expect(leaks).toEqual([]);
  });

  it('keeps the domain free of AWS: nothing it reaches imports an AWS SDK or Powertools package', () => {
    const reached = reachableFrom(sourceFiles('lambdas/domain'));

    const leaks = [...reached.keys()]
      .flatMap(importsOf)
      .filter((imported) => INFRASTRUCTURE_PACKAGES.some((pattern) => pattern.test(imported.specifier)))
      .map(({ from, specifier }) => `${(reached.get(from) ?? [from]).join(' → ')} imports ${specifier}`);

    expect(leaks).toEqual([]);
  });

  it('keeps the domain out of adapters and handlers: it reaches only lambdas/domain and lambdas/shared', () => {
    const reached = [...reachableFrom(sourceFiles('lambdas/domain')).entries()];

    const outside = reached.filter(([file]) => !file.startsWith('lambdas/domain/') && !file.startsWith('lambdas/shared/')).map(([, chain]) => chain.join(' → '));

    expect(outside).toEqual([]);
  });
});
