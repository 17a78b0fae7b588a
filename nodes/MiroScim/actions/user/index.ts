import * as create from './create.operation';
import * as deactivate from './deactivate.operation';
import * as deleteUser from './deleteUser.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as reactivate from './reactivate.operation';
import * as update from './update.operation';
import * as updateRole from './updateRole.operation';

/** User's operations, and nothing else: the router dispatches over them. */
export { create, deactivate, deleteUser as delete, get, getAll, reactivate, update, updateRole };
