import type { OrgRole } from '../scim/user';

/** The user attributes a sync can manage; one that a person does not carry is not managed. */
export interface ManagedFields {
	givenName?: string;
	familyName?: string;
	displayName?: string;
	userType?: string;
	orgRole?: OrgRole;
	employeeNumber?: string;
	costCenter?: string;
	organization?: string;
	division?: string;
	department?: string;
	managerId?: string;
	managerDisplayName?: string;
	active?: boolean;
}

export type ManagedField = keyof ManagedFields;

/** One person who should have Miro access, read from one input item. */
export interface DesiredPerson {
	itemIndex: number;
	email: string;
	fields: ManagedFields;
	/** Group names or ids; undefined when group membership is not managed. */
	groups?: string[];
}

/** A Miro user as the listing returned it, reduced to what a plan compares. */
export interface MiroUser {
	id: string;
	userName: string;
	active: boolean;
	fields: ManagedFields;
}

export interface MiroGroup {
	id: string;
	displayName: string;
	memberIds: string[];
}

export type MatchBy = 'email' | 'employeeNumber';
export type Scope = 'input' | 'domains' | 'groups';
export type LeaverAction = 'deactivate' | 'delete' | 'report';
export type ManagedGroups = 'input' | 'prefix' | 'list';

export interface SyncOptions {
	matchBy: MatchBy;
	scope: Scope;
	/** Lower-case email domains, for scope 'domains'. */
	domains: string[];
	/** Emails never changed by the sync (any case). */
	exclude: string[];
	leavers: LeaverAction;
	/** Organization admins may be deactivated or deleted. */
	includeAdmins: boolean;
	managedGroups: ManagedGroups;
	groupPrefix: string;
	/** Group names or ids, for managed groups 'list'. */
	groupList: string[];
	maxAccessRemovals: number;
	maxAccessRemovalsPercent: number;
	/** The percentage limit is never lower than this many removals. */
	maxAccessRemovalsPercentFloor: number;
	allowEmptyInput: boolean;
	/** Emails and employee numbers of input items that could not be read: never leavers. */
	protectedKeys: string[];
}

export type ChangeAction =
	| 'create'
	| 'update'
	| 'reactivate'
	| 'deactivate'
	| 'delete'
	| 'addToGroup'
	| 'removeFromGroup'
	| 'report';

export type FieldValues = Partial<
	Record<ManagedField | 'email' | 'active', string | boolean | null>
>;

export interface Change {
	action: ChangeAction;
	email: string;
	/** The Miro user's id; undefined for a user the plan creates. */
	id?: string;
	/** The input item the change comes from; undefined for leavers. */
	itemIndex?: number;
	before?: FieldValues;
	after?: FieldValues;
	group?: { id: string; name: string };
	removesAccess: boolean;
	note?: string;
	/** When the plan was made (ISO 8601): Apply Plan refuses a plan older than its limit. */
	plannedAt?: string;
	/** The users in scope of the plan: Apply Plan's percentage guard counts against it. */
	inScope?: number;
}

/** Input the plan cannot use: reported on the item, before any write. */
export interface ItemProblem {
	itemIndex: number;
	field: string;
	problem: string;
	fix: string;
}

export interface GuardVerdict {
	passed: boolean;
	accessRemovals: number;
	limit: number;
	inScope: number;
	message?: string;
	fix?: string;
}

export interface Plan {
	changes: Change[];
	problems: ItemProblem[];
	guard: GuardVerdict;
	/** Miro users the sync may change or take access from. */
	inScope: number;
	excluded: number;
}
