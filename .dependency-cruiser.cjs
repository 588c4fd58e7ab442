// Who may import whom (../shared/STYLE.md "Who may import whom"; docs/decisions.md "Enforced layers").
// `npm run lint` runs this over electron/, simulator/, renderer/, bench/ and test/.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'electron-only-in-the-shell',
      comment: 'Only the desktop shell (main.ts, preload.ts, window.ts) imports Electron: the emulator core runs headless under plain Node.',
      severity: 'error',
      from: { pathNot: '^electron/(main|preload|window)\\.ts$' },
      to: { path: '(^|/)node_modules/electron/' },
    },
    {
      name: 'domain-without-http-or-workers',
      comment: 'The domain knows no HTTP framework and no worker pool: it defines the interfaces (FleetExecutor) that host.ts fills in.',
      severity: 'error',
      from: { path: '^electron/domain/' },
      to: { path: '(^|/)node_modules/(fastify|@fastify/[^/]+|fastify-plugin|piscina)/' },
    },
    {
      name: 'domain-without-api',
      comment: 'Layers go api -> domain -> store: the domain never reaches back into a dialect or the control API.',
      severity: 'error',
      from: { path: '^electron/domain/' },
      to: { path: '^electron/api/' },
    },
    {
      name: 'store-without-domain-or-api',
      comment: 'The store persists plain records; the rules about them live in the domain above it.',
      severity: 'error',
      from: { path: '^electron/store/' },
      to: { path: '^electron/(domain|api)/' },
    },
    {
      name: 'simulator-without-api',
      comment: 'Simulator workers get plain data; the HTTP dialects are none of their business.',
      severity: 'error',
      from: { path: '^simulator/' },
      to: { path: '^electron/api/' },
    },
    {
      name: 'simulator-types-only-from-the-core',
      comment: 'Workers share the executor interface\'s types with the domain, never its code (it would load the engine into every worker thread).',
      severity: 'error',
      from: { path: '^simulator/' },
      to: { path: '^electron/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'renderer-only-generated-types',
      comment: 'The renderer is an HTTP client: from the emulator it may import only types, and only the generated/schema type modules.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^electron/', pathNot: '^electron/api/(central/generated|control/schema)/' },
    },
    {
      name: 'renderer-schema-imports-type-only',
      comment: 'Type-only, so no emulator code ends up in the UI bundle.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^electron/api/(central/generated|control/schema)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'product-without-tests',
      comment: 'Shipped code never depends on test helpers.',
      severity: 'error',
      from: { path: '^(electron|simulator|renderer)/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'no-circular',
      comment: 'A cycle makes module load order matter and hides which layer a file belongs to.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that does not resolve is a typo or a missing dependency.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|test-results|playwright-report)/' },
    // Type-only imports count as edges (and can be told apart): a type cycle is still a cycle between layers.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.test.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.svelte', '.json', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
