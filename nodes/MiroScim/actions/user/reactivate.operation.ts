import { setActiveOperation } from './setActive';

export const { description, execute } = setActiveOperation('reactivate', true);
