/**
 * n8n's Data Tables for the harness: what n8n's server provides to the Data table node
 * (`additionalData['data-table'].dataTableProxyProvider`), kept in memory. Only the calls the
 * node makes are here, with the filter semantics of n8n's (eq, neq, and/or); enough to run the
 * templates' audit and leaver tables through n8n-core. The real store is tested in test/e2e/.
 */
import type { IDataObject } from 'n8n-workflow';

interface Column {
	name: string;
	type: string;
	index: number;
}
interface Condition {
	columnName: string;
	condition: string;
	value: unknown;
}
interface Filter {
	type: 'and' | 'or';
	filters: Condition[];
}
export interface MemoryTable {
	id: string;
	name: string;
	columns: Column[];
	rows: IDataObject[];
}

function matches(row: IDataObject, filter?: Filter): boolean {
	if (!filter || filter.filters.length === 0) return true;
	const test = ({ columnName, condition, value }: Condition) => {
		const cell = row[columnName];
		if (condition === 'eq') return cell === value;
		if (condition === 'neq') return cell !== value;
		throw new Error(`dataTables stand-in: condition ${condition} not supported`);
	};
	return filter.type === 'or' ? filter.filters.some(test) : filter.filters.every(test);
}

function tableProxy(table: MemoryTable, nextRowId: () => number) {
	const stamp = (row: IDataObject) => ({ ...row, updatedAt: new Date().toISOString() });
	return {
		getColumns: async () => table.columns,
		insertRows: async (rows: IDataObject[], returnType: 'all' | 'count' | 'id') => {
			const now = new Date().toISOString();
			const added = rows.map((row) => ({
				id: nextRowId(),
				createdAt: now,
				updatedAt: now,
				...row,
			}));
			table.rows.push(...added);
			return returnType === 'count' ? { success: true, insertedRows: added.length } : added;
		},
		getManyRowsAndCount: async ({
			skip = 0,
			take,
			filter,
		}: {
			skip?: number;
			take?: number;
			filter?: Filter;
		}) => {
			const found = table.rows.filter((row) => matches(row, filter));
			return { data: found.slice(skip, take ? skip + take : undefined), count: found.length };
		},
		updateRows: async ({ filter, data }: { filter: Filter; data: IDataObject }) => {
			const updated: IDataObject[] = [];
			table.rows = table.rows.map((row) => {
				if (!matches(row, filter)) return row;
				const next = stamp({ ...row, ...data });
				updated.push(next);
				return next;
			});
			return updated;
		},
		upsertRow: async ({ filter, data }: { filter: Filter; data: IDataObject }) => {
			const existing = table.rows.filter((row) => matches(row, filter));
			if (existing.length === 0) {
				const row = { id: nextRowId(), createdAt: new Date().toISOString(), ...stamp(data) };
				table.rows.push(row);
				return [row];
			}
			table.rows = table.rows.map((row) =>
				matches(row, filter) ? stamp({ ...row, ...data }) : row,
			);
			return table.rows.filter((row) => matches(row, filter));
		},
		deleteRows: async ({ filter }: { filter: Filter }) => {
			const gone = table.rows.filter((row) => matches(row, filter));
			table.rows = table.rows.filter((row) => !matches(row, filter));
			return gone;
		},
	};
}

/** A store of tables by name; `provider` goes into the harness's additionalData. */
export function memoryDataTables() {
	const tables: MemoryTable[] = [];
	let rowId = 0;
	const nextRowId = () => ++rowId;
	const byName = (name: string) => tables.find((table) => table.name === name);
	const aggregate = {
		getManyAndCount: async ({ filter }: { filter?: { name?: string } }) => {
			const found = tables.filter((table) => !filter?.name || table.name === filter.name);
			return { data: found, count: found.length };
		},
		createDataTable: async ({ name, columns }: { name: string; columns: Column[] }) => {
			if (byName(name)) throw new Error(`Data table with name "${name}" already exists`);
			const table = { id: `table-${tables.length + 1}`, name, columns, rows: [] };
			tables.push(table);
			return { id: table.id, name, columns };
		},
	};
	return {
		tables,
		/** The rows of a table, as the Data table node's Get returns them. */
		rows: (name: string) => byName(name)?.rows ?? [],
		provider: {
			getDataTableAggregateProxy: async () => aggregate,
			getDataTableProxy: async (_workflow: unknown, _node: unknown, id: string) => {
				const table = tables.find((candidate) => candidate.id === id);
				if (!table) throw new Error(`no data table ${id}`);
				return tableProxy(table, nextRowId);
			},
		},
	};
}

export type MemoryDataTables = ReturnType<typeof memoryDataTables>;
