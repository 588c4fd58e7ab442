import { checkpointFigure, dispatchFigure, awsRegistryFigures, realDeviceFigures, storeWriteFigures, uiFigure } from './component-figures.js';
import type { FigureContext } from './figure-context.js';
import { dynamicGroupFigures, emulatorFigures, largeJobFigures, startFigure } from './job-figures.js';
import { FIGURE_GROUPS, type FigureGroup } from './options.js';

/** What each figure group measures. */
const SCENARIOS: Record<FigureGroup, (context: FigureContext) => Promise<void>> = {
  start: startFigure,
  emulator: emulatorFigures,
  'store-writes': storeWriteFigures,
  'aws-registry': awsRegistryFigures,
  'dynamic-group': dynamicGroupFigures,
  'large-job': largeJobFigures,
  checkpoints: async (context) => {
    context.checkpoints = await checkpointFigure(context);
  },
  ui: uiFigure,
  dispatch: async (context) => {
    context.dispatch = await dispatchFigure(context);
  },
  'real-devices': realDeviceFigures,
};

/** Runs the figure groups the options select, one after another in FIGURE_GROUPS' order. */
export async function runScenarios(context: FigureContext): Promise<void> {
  for (const group of FIGURE_GROUPS) {
    if (context.options.runs(group)) await SCENARIOS[group](context);
  }
}
