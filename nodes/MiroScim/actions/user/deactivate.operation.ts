import { setActiveOperation } from './setActive';

export const { description, execute } = setActiveOperation(
	'deactivate',
	false,
	"Deactivating frees the license and keeps the user's boards; identity providers deactivate rather than delete",
);
