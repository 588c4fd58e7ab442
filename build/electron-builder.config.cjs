// electron-builder configuration for `npm run dist` (loaded with --config; test/unit/packaging.test.ts validates it).
/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'dev.fleetlab.app',
  productName: 'Fleetlab',
  directories: { output: 'release', buildResources: 'build' },
  // The IoT Central spec files are read at run time (electron/api/central/spec-schemas.ts).
  files: ['dist/**/*', '!dist/**/*.map', '!dist/**/.tsbuildinfo', '!dist/bench{,/**/*}', 'electron/api/central/spec/*.json', 'package.json'],
  // Worker threads loading code from inside an asar archive has had gaps (ESM especially), so the simulator's
  // worker entry and the pool library that starts it stay on disk.
  asarUnpack: ['dist/simulator/**', 'node_modules/piscina/**'],
  linux: { target: ['AppImage', 'deb'], category: 'Development' },
  win: { target: ['nsis'] },
  mac: { target: ['dmg'], category: 'public.app-category.developer-tools' },
};
