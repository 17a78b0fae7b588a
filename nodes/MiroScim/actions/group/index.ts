import * as create from './create.operation';
import * as deleteGroup from './deleteGroup.operation';
import * as find from './find.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as rename from './rename.operation';
import * as updateMembers from './updateMembers.operation';

/** Group's operations, and nothing else: the router dispatches over them. */
export { create, deleteGroup as delete, find, get, getAll, rename, updateMembers };
