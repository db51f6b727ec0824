/**
 * Import rules (`npm run lint:deps`): no cycles, and the one-way layering of the house style
 * (../shared/STYLE.md): app -> worker (types only) -> core, training -> core; core imports no platform.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: modules that need each other belong together, or one of them does two jobs.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment:
        'src/core is shared by the page, the workers and Node: it imports no other layer and no node: module.',
      // Its tests may use the shared test fixtures.
      from: { path: '^src/core/', pathNot: '\\.test\\.ts$' },
      to: { path: ['^src/(app|worker)/', '^src/(main|sw)\\.ts$', '^training/', '^scripts/', '^tests/'] },
    },
    {
      name: 'core-no-node',
      severity: 'error',
      comment: 'src/core runs in the browser too: no Node built-ins (tests next to the code may use them).',
      from: { path: '^src/core/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'worker-not-app',
      severity: 'error',
      comment: 'The workers never import the page.',
      from: { path: '^src/(worker/|sw\\.ts)' },
      to: { path: '^src/app/' },
    },
    {
      name: 'app-imports-worker-types-only',
      severity: 'error',
      comment: 'The page knows the workers by their types; the bridge creates them by URL, never by import.',
      from: { path: '^src/(app/|main\\.ts)' },
      to: { path: '^src/worker/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'training-uses-core-only',
      severity: 'error',
      comment: 'training/ (Node) imports src/core, never the page or the workers.',
      from: { path: '^training/' },
      to: { path: ['^src/(app|worker)/', '^src/(main|sw)\\.ts$'] },
    },
    {
      name: 'shipped-code-not-test-code',
      severity: 'error',
      comment: 'What ships (src/) and the CLIs (training/) never import tests, scripts or test fixtures.',
      from: { path: '^(src|training)/', pathNot: ['\\.test\\.ts$', '^training/(testing|cli/bench)/'] },
      to: { path: ['^tests/', '^scripts/', '^training/testing/', '\\.test\\.ts$'] },
    },
    {
      name: 'app-no-dev-dependencies',
      severity: 'error',
      comment: 'What the browser loads must come from dependencies, not devDependencies.',
      from: { path: '^src/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['npm-dev'] },
    },
    {
      name: 'resolvable',
      severity: 'error',
      from: {},
      // Vite resolves `?url` assets and virtual: modules (vite-plugin-pwa) itself.
      to: { couldNotResolve: true, pathNot: ['^virtual:', '\\?(url|raw)$'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a cycle through types is still two modules that need each other.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.js', '.mjs', '.svelte', '.json'],
      exportsFields: ['exports'],
      // Svelte's compiled components import svelte/internal/*, published under these export conditions.
      conditionNames: ['import', 'default', 'browser', 'svelte', 'node'],
    },
    exclude: { path: ['^node_modules', '^dist/', '\\.d\\.ts$'] },
  },
};
