/**
 * The tasks a run can train for (the task itself — its layers, objective and metrics — lives in
 * src/run/task.ts; configs only name it):
 * - `autoencode`: rebuild the input image at the output (the paper's pixels–H–pixels network);
 * - `classify`: the class is the output neuron that fires first (first-spike cross-entropy).
 */
export type TaskName = 'autoencode' | 'classify';
export const TASK_NAMES: readonly TaskName[] = ['autoencode', 'classify'];
