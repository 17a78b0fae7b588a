import * as applyPlan from './applyPlan.operation';
import * as reconcile from './reconcile.operation';

/** Sync's operations, and nothing else: the router dispatches over them. */
export { applyPlan, reconcile };
