/**
 * A reference for scenario 5: the least any n8n node must do for "get user by ID" per item, i.e.
 * read one expression parameter and send one request through n8n's authenticated request
 * helper, 5 items at a time. Nothing else: no validation, retries, pacing or simplifying. The
 * gap between it and a plain axios loop is n8n's own cost per item and request; the gap between
 * the Miro SCIM node and it is the node's.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

export const PLAIN_NODE_TYPE = 'bench.plainGetUser';

export class PlainGetUser implements INodeType {
	description = {
		displayName: 'Plain Get User',
		name: 'plainGetUser',
		group: ['transform'],
		version: 1,
		description: 'GET /Users/{id} per item through n8n helpers',
		defaults: { name: 'Plain Get User' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'miroScimApi', required: true }],
		properties: [{ displayName: 'User ID', name: 'id', type: 'string', default: '' }],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const credentials = await this.getCredentials('miroScimApi');
		const baseUrl = String(credentials.baseUrl).replace(/\/+$/, '');
		const output: INodeExecutionData[] = new Array(items.length);
		let next = 0;
		const worker = async () => {
			while (next < items.length) {
				const itemIndex = next++;
				const id = this.getNodeParameter('id', itemIndex) as string;
				const body = (await this.helpers.httpRequestWithAuthentication.call(this, 'miroScimApi', {
					method: 'GET',
					url: `${baseUrl}/Users/${encodeURIComponent(id)}`,
					json: true,
				})) as IDataObject;
				output[itemIndex] = { json: body, pairedItem: { item: itemIndex } };
			}
		};
		await Promise.all(Array.from({ length: Math.min(5, items.length) }, worker));
		return [output];
	}
}
