/** The Deployment controller for a simulation (kube-controller-manager's "deployment"), and kubectl rollout undo. */
import type { Controller } from '../../sim/types.ts';
import type { Simulation } from '../../sim/simulation.ts';
import { createDeploymentController } from './deploymentController.ts';

export { createDeploymentController } from './deploymentController.ts';
export * from './util.ts';
export { rolloutUndo, RollbackError } from './rollback.ts';

export function deploymentControllerFor(sim: Simulation): Controller {
  return createDeploymentController({ runtime: sim.runtime, parseTime: (s) => sim.virtualTime(s), timestamp: (t) => sim.timestamp(t) });
}
